"""Content negotiation that always answers JSON: the API has one representation, so no 406 ever."""

from __future__ import annotations

from typing import Any

from rest_framework.negotiation import BaseContentNegotiation


class AlwaysJSONNegotiation(BaseContentNegotiation):
    """Ignore the client's ``Accept`` header and pick the first (JSON) renderer."""

    def select_parser(self, request: Any, parsers: list[Any]) -> Any:
        """Pick the parser whose media type matches the request's ``Content-Type``, or None."""
        from rest_framework.negotiation import DefaultContentNegotiation

        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request: Any, renderers: list[Any], format_suffix: str | None = None) -> Any:
        """Return the first renderer and its media type, whatever the client accepts."""
        return (renderers[0], renderers[0].media_type)
