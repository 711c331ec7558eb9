"""The conformant styles: the choices CONTRACT.md leaves open, made differently per style.

A style is data only; the server reads it where a choice is made. Every style satisfies
every requirement. The Django reference in ``conformance.reference`` is a third one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    """The open choices: success status, error statuses and shapes, redirects, 404 pages."""

    name: str
    success_status: int  # 200 (with a JSON body) or 204 (empty)
    malformed_status: int  # malformed order_uuid: 400 or 422
    other_org_status: int  # another organization's order: 404 or 403
    redirect_status: int  # missing trailing slash: 301 or 308
    html_not_found: bool  # URL-level 404 as an HTML page (else JSON)
    uppercase_same_order: bool  # uppercase UUID names the same order (else: no such order, 404)
    session_refusal_status: int  # sessionid cookie without CSRF on an unsafe method: 403 or 401
    error_envelope: bool  # errors as {"error": {"status", "message"}} (else DRF's {"detail": ...})
    route_decoded_path: bool  # route on the percent-decoded path, as WSGI servers do (else on the raw path)


JSON = Style(
    name="json",
    success_status=200,
    malformed_status=400,
    other_org_status=404,
    redirect_status=301,
    html_not_found=False,
    uppercase_same_order=True,
    session_refusal_status=403,
    error_envelope=False,
    route_decoded_path=False,
)

STRICT = Style(
    name="strict",
    success_status=204,
    malformed_status=422,
    other_org_status=403,
    redirect_status=308,
    html_not_found=True,
    uppercase_same_order=False,
    session_refusal_status=401,
    error_envelope=True,
    route_decoded_path=True,
)

STYLES: dict[str, Style] = {style.name: style for style in (JSON, STRICT)}
