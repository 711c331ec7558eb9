"""Find the generated OpenAPI spec and load it as a Schemathesis schema restricted to the operations under test.

By default only the reject operation is fuzzed; ``siblings=True`` adds confirm, item reject and item confirm,
which share the contract's status table and authentication.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.core.errors import LoaderError
from schemathesis.core.result import Ok
from schemathesis.schemas import BaseSchema

import conformance
from conformance.errors import UsageError
from conformance.fuzz.settings import FuzzOptions, build_config
from conformance.spec_document import SpecDocumentError, read_document

SPEC_RELATIVE = Path("specs") / "openapi.yaml"
#: Statuses CONTRACT.md's REJ-054 allows besides the docs' table.
CONTRACT_EXTRA_STATUSES = {
    "301": "Moved Permanently (allowed by the contract, REJ-054)",
    "308": "Permanent Redirect (allowed by the contract, REJ-054)",
    "414": "URI Too Long (allowed by the contract, REJ-054)",
    "429": "Too Many Requests (allowed by the contract, REJ-054)",
}

#: Path patterns (any parameter name) of the operation under test and of its siblings; all PATCH.
REJECT_PATH = r"^/timp/orders/cancel/\{[^}/]+\}/reject/$"
#: The retailer's cancel order: the spec links it to reject and confirm (the stateful phase's first step).
CANCEL_ORDER_PATH = r"^/timp/orders/cancel/$"
SIBLING_PATHS = (
    r"^/timp/orders/cancel/\{[^}/]+\}/confirm/$",
    r"^/timp/orders/items/cancel/\{[^}/]+\}/reject/$",
    r"^/timp/orders/items/cancel/\{[^}/]+\}/confirm/$",
)


def default_spec_path() -> Path | None:
    """The spec to use without ``--spec``: the source checkout's ``specs/openapi.yaml``, else a packaged copy."""
    checkout = Path(conformance.__file__).resolve().parent.parent / SPEC_RELATIVE
    if checkout.is_file():
        return checkout
    packaged = resources.files("conformance").joinpath("specs/openapi.yaml")
    if packaged.is_file():
        return Path(str(packaged))
    return None


def resolve_spec_path(explicit: Path | None) -> Path:
    """Return the spec file to load; UsageError (exit 4) with one line when there is none."""
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"--spec: no such file: {explicit}")
        return explicit
    found = default_spec_path()
    if found is None:
        raise UsageError(
            f"no OpenAPI spec found: generate {SPEC_RELATIVE} with `crux-conformance spec` or pass --spec FILE"
        )
    return found


def path_patterns(siblings: bool) -> tuple[str, ...]:
    """The path regexes of the operations to fuzz."""
    return (REJECT_PATH, *SIBLING_PATHS) if siblings else (REJECT_PATH,)


def with_contract_statuses(document: dict[str, Any]) -> dict[str, Any]:
    """Add the statuses CONTRACT.md allows beyond the docs' table (REJ-054) to the operations under test.

    The committed spec says what the docs say; a conformant target may still redirect, refuse a very long
    URL or throttle, and Schemathesis's status check must not fail it for that.
    """
    regex = re.compile("|".join(f"(?:{pattern})" for pattern in (REJECT_PATH, *SIBLING_PATHS)))
    for path, item in (document.get("paths") or {}).items():
        if not regex.match(path) or not isinstance(item, dict):
            continue
        for operation in item.values():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            if isinstance(responses, dict):
                for status, description in CONTRACT_EXTRA_STATUSES.items():
                    responses.setdefault(status, {"description": description})
    return document


def load_spec(options: FuzzOptions, base_url: str | None = None) -> BaseSchema:
    """Load the whole spec with the run's Schemathesis settings (UsageError when it cannot be read)."""
    path = resolve_spec_path(options.spec)
    try:
        document = read_document(path)  # parsed once per spec content (conformance.spec_document)
    except OSError as error:
        raise UsageError(f"cannot load OpenAPI spec {path}: {error.strerror or error}") from None
    except SpecDocumentError as error:
        raise UsageError(f"cannot load OpenAPI spec {error}") from None
    if not isinstance(document, dict):
        raise UsageError(f"cannot load OpenAPI spec {path}: not a mapping")
    try:
        return schemathesis.openapi.from_dict(with_contract_statuses(document), config=build_config(options, base_url))
    except LoaderError as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise UsageError(f"cannot load OpenAPI spec {path}: {first_line}") from None


def select_operations(schema: BaseSchema, *, siblings: bool, stateful: bool = False) -> BaseSchema:
    """Keep only the PATCH operations under test (and, for the stateful phase, the retailer's cancel order
    that links to them); UsageError when the spec lacks the reject operation."""
    patterns = path_patterns(siblings) + ((CANCEL_ORDER_PATH,) if stateful else ())
    selected = schema.include(path_regex="|".join(f"(?:{pattern})" for pattern in patterns), method="PATCH")
    labels = [result.ok().path for result in selected.get_all_operations() if isinstance(result, Ok)]
    if not any(re.match(REJECT_PATH, label) for label in labels):
        raise UsageError(
            f"OpenAPI spec {schema.location or ''} has no PATCH /timp/orders/cancel/{{order_uuid}}/reject/ operation"
        )
    return selected


def load_schema(options: FuzzOptions, base_url: str | None = None, *, stateful: bool = False) -> BaseSchema:
    """Load the spec and keep the operations to fuzz (see ``select_operations``)."""
    return select_operations(load_spec(options, base_url), siblings=options.siblings, stateful=stateful)


def has_links_to_operations_under_test(schema: BaseSchema) -> bool:
    """True when an operation of ``schema`` declares an OpenAPI link to an operation under test."""
    regex = re.compile("|".join(f"(?:{pattern})" for pattern in (REJECT_PATH, *SIBLING_PATHS)))
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    targets = {schema.get_operation_id(op) for op in operations if regex.match(op.path)}
    for operation in operations:
        for response in (operation.definition.raw.get("responses") or {}).values():
            links = response.get("links") if isinstance(response, dict) else None
            if any(link.get("operationId") in targets for link in (links or {}).values()):
                return True
    return False
