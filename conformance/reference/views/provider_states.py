"""``POST /__conformance__/provider-states``: set up an order in a named state (test environments only).

Exists only on servers started with provider states on (``serve --provider-states``); elsewhere the
path answers Django's plain 404, like any URL that does not resolve. No authentication: it is a
test fixture, and it binds to the loopback interface unless told otherwise.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import Http404
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from conformance.reference.states import STATES, create_order_in_state
from conformance.reference.views.base import MethodFirstAPIView, read_json_body

PATH = "__conformance__/provider-states"
"""The endpoint's path, without leading or trailing slash (``state_url`` is ``base_url + "/" + PATH``)."""

ENABLED_ENVIRON_KEY = "conformance.provider_states"
"""WSGI environ key the server sets to True when provider states are on for that server."""


class _ParamsSerializer(serializers.Serializer):
    order_uuid = serializers.UUIDField(required=False)


class _SetupSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["setup", "teardown"], default="setup")
    state = serializers.CharField(required=False, allow_blank=True)
    params = _ParamsSerializer(required=False, allow_null=True)


class ProviderStatesView(MethodFirstAPIView):
    """Pact-style provider states: ``{"action": "setup", "state": NAME, "params": {}}`` → 201 ``{"order_uuid"}``."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Behave as a URL that does not resolve (Django's plain 404) unless provider states are on."""
        if not request.META.get(ENABLED_ENVIRON_KEY):
            raise Http404()
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: Any) -> Response:
        """Create a fresh order in the requested state, or 400 naming the known states."""
        body = read_json_body(request)
        serializer = _SetupSerializer(data=body if isinstance(body, dict) else {})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["action"] == "teardown":
            return Response({})
        state = data.get("state", "")
        if state not in STATES:
            known = ", ".join(json.dumps(name) for name in STATES)
            return Response({"detail": f"Unknown state {json.dumps(state)}. Known states: {known}."}, status=400)
        order_uuid: UUID | None = (data.get("params") or {}).get("order_uuid")
        order = create_order_in_state(state, order_uuid)
        return Response({"order_uuid": str(order.uuid), "state": state}, status=201)
