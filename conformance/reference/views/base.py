"""What every endpoint shares: method check before authentication, and the 422 error."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import APIException, MethodNotAllowed
from rest_framework.views import APIView


class NotActionable(APIException):
    """422: the action can't be performed on the identifier provided (docs' response codes)."""

    status_code = 422
    default_detail = "The action can't be performed on the identifier provided."
    default_code = "not_actionable"


class MethodFirstAPIView(APIView):
    """An APIView that answers 405 (with ``Allow``) before authenticating: the verb is wrong for anyone."""

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """Refuse unsupported methods first, then authenticate and check permissions as DRF does."""
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


def read_json_body(request: Any) -> Any:
    """Parse the body (JSON only): malformed → 400, another media type → 415, empty → ``{}``."""
    data = request.data
    return data if data is not None else {}
