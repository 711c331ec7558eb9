"""Custom Schemathesis checks: response hygiene (REJ-023, REJ-053) and the answer an order's state calls for
(REJ-020 unknown, REJ-010/011/012 not pending, REJ-042 another organization's).

Importing this module registers them with ``schemathesis.check``, so they run on every fuzzed response
(in the pytest stage and, through ``hooks = "conformance.fuzz.hooks"``, in ``st run`` too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import schemathesis
from schemathesis import Case, CheckContext, GenerationMode, Response

from conformance.fuzz import auth
from conformance.fuzz.identifiers import active_pool
from conformance.hygiene import content_problem
from conformance.provisioning.states import CONFIRMED, OTHER_SUPPLIER_PENDING, REJECTED, WITHOUT_CANCELLATION
from conformance.transport.bodies import CUT_ATTRIBUTE

#: Signs of a stack trace or a framework debug page in a response body (REJ-023), each with a literal
#: (lower case) that any match contains: a body without it is not searched (bodies reach 1 MiB).
STACK_TRACE_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("traceback (most recent call last)", re.compile(r"Traceback \(most recent call last\)")),
    ('", line ', re.compile(r"File \"[^\"]+\", line \d+, in ")),
    ("debug", re.compile(r"You're seeing this error because you have\s*(<code>)?\s*DEBUG\s*=\s*True", re.IGNORECASE)),
    ("debugger", re.compile(r"Werkzeug Debugger|The debugger caught an exception", re.IGNORECASE)),
    (".java:", re.compile(r"\bat [\w$.]+\([\w$]+\.java:\d+\)")),
    ("exception in thread", re.compile(r"Exception in thread \"")),
    ("<title>", re.compile(r"<title>[^<]*(Exception|Error) at /", re.IGNORECASE)),
    (" trace", re.compile(r"Application Trace|Full Trace", re.IGNORECASE)),
    ("whitelabel", re.compile(r"Whitelabel Error Page", re.IGNORECASE)),
)
HTML_SPECIAL = re.compile(r"[<>]")
JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$", re.IGNORECASE)
EXCERPT = 80
CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ORDER_PARAMETER = "order_uuid"
ORDER_LEVEL_PATH = "/timp/orders/cancel/{"
#: state of a reused order -> (requirement, statuses a reject or confirm by ``supplier`` may answer)
EXPECTED_BY_STATE: dict[str, tuple[str, tuple[int, ...]]] = {
    WITHOUT_CANCELLATION: ("REJ-011", (422,)),
    REJECTED: ("REJ-010", (422,)),
    CONFIRMED: ("REJ-012", (422,)),
    OTHER_SUPPLIER_PENDING: ("REJ-042", (403, 404)),
}


def _media_type(response: Response) -> str | None:
    values = response.headers.get("content-type")
    if not values:
        return None
    return values[0].split(";", 1)[0].strip().lower()


def _body_text(response: Response) -> str:
    return response.content.decode("utf-8", errors="replace")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def request_inputs(case: Case) -> set[str]:
    """Every string the case sent that HTML could carry (containing ``<`` or ``>``), raw and URL-decoded."""
    found: set[str] = set()
    for container in (case.path_parameters, case.query, case.headers, case.cookies, case.body):
        for text in _strings(container):
            for form in (text, unquote(text)):
                if HTML_SPECIAL.search(form) and len(form) >= 3:
                    found.add(form)
    return found


def stack_trace_in(body: str) -> str | None:
    """The start of the first stack trace or debug page found in ``body``, or None."""
    lowered = body.lower()
    for literal, marker in STACK_TRACE_MARKERS:
        match = marker.search(body) if literal in lowered else None
        if match:
            return match.group(0)[:EXCERPT]
    return None


@schemathesis.check
def no_reflected_html_or_stack_trace(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """REJ-023: a response never reflects request input as unescaped HTML nor shows a stack trace."""
    if not response.content:
        return None
    body = _body_text(response)
    trace = stack_trace_in(body)
    if trace is not None:
        raise AssertionError(
            f"REJ-023: the {response.status_code} response exposes a stack trace or debug page ({trace!r})"
        )
    media_type = _media_type(response)
    if media_type in ("text/html", "application/xhtml+xml"):
        for value in sorted(request_inputs(case)):
            if value in body:
                raise AssertionError(
                    f"REJ-023: the {response.status_code} {media_type} response reflects request input "
                    f"as unescaped HTML ({value[:EXCERPT]!r})"
                )
    return None


@schemathesis.check
def body_declares_its_content_type(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """REJ-053: a body has a ``Content-Type``; a body declared JSON parses as JSON (``conformance.hygiene``).

    A body the transport cut at its size limit is judged on its type only.
    """
    values = response.headers.get("content-type")
    cut = getattr(response.request, CUT_ATTRIBUTE, None) is not None
    problem = content_problem(response.status_code, response.content, values[0] if values else None, truncated=cut)
    if problem is not None:
        raise AssertionError(f"REJ-053: {problem}")
    return None


def _supplier_order_request(case: Case) -> str | None:
    """The order UUID of a positive request to an order-level operation, sent with the supplier's token."""
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return None
    if case.method.upper() != case.operation.method.upper() or not case.operation.path.startswith(ORDER_LEVEL_PATH):
        return None
    order_uuid = (case.path_parameters or {}).get(ORDER_PARAMETER)
    token = auth.bound_token("supplier")
    if not isinstance(order_uuid, str) or not CANONICAL_UUID.match(order_uuid) or token is None:
        return None
    if (case.headers or {}).get(auth.AUTH_HEADER) != auth.authorization_value(token):
        return None
    return order_uuid


def _is_unknown_order_request(case: Case) -> str | None:
    """The order UUID of a well-formed, authenticated, positive request naming no provisioned order."""
    order_uuid = _supplier_order_request(case)
    if order_uuid is None:
        return None
    pool = active_pool()
    if pool is not None and order_uuid in pool.provisioned():
        return None
    return order_uuid


@schemathesis.check
def unknown_order_answers_404(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """REJ-020: a well-formed UUID that names no order answers 404 (to an authenticated supplier)."""
    order_uuid = _is_unknown_order_request(case)
    if order_uuid is None or response.status_code in (404, 429):
        return None
    raise AssertionError(
        f"REJ-020: {order_uuid} names no order the run set up, yet the supplier got {response.status_code}, not 404"
    )


@schemathesis.check
def settled_order_answers_its_branch(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """REJ-010/011/012/042: an order the run set up in a settled state gets the answer that state calls for.

    Rejected, confirmed or never-cancelled orders answer 422; another organization's order 403 or 404.
    """
    order_uuid = _supplier_order_request(case)
    pool = active_pool()
    state = pool.settled_state(order_uuid) if order_uuid is not None and pool is not None else None
    if state not in EXPECTED_BY_STATE or response.status_code == 429:
        return None
    requirement, allowed = EXPECTED_BY_STATE[state]
    if response.status_code not in allowed:
        shown = " or ".join(str(status) for status in allowed)
        raise AssertionError(
            f"{requirement}: {case.operation.label} on {state!r} ({order_uuid}) answered "
            f"{response.status_code}, expected {shown}"
        )
    return None


REJECT_OPERATION_SUFFIX = "/reject/"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


@schemathesis.check
def other_methods_never_succeed(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """REJ-050: GET, POST, PUT or DELETE on the reject URL never answers 2xx (a 2xx may have changed state).

    The coverage phase sends these methods to the operation's URL; a success there, whatever the body, is
    an action the contract forbids (405 with ``Allow`` listing PATCH, state unchanged).
    """
    method = case.method.upper()
    if method == case.operation.method.upper() or method not in ("GET", "POST", "PUT", "DELETE"):
        return None
    if not case.operation.path.endswith(REJECT_OPERATION_SUFFIX) or not 200 <= response.status_code < 300:
        return None
    order_uuid = (case.path_parameters or {}).get(ORDER_PARAMETER)
    pool = active_pool()
    known = pool is not None and isinstance(order_uuid, str) and order_uuid in pool.provisioned()
    raise AssertionError(
        f"REJ-050: {method} on the reject URL answered {response.status_code}, expected 405"
        + (f"; {order_uuid} is an order the run set up, so its state may have changed" if known else "")
    )


def _decoded_forms(text: str) -> set[str]:
    """``text`` and its URL-decoded forms (once and twice), for inputs a server decodes more than once."""
    once = unquote(text)
    return {text, once, unquote(once)}


@schemathesis.check
def no_reflected_script_tag(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    """REJ-023: an HTML error body carries no ``<script>`` tag that the request sent, in any decoded form.

    Catches reflection the generic check misses: input decoded twice, or a tag split across request parts
    (path, query, headers) that the server pastes together.
    """
    if response.status_code < 400 or _media_type(response) not in ("text/html", "application/xhtml+xml"):
        return None
    tags = {match.group(0).lower() for match in SCRIPT_TAG.finditer(_body_text(response))}
    if not tags:
        return None
    sent = " ".join(
        form.lower()
        for container in (case.path_parameters, case.query, case.headers, case.cookies, case.body)
        for text in _strings(container)
        for form in _decoded_forms(text)
    )
    reflected = sorted(tag for tag in tags if tag in sent or "script" in sent)
    if reflected:
        raise AssertionError(
            f"REJ-023: the {response.status_code} {_media_type(response)} error reflects a script tag the "
            f"request sent ({reflected[0][:EXCERPT]!r})"
        )
    return None
