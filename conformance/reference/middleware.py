"""Trailing-slash redirects that keep the method: 301 for GET/HEAD, 308 for everything else.

Django's CommonMiddleware answers 301 for every method (and raises in DEBUG for PATCH); a 301 makes
clients replay a PATCH as GET, so unsafe methods get 308 Permanent Redirect instead (REJ-051).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.middleware.common import CommonMiddleware

_SAFE_METHODS = frozenset({"GET", "HEAD"})


class AppendSlashMiddleware(CommonMiddleware):
    """CommonMiddleware whose slash redirect preserves the request method for unsafe methods."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """Redirect a 404 to the slashed URL when that one resolves; otherwise behave as CommonMiddleware."""
        if response.status_code == 404 and self.should_redirect_with_slash(request):
            return HttpResponsePermanentRedirect(
                self.get_full_path_with_slash(request),
                preserve_request=request.method not in _SAFE_METHODS,
            )
        return super().process_response(request, response)
