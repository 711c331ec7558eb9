"""The fault registry: one named, isolated deviation from CONTRACT.md per entry.

Each fault is a switch the target server checks at exactly one place in its code
(search the server modules for the fault's name). ``requirement`` is the REJ id the
fault violates; ``also`` lists ids it unavoidably violates as well, as observed in
``reports/fault-matrix.md`` (a fault that changes success statuses also yields an
undocumented status; the fuzz stage REJ-060 re-checks REJ-023/050/053 and auth).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One injectable deviation: its name, the requirement it breaks, and what it does."""

    name: str
    requirement: str
    description: str
    also: tuple[str, ...] = ()
    style: str = "json"  # the conformant style the fault is injected into
    model_only: bool = False  # breaks its requirement only in a combination no hand-written check tries


_FAULT_LIST: tuple[Fault, ...] = (
    # REJ-001 success answer
    Fault("success-202", "REJ-001", "a successful reject answers 202 Accepted", also=("REJ-022", "REJ-054", "REJ-060")),
    Fault("success-200-text", "REJ-001", "a successful reject answers 200 with a text/plain body 'OK'"),
    Fault("success-200-empty", "REJ-001", "a successful reject answers 200 with an empty body"),
    # REJ-002 / REJ-003 effect of the reject
    Fault(
        "reject-cancels-items",
        "REJ-002",
        "a reject marks the order's line items Cancelled",
        also=("REJ-003", "REJ-010", "REJ-013", "REJ-014", "REJ-022"),
    ),
    Fault(
        "reject-leaves-pending",
        "REJ-003",
        "a reject answers success but leaves the cancellation pending",
        also=("REJ-010", "REJ-013", "REJ-014", "REJ-022"),
    ),
    Fault(
        "confirm-accepts-rejected",
        "REJ-003",
        "confirm succeeds on a rejected cancellation and cancels the order",
        also=("REJ-010", "REJ-013", "REJ-014", "REJ-022"),
    ),
    # REJ-010..012 repeats and wrong states
    Fault(
        "repeat-reject-2xx",
        "REJ-010",
        "rejecting an already rejected cancellation answers 200 again (idempotent)",
        also=("REJ-013",),
    ),
    Fault(
        "repeat-reject-409",
        "REJ-010",
        "rejecting an already rejected cancellation answers 409",
        also=("REJ-013", "REJ-060"),
    ),
    Fault("no-request-2xx", "REJ-011", "rejecting an order without a cancellation request answers success"),
    Fault(
        "confirmed-uncancelled",
        "REJ-012",
        "rejecting a confirmed cancellation answers success and un-cancels the line items",
        also=("REJ-014",),
    ),
    # REJ-013 / REJ-014 races
    Fault(
        "reject-race",
        "REJ-013",
        "reject reads the state, sleeps, then writes, re-checking only for a confirm: concurrent rejects all win",
    ),
    Fault(
        "reject-confirm-race",
        "REJ-014",
        "reject and confirm each lock only against themselves across read, sleep, write: both can win",
    ),
    # REJ-020..023 identifiers and error pages
    Fault(
        "unknown-uuid-422",
        "REJ-020",
        "a well-formed UUID naming no order answers 422 instead of 404",
        also=("REJ-060",),
    ),
    Fault("malformed-id-403", "REJ-021", "a malformed identifier answers 403"),
    Fault("malformed-nul-500", "REJ-021", "an identifier containing NUL answers 500", also=("REJ-054",)),
    Fault("uppercase-400", "REJ-022", "an uppercase UUID is treated as malformed (400)"),
    Fault("uppercase-500", "REJ-022", "an uppercase UUID answers 500", also=("REJ-054",)),
    Fault(
        "html-reflects-path",
        "REJ-023",
        "404 and malformed-identifier errors are HTML pages echoing the decoded path unescaped",
        also=("REJ-060",),
    ),
    Fault(
        "html-404-reflects-path",
        "REJ-023",
        "the HTML page for unresolvable URLs echoes the decoded path unescaped (routing on the decoded path)",
        style="strict",
    ),
    Fault("traceback-in-error", "REJ-023", "malformed-identifier errors include a Python traceback", also=("REJ-060",)),
    # REJ-030..037 authentication
    Fault(
        "anonymous-403",
        "REJ-030",
        "a request without credentials answers 403 instead of 401",
        also=("REJ-035", "REJ-060"),
    ),
    Fault("unknown-token-403", "REJ-031", "an unknown token answers 403 instead of 401"),
    Fault(
        "malformed-auth-400",
        "REJ-032",
        "a malformed Authorization header answers 400 instead of 401",
        also=("REJ-060",),
    ),
    Fault(
        "expired-token-accepted",
        "REJ-033",
        "an expired token authenticates its user",
        also=("REJ-037",),
    ),
    Fault("401-without-www-authenticate", "REJ-034", "401 answers carry no WWW-Authenticate header"),
    Fault(
        "expired-401-without-www-authenticate",
        "REJ-034",
        "only the 401 for an expired token lacks WWW-Authenticate (every other 401 has it)",
    ),
    Fault(
        "query-token-accepted",
        "REJ-035",
        "a valid token in the query string (token, auth_token, access_token, key) authenticates",
        also=("REJ-037",),
    ),
    Fault(
        "session-without-csrf-accepted",
        "REJ-036",
        "a sessionid cookie authenticates an unsafe request without a CSRF token",
        also=("REJ-037",),
    ),
    Fault(
        "refused-401-still-applies",
        "REJ-037",
        "a request refused with 401 still rejects the pending cancellation it names",
    ),
    Fault(
        "retailer-409-still-applies",
        "REJ-037",
        "a retailer is refused with 409 but the pending cancellation is rejected anyway",
        also=("REJ-040",),
    ),
    # REJ-040..042 organization and permission
    Fault("retailer-403", "REJ-040", "a retailer answers 403 instead of 409"),
    Fault(
        "no-permission-accepted",
        "REJ-041",
        "a supplier without cancel_order may reject",
        also=("REJ-037",),
    ),
    Fault(
        "other-org-accepted",
        "REJ-042",
        "a supplier of another organization may reject",
        also=("REJ-037",),
    ),
    # REJ-050..054 methods, URLs, bodies, hygiene
    Fault("405-without-allow", "REJ-050", "405 answers carry no Allow header", also=("REJ-060",)),
    Fault("get-answers-200", "REJ-050", "GET on the reject URL answers 200 with the order detail"),
    Fault(
        "slashless-redirect-wrong",
        "REJ-051",
        "the URL without its trailing slash redirects to the order detail URL",
    ),
    Fault("slashless-500", "REJ-051", "the URL without its trailing slash answers 500", also=("REJ-054",)),
    Fault("json-body-415", "REJ-052", "a PATCH with a JSON body answers 415"),
    Fault(
        "error-json-not-json",
        "REJ-053",
        "error bodies are declared application/json but are plain text",
        also=("REJ-060",),
    ),
    Fault(
        "405-body-not-json",
        "REJ-053",
        "only 405 answers have a body declared application/json that is not JSON",
        also=("REJ-060",),
    ),
    Fault("error-without-content-type", "REJ-053", "422 answers have a body but no Content-Type", also=("REJ-060",)),
    Fault("slashless-410", "REJ-054", "the URL without its trailing slash answers 410 Gone"),
)

#: Faults only the model stage (``conformance/model``) catches: each breaks one requirement in a combination
#: of state, actor, spelling, body, method, interleaving or several steps that no hand-written check tries.
_MODEL_FAULT_LIST: tuple[Fault, ...] = tuple(
    Fault(name, requirement, description, model_only=True)
    for name, requirement, description in (
        # state x actor
        ("no-permission-after-state", "REJ-041",
         "supplier_no_permission gets 422 (not 403) when the cancellation is not pending"),
        ("retailer-after-state", "REJ-040", "a retailer gets 422 (not 409) when the cancellation is not pending"),
        ("unknown-token-after-state", "REJ-031",
         "an unknown token gets 422 (not 401) when the cancellation is not pending"),
        # actor
        ("token-extra-words-accepted", "REJ-032", "`Token <valid token> <more>` authenticates with the first value"),
        # spelling
        ("lenient-uuid-parse", "REJ-021",
         "identifiers are read with uuid.UUID(): braces, urn:uuid: and hyphen-less forms name the order"),
        ("whitespace-trimmed", "REJ-021", "an identifier with surrounding whitespace is trimmed and applies"),
        ("trailing-junk-ignored", "REJ-021", "an identifier whose first 36 characters are a UUID names that order"),
        ("uppercase-repeat-2xx", "REJ-010",
         "rejecting a rejected cancellation by its uppercase identifier answers 2xx"),
        # body
        ("unknown-fields-422", "REJ-052", "a JSON object with fields answers 422 without acting"),
        ("body-skips-repeat-check", "REJ-010", "a reject with a body on a rejected cancellation answers 2xx again"),
        ("text-body-confirms", "REJ-052", "a text/plain body answers 415 but confirms the pending cancellation"),
        # method, slash
        ("other-method-reopens-rejected", "REJ-050",
         "GET, POST, PUT or DELETE on a rejected cancellation answers 405 but makes it pending again"),
        ("slashless-redirect-applies", "REJ-051", "the unslashed reject URL rejects the cancellation, then redirects"),
        # interleaving
        ("spelling-keyed-lock-race", "REJ-013",
         "rejects lock on the identifier as spelled: the canonical and uppercase forms both win together"),
        ("json-body-skips-lock-race", "REJ-013", "a reject with a JSON body skips the lock: it wins alongside another"),
        # several steps
        ("second-reject-uncancels", "REJ-012",
         "the second refused reject of a confirmed cancellation answers 422 but un-cancels the line items"),
        ("third-refusal-applies", "REJ-037",
         "the third refused attempt (401, 403, 404, 409) on one order rejects its pending cancellation"),
    )
)  # fmt: skip

FAULTS: dict[str, Fault] = {fault.name: fault for fault in _FAULT_LIST + _MODEL_FAULT_LIST}
#: The faults the hand-written checks catch; the model stage's own are judged by tests/selftest/test_model_faults.py.
HAND_WRITTEN_FAULTS: dict[str, Fault] = {name: fault for name, fault in FAULTS.items() if not fault.model_only}
MODEL_FAULTS: dict[str, Fault] = {name: fault for name, fault in FAULTS.items() if fault.model_only}
