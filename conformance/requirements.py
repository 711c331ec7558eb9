"""The requirement catalogue: every REJ id with its title, family, source page and weight.

This is the one place requirement ids live. Checks name an id from here, reports read titles from
here, and the project's tests fail when a check names an id that is missing or a mandatory
requirement has no check.
"""

from __future__ import annotations

from dataclasses import dataclass

REJECT_PAGE = "_order_supplier/oder_cancelation_reject.md"
CODES_PAGE = "_documentation/response_codes.md"
AUTH_PAGE = "_documentation/authentication.md"
PERMISSIONS_PAGE = "_documentation/permissions.md"
CONFIRM_PAGE = "_order_supplier/order_cancelation_confirmation.md"


@dataclass(frozen=True)
class Requirement:
    """One numbered requirement of CONTRACT.md."""

    id: str
    title: str
    family: str
    docs: str
    mandatory: bool = True


CATALOGUE: tuple[Requirement, ...] = (
    Requirement("REJ-001", "supplier rejects a pending cancellation: 200 (JSON) or 204 (empty)", "success", REJECT_PAGE),
    Requirement("REJ-002", "after a reject the order is not cancelled", "success", "_order/get_order_detail.md"),
    Requirement("REJ-003", "after a reject the cancellation is no longer pending (confirm answers 422)", "success", CONFIRM_PAGE),
    Requirement("REJ-010", "rejecting the same cancellation again answers 422, state unchanged", "repeat", CODES_PAGE),
    Requirement("REJ-011", "rejecting an order with no cancellation request answers 422", "repeat", CODES_PAGE),
    Requirement("REJ-012", "rejecting a confirmed cancellation answers 422, order stays cancelled", "repeat", CODES_PAGE),
    Requirement("REJ-013", "simultaneous rejects: exactly one 2xx, the rest 422, no 5xx", "concurrency", CODES_PAGE),
    Requirement("REJ-014", "simultaneous reject and confirm: exactly one wins, final state is the winner's", "concurrency", CONFIRM_PAGE),
    Requirement("REJ-020", "a well-formed UUID naming no order answers 404", "identifiers", CODES_PAGE),
    Requirement("REJ-021", "a malformed order_uuid answers 400, 404 or 422 (414 if long), never 2xx or 5xx", "identifiers", REJECT_PAGE),
    Requirement("REJ-022", "the uppercase form of a pending order's UUID answers 2xx or 404, never 5xx", "identifiers", REJECT_PAGE),
    Requirement("REJ-023", "errors never reflect input as HTML nor expose a stack trace or debug page", "security", REJECT_PAGE),
    Requirement("REJ-030", "no Authorization header answers 401", "auth", AUTH_PAGE),
    Requirement("REJ-031", "an unknown token answers 401", "auth", AUTH_PAGE),
    Requirement("REJ-032", "malformed Authorization headers answer 401", "auth", AUTH_PAGE),
    Requirement("REJ-033", "an expired or revoked token answers 401", "auth", "_organization/retreive_auth_token.md"),
    Requirement("REJ-034", "every 401 carries a WWW-Authenticate header", "auth", AUTH_PAGE),
    Requirement("REJ-035", "a valid token in the query string is never accepted (401)", "auth", AUTH_PAGE),
    Requirement("REJ-036", "a sessionid cookie without CSRF token answers 401 or 403, state unchanged", "auth", AUTH_PAGE),
    Requirement("REJ-037", "every refused authentication or authorization attempt leaves state unchanged", "auth", AUTH_PAGE),
    Requirement("REJ-040", "a retailer answers 409, state unchanged", "organization", CODES_PAGE),
    Requirement("REJ-041", "a supplier without cancel_order answers 403, state unchanged", "organization", PERMISSIONS_PAGE),
    Requirement("REJ-042", "another supplier's order answers 404 or 403, never 2xx, state unchanged", "organization", CODES_PAGE),
    Requirement("REJ-050", "GET, POST, PUT, DELETE answer 405 with an Allow header listing PATCH", "methods", CODES_PAGE),
    Requirement("REJ-051", "the URL without trailing slash never 5xx; a redirect points at the slashed URL", "methods", REJECT_PAGE),
    Requirement("REJ-052", "PATCH with a JSON body {} behaves as with no body", "methods", AUTH_PAGE),
    Requirement("REJ-053", "every body has a Content-Type; a body declared JSON parses as JSON", "hygiene", CODES_PAGE),
    Requirement("REJ-054", "every status is documented (plus 301/308/414/429); 5xx always fails", "hygiene", CODES_PAGE),
    Requirement("REJ-060", "Schemathesis on the generated spec: no 5xx, documented statuses, auth not ignored", "fuzz", REJECT_PAGE),
    Requirement("REJ-070", "latency p50/p95/p99 reported; an optional threshold fails the run", "latency", REJECT_PAGE, mandatory=False),
)

BY_ID: dict[str, Requirement] = {requirement.id: requirement for requirement in CATALOGUE}


def get(requirement_id: str) -> Requirement:
    """Return the requirement with this id; raise KeyError naming it when the catalogue lacks it."""
    try:
        return BY_ID[requirement_id]
    except KeyError:
        raise KeyError(f"unknown requirement id {requirement_id!r}") from None
