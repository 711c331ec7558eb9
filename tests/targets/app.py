"""The TIMP cancellation slice as a plain callable: routing, checks in order, responses.

Order of checks on the cancel endpoints: URL (404 / redirect) -> authentication (401) ->
method (405) -> identifier (malformed / unknown) -> organization type (409) -> organization
(404 or 403 by style) -> permission (403) -> state (422). Every injected fault is a
``self._fault`` comparison naming it, at the one place it changes behaviour (here, in
``accounts.py`` or in ``store.py``).
"""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import unquote

from tests.targets.accounts import EXPIRED_MESSAGE, Accounts, Refusal, User
from tests.targets.http_server import Request, Response
from tests.targets.store import PENDING, PROVIDER_STATES, Order, OrderStore
from tests.targets.styles import Style

STATE_PATH = "/__conformance__/provider-states"

_CANCEL = re.compile(r"\A/timp/orders/cancel/(?P<id>[^/]*)/(?P<action>reject|confirm)/\Z")
_DETAIL = re.compile(r"\A/timp/orders/(?P<id>[^/]*)/\Z")
_SLASHLESS = re.compile(r"\A/timp/orders/(?:cancel/[^/]*/(?:reject|confirm)|[^/]*)\Z")
_UUID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_UUID_ANY_CASE = re.compile(_UUID.pattern, re.IGNORECASE)

JSON_TYPE = "application/json"
HTML_TYPE = "text/html; charset=utf-8"
CANCEL_ALLOW = "PATCH, OPTIONS"
DETAIL_ALLOW = "GET, HEAD, OPTIONS"
NOT_FOUND_PAGE = b"<!doctype html><html><body><h1>Not Found</h1><p>No such resource.</p></body></html>"

_FAKE_TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "/srv/timp/views.py", line 88, in reject\n'
    "    order = Order.objects.get(uuid=UUID(order_uuid))\n"
    "ValueError: badly formed hexadecimal UUID string\n"
)


class TargetApp:
    """One target: a style, an optional fault, its accounts and its order store."""

    def __init__(self, style: Style, fault: str | None = None) -> None:
        self.style = style
        self._fault = fault
        self.accounts = Accounts(style, fault)
        self.store = OrderStore(fault)

    def __call__(self, request: Request) -> Response:
        """Answer one request."""
        if request.path == STATE_PATH:
            return self._provider_state(request)
        decoded = self.style.route_decoded_path
        path = unquote(request.path, errors="replace") if decoded else request.path
        match = _CANCEL.match(path)
        if match:
            return self._cancel_action(request, _identifier(match["id"], decoded), match["action"])
        match = _DETAIL.match(path)
        if match:
            return self._detail(request, _identifier(match["id"], decoded))
        if _SLASHLESS.match(path):
            return self._slashless(request)
        return self._input_error(request, 404, "Not found.", url_level=True)

    # --- endpoints -------------------------------------------------------------------------

    def _cancel_action(self, request: Request, identifier: str, action: str) -> Response:
        identity = self.accounts.authenticate(request)
        if isinstance(identity, Refusal):
            return self._refuse(identity, identifier, action)
        if request.method == "GET" and action == "reject" and self._fault == "get-answers-200":
            return self._detail(request, identifier)
        if request.method != "PATCH":
            if action == "reject" and self._fault == "other-method-reopens-rejected":
                self.store.reopen_rejected(identifier)
            return self._method_refusal(request, CANCEL_ALLOW)
        if request.body and self._fault == "json-body-415":
            return self._error(415, 'Unsupported media type "application/json" in request.')
        order = self._resolve(request, identifier)
        if isinstance(order, Response):
            return order
        refusal = self._authorize(identity, order, action)
        if refusal is not None:
            self._count_refusal(order.order_uuid, action)
            return refusal
        if _json_object_with_fields(request.body) and self._fault == "unknown-fields-422":
            return self._error(422, "Unknown fields in the request body.")
        if request.headers.get("Content-Type", "").startswith("text/") and self._fault == "text-body-confirms":
            self.store.confirm(order)
            return self._error(415, 'Unsupported media type "text/plain" in request.')
        transition = self._transition(request, order, action, identifier)
        if transition.applied:
            return self._success(action, order)
        if action == "reject" and transition.previous == "rejected":
            if self._fault == "repeat-reject-2xx" or (request.body and self._fault == "body-skips-repeat-check"):
                return self._success(action, order)
            if identifier != order.order_uuid and self._fault == "uppercase-repeat-2xx":
                return self._success(action, order)
            if self._fault == "repeat-reject-409":
                return self._error(409, "Cancellation already rejected.")
        if action == "reject" and transition.previous == "confirmed" and self._fault == "second-reject-uncancels" \
                and self.store.count_refusal(order) == 2:  # fmt: skip
            self.store.reopen_items(order)
        if action == "reject" and transition.previous is None and self._fault == "no-request-2xx":
            return self._success(action, order)
        return self._error(422, f"The cancellation can't be {action}ed: it is not pending.")

    def _transition(self, request: Request, order: Order, action: str, identifier: str):
        """Apply the action through the store (the race faults pick a wider read-then-write path here)."""
        if action == "confirm":
            return self.store.confirm(order)
        if self._fault == "spelling-keyed-lock-race":
            return self.store.reject_under_key(order, identifier)
        if request.body and self._fault == "json-body-skips-lock-race":
            return self.store.reject_without_lock(order)
        return self.store.reject(order)

    def _detail(self, request: Request, identifier: str) -> Response:
        identity = self.accounts.authenticate(request)
        if isinstance(identity, Refusal):
            return self._refuse(identity, identifier, action=None)
        if request.method not in ("GET", "HEAD"):
            return self._method_refusal(request, DETAIL_ALLOW)
        order = self._resolve(request, identifier)
        if isinstance(order, Response):
            return order
        if identity.organization not in (order.supplier_org, order.retailer_org):
            return self._error(404, "Not found.")
        return _json(200, self.store.detail(order))

    def _provider_state(self, request: Request) -> Response:
        if request.method != "POST":
            return self._error(405, f'Method "{request.method}" not allowed.', [("Allow", "POST")])
        try:
            payload = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return self._error(400, "The body must be a JSON object.")
        if not isinstance(payload, dict):
            return self._error(400, "The body must be a JSON object.")
        if payload.get("action") == "teardown":
            return _json(200, {})
        if payload.get("action", "setup") != "setup":
            return self._error(400, "action must be 'setup' or 'teardown'.")
        state = payload.get("state")
        if not isinstance(state, str) or state not in PROVIDER_STATES:
            known = "; ".join(PROVIDER_STATES)
            return self._error(400, f"Unknown provider state. Known states: {known}")
        order = self.store.create(state)
        return _json(201, {"order_uuid": order.order_uuid})

    def _slashless(self, request: Request) -> Response:
        if self._fault == "slashless-500":
            return self._error(500, "Server error.")
        if self._fault == "slashless-410":
            return self._error(410, "This URL is gone; use the one with a trailing slash.")
        target = request.path + "/"
        if request.method == "PATCH" and target.endswith("/reject/") and self._fault == "slashless-redirect-applies":
            self._reject_as_requested(request, unquote(target.split("/")[4]))
        if self._fault == "slashless-redirect-wrong":
            target = re.sub(r"/cancel/([^/]*)/(?:reject|confirm)/\Z", r"/\1/", target)
        if request.query_string:
            target += "?" + request.query_string
        return Response(self.style.redirect_status, [("Location", target)], b"")

    def _reject_as_requested(self, request: Request, identifier: str) -> None:
        """Reject the named order when the requester may (a fault applies a request it only redirects)."""
        identity = self.accounts.authenticate(request)
        order = self.store.get(identifier)
        if isinstance(identity, User) and order is not None and self._authorize(identity, order, "reject") is None:
            self.store.reject(order)

    # --- steps -----------------------------------------------------------------------------

    def _refuse(self, refusal: Refusal, identifier: str, action: str | None) -> Response:
        order = self.store.get(identifier) if action else None
        if order is not None and order.cancellation != PENDING and refusal.message == "Invalid token." \
                and self._fault == "unknown-token-after-state":  # fmt: skip
            return self._error(422, f"The cancellation can't be {action}ed: it is not pending.")
        self._count_refusal(identifier, action)
        headers: list[tuple[str, str]] = []
        if refusal.status == 401:
            expired = refusal.message == EXPIRED_MESSAGE
            if self._fault != "401-without-www-authenticate" and not (
                expired and self._fault == "expired-401-without-www-authenticate"
            ):
                headers.append(("WWW-Authenticate", 'Token realm="api"'))
            if self._fault == "refused-401-still-applies" and action == "reject":
                order = self.store.get(identifier.lower())
                if order is not None:
                    self.store.reject(order)
        return self._error(refusal.status, refusal.message, headers)

    def _count_refusal(self, identifier: str, action: str | None) -> None:
        """Fault ``third-refusal-applies``: a per-order refusal count whose third refusal rejects the order."""
        order = self.store.get(identifier) if action == "reject" else None
        if order is not None and self.store.count_refusal(order) == 3 and self._fault == "third-refusal-applies":
            self.store.reject(order)

    def _method_refusal(self, request: Request, allow: str) -> Response:
        if request.method == "OPTIONS":
            return Response(204, [("Allow", allow)])
        headers = [] if self._fault == "405-without-allow" else [("Allow", allow)]
        response = self._error(405, f'Method "{request.method}" not allowed.', headers)
        if self._fault == "405-body-not-json":
            response.body = b"Method not allowed"
        return response

    def _resolve(self, request: Request, text: str) -> Order | Response:
        """The order a (decoded) path identifier names, or the error response for it."""
        if "\x00" in text and self._fault == "malformed-nul-500":
            return self._error(500, "Server error.")
        text = self._lenient_identifier(text)
        if _UUID.match(text):
            key = text
        elif _UUID_ANY_CASE.match(text):
            if self._fault == "uppercase-500":
                return self._error(500, "Server error.")
            if self._fault == "uppercase-400":
                return self._malformed(request)
            if not self.style.uppercase_same_order:
                return self._error(404, "Not found.")
            key = text.lower()
        else:
            return self._malformed(request)
        order = self.store.get(key)
        if order is None:
            return self._error(422 if self._fault == "unknown-uuid-422" else 404, "Not found.")
        return order

    def _lenient_identifier(self, text: str) -> str:
        """Faults that read a malformed identifier as the UUID inside it (each at its own switch)."""
        if self._fault == "lenient-uuid-parse":
            try:
                return str(uuid.UUID(text))
            except ValueError:
                return text
        if text != text.strip() and self._fault == "whitespace-trimmed":
            return text.strip()
        if len(text) > 36 and _UUID_ANY_CASE.match(text[:36]) and self._fault == "trailing-junk-ignored":
            return text[:36]
        return text

    def _malformed(self, request: Request) -> Response:
        if self._fault == "malformed-id-403":
            return self._error(403, "You do not have permission to perform this action.")
        if self._fault == "traceback-in-error":
            return _json(self.style.malformed_status, {"detail": "Invalid order_uuid.", "debug": _FAKE_TRACEBACK})
        return self._input_error(request, self.style.malformed_status, "Invalid order_uuid.", url_level=False)

    def _authorize(self, user: User, order: Order, action: str) -> Response | None:
        """The organization-type, organization and permission checks, in that order."""
        if user.kind == "retailer":
            if order.cancellation != PENDING and self._fault == "retailer-after-state":
                return self._error(422, f"The cancellation can't be {action}ed: it is not pending.")
            if self._fault == "retailer-409-still-applies" and action == "reject":
                self.store.reject(order)
            status = 403 if self._fault == "retailer-403" else 409
            return self._error(status, "The requester is not of the correct type.")
        if user.organization != order.supplier_org and self._fault != "other-org-accepted":
            return self._error(self.style.other_org_status, "Not found or not yours.")
        if not user.can_cancel and order.cancellation != PENDING and self._fault == "no-permission-after-state":
            return self._error(422, f"The cancellation can't be {action}ed: it is not pending.")
        if not user.can_cancel and self._fault != "no-permission-accepted":
            return self._error(403, "You do not have permission to perform this action.")
        return None

    # --- responses -------------------------------------------------------------------------

    def _success(self, action: str, order: Order) -> Response:
        past = "rejected" if action == "reject" else "confirmed"
        if action == "reject" and self._fault == "success-202":
            return _json(202, {"order_uuid": order.order_uuid, "cancellation_status": past})
        if action == "reject" and self._fault == "success-200-text":
            return Response(200, [("Content-Type", "text/plain; charset=utf-8")], b"OK")
        if action == "reject" and self._fault == "success-200-empty":
            return Response(200, [], b"")
        if self.style.success_status == 204:
            return Response(204)
        return _json(200, {"order_uuid": order.order_uuid, "cancellation_status": past})

    def _input_error(self, request: Request, status: int, message: str, *, url_level: bool) -> Response:
        """Errors about the URL itself: unknown paths and malformed identifiers."""
        if self._fault == "html-reflects-path":
            page = f"<html><body><h1>{message}</h1><p>No match for {unquote(request.path)}</p></body></html>"
            return Response(status, [("Content-Type", HTML_TYPE)], page.encode())
        if url_level and self.style.html_not_found:
            if self._fault == "html-404-reflects-path":
                page = f"<html><body><h1>Not Found</h1><p>{unquote(request.path)} was not found.</p></body></html>"
                return Response(status, [("Content-Type", HTML_TYPE)], page.encode())
            return Response(status, [("Content-Type", HTML_TYPE)], NOT_FOUND_PAGE)
        return self._error(status, message)

    def _error(self, status: int, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
        """An error in the style's JSON shape (faults may break its framing)."""
        document: dict[str, object] = (
            {"error": {"status": status, "message": message}} if self.style.error_envelope else {"detail": message}
        )
        response = _json(status, document)
        response.headers.extend(headers or [])
        if self._fault == "error-json-not-json":
            response.body = f"error {status}: {message}".encode()
        if self._fault == "error-without-content-type" and status == 422:
            response.headers = [(name, value) for name, value in response.headers if name != "Content-Type"]
        return response


def _json_object_with_fields(body: bytes) -> bool:
    """True when the body is a JSON object with at least one field."""
    try:
        document = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(document, dict) and bool(document)


def _identifier(segment: str, decoded: bool) -> str:
    """The order_uuid text of a path segment (percent-decoded once, whatever the routing)."""
    return segment if decoded else unquote(segment, errors="replace")


def _json(status: int, document: object) -> Response:
    return Response(status, [("Content-Type", JSON_TYPE)], json.dumps(document).encode())
