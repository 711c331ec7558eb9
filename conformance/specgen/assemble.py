"""Operations → one OpenAPI 3.1 document: merge, name, order, add servers/security/provenance, validate.

The output is deterministic: pages are read in path order, every mapping is built in a fixed
key order, and nothing depends on time or the machine.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from conformance.errors import UsageError
from conformance.specgen.diagnostics import Diagnostics
from conformance.specgen.jekyll_leniency import note_unclosed_front_matter
from conformance.specgen.links import add_links
from conformance.specgen.operations import (
    METHODS,
    SESSION_SECURITY,
    TOKEN_SECURITY,
    Operation,
    PageProblem,
    build_operation,
)
from conformance.specgen.pages import DocsTree, load_tree
from conformance.specgen.paths import path_shape
from conformance.specgen.responses import includes_codes_table, shared_codes
from conformance.specgen.sections import parse_markdown

OPENAPI_VERSION = "3.1.0"
URL_ONLY = re.compile(r"^\s*(https?://[^\s/]+)/?\s*$")
EXAMPLE_ORIGIN = re.compile(r"""(?:curl|http)\b[^\n]*?["'](?P<origin>https?://[^/"'\s]+)""")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


@dataclass
class Generated:
    """The generated document and what the docs gave cause to report."""

    document: dict[str, Any]
    diagnostics: Diagnostics
    operation_count: int


def generate(docs: Path, diagnostics: Diagnostics | None = None) -> Generated:
    """Read the docs tree at ``docs`` and build the validated OpenAPI document.

    Raises UsageError for a missing or empty docs folder, unreadable front matter, or a document
    that does not validate. Page-level problems are diagnostics (collected in ``diagnostics``,
    which the caller may pass to see them even when generation fails) and skip the page.
    """
    diagnostics = Diagnostics() if diagnostics is None else diagnostics
    tree = load_tree(docs)
    note_unclosed_front_matter(tree, diagnostics)
    codes, codes_page = shared_codes(tree)
    operations: list[Operation] = []
    for page in tree.pages:
        if page.commented_out_method:
            diagnostics.note(page.path, 1, "page is commented out (<!-- ... -->): not published, skipped")
            continue
        if not str(page.meta.get("method") or "").strip():
            continue
        try:
            operation = build_operation(page, tree, codes, diagnostics)
        except PageProblem as problem:
            diagnostics.warn(problem.path, problem.line, f"page skipped: {problem.message}")
            continue
        tree.use(page)
        if codes_page is not None and includes_codes_table(page):
            tree.use(codes_page)
        operations.append(operation)
    if not operations:
        raise UsageError(f"no page in {docs} documents an operation (front matter 'method:')")
    operations = _merge(_unify_placeholders(operations, diagnostics), diagnostics)
    _assign_operation_ids(operations)
    add_links(operations)
    document = _document(tree, operations)
    try:
        validate(document)
    except OpenAPIValidationError as error:
        message = " ".join(str(error).split("\n", 1)[0].split())
        raise UsageError(f"generated document is not valid OpenAPI: {message}") from error
    return Generated(document, diagnostics, len(operations))


def render(document: dict[str, Any], dumper: type[yaml.SafeDumper] | None = None) -> str:
    """The document as YAML, keys in the order they were built, no anchors or aliases.

    Uses libyaml's emitter when PyYAML has it (5x faster, same bytes; a test holds them equal).
    """
    return yaml.dump(
        document,
        Dumper=dumper or _FAST_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


class PlainDumper(yaml.SafeDumper):
    """Safe YAML that writes shared objects out in full instead of as ``&id``/``*id`` aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never alias: every value is written where it stands."""
        return True


if hasattr(yaml, "CSafeDumper"):

    class _CPlainDumper(yaml.CSafeDumper):  # type: ignore[name-defined,misc]
        """PlainDumper on libyaml's emitter."""

        def ignore_aliases(self, data: Any) -> bool:
            return True

    _FAST_DUMPER: type[yaml.SafeDumper] = _CPlainDumper  # type: ignore[assignment]
else:  # pragma: no cover - PyYAML built without libyaml
    _FAST_DUMPER = PlainDumper


def _unify_placeholders(operations: list[Operation], diagnostics: Diagnostics) -> list[Operation]:
    """Paths of one shape must name their placeholders alike: the first page's names win."""
    first_by_shape: dict[str, Operation] = {}
    for operation in operations:
        first = first_by_shape.setdefault(path_shape(operation.path), operation)
        if first.path == operation.path:
            continue
        renames = dict(zip(_names(operation.path), _names(first.path), strict=True))
        for parameter in operation.spec.get("parameters", []):
            if parameter["in"] == "path":
                parameter["name"] = renames.get(parameter["name"], parameter["name"])
        diagnostics.note(
            operation.page.path,
            operation.page.meta_line("title"),
            f"path {operation.path} written as {first.path} (as {first.page.path} names it)",
        )
        operation.path = first.path
    return operations


def _names(path: str) -> list[str]:
    return re.findall(r"\{([^}]*)\}", path)


def _merge(operations: list[Operation], diagnostics: Diagnostics) -> list[Operation]:
    """Pages documenting the same (method, path) become one operation, recorded in x-merged-from."""
    groups: dict[tuple[str, str], list[Operation]] = defaultdict(list)
    for operation in operations:
        groups[(operation.method, operation.path)].append(operation)
    merged: list[Operation] = []
    for (method, path), group in groups.items():
        primary = group[0]
        for other in group[1:]:
            _merge_into(primary.spec, other.spec)
            diagnostics.note(
                other.page.path,
                other.page.meta_line("method"),
                f"{method.upper()} {path} also documented by {primary.page.path}; merged into one operation",
            )
        if len(group) > 1:
            primary.merged_from = [operation.page.path for operation in group]
            primary.spec["x-merged-from"] = list(primary.merged_from)
        merged.append(primary)
    return merged


def _merge_into(target: dict[str, Any], other: dict[str, Any]) -> None:
    for tag in other.get("tags", []):
        if tag not in target["tags"]:
            target["tags"].append(tag)
    known = {(item["in"], item["name"]) for item in target.get("parameters", [])}
    extra = [item for item in other.get("parameters", []) if (item["in"], item["name"]) not in known]
    if extra:
        target.setdefault("parameters", []).extend(extra)
    if "requestBody" not in target and "requestBody" in other:
        target["requestBody"] = other["requestBody"]
    responses = target["responses"]
    for code, response in other["responses"].items():
        if code not in responses:
            responses[code] = response
        elif "content" not in responses[code] and "content" in response:
            responses[code]["content"] = response["content"]
    order = sorted(responses, key=lambda code: (code == "default", code))
    target["responses"] = {code: responses[code] for code in order}


def _assign_operation_ids(operations: list[Operation]) -> None:
    """operationId from the page's file name; clashes get the collection as prefix, then a number."""
    stems = [re.sub(r"\W", "_", Path(op.page.path).stem) for op in operations]
    taken: set[str] = set()
    for operation, stem in zip(operations, stems, strict=True):
        candidate = stem if stems.count(stem) == 1 else f"{operation.page.collection}_{stem}"
        unique, counter = candidate, 2
        while unique in taken:
            unique, counter = f"{candidate}_{counter}", counter + 1
        taken.add(unique)
        spec = operation.spec
        ordered = {key: spec[key] for key in ("tags", "summary", "description") if key in spec}
        ordered["operationId"] = unique
        ordered.update({key: value for key, value in spec.items() if key not in ordered})
        operation.spec = ordered


def _document(tree: DocsTree, operations: list[Operation]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for operation in sorted(operations, key=lambda op: (op.path, METHODS.index(op.method))):
        paths.setdefault(operation.path, {})[operation.method] = operation.spec
    servers = _servers(tree, operations)
    site = tree.config
    info: dict[str, Any] = {
        "title": f"{site.get('title') or 'API'} ({_version(operations)})",
        "version": _version(operations),
        "description": str(site.get("description") or "Generated from the docs."),
        "x-generated-from": [{"path": path, "sha256": tree.used[path]} for path in sorted(tree.used)],
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": info,
        "servers": servers,
        "tags": _tags(tree, operations),
        "security": [{TOKEN_SECURITY: []}, {SESSION_SECURITY: []}],
        "paths": paths,
        "components": {"securitySchemes": _security_schemes()},
    }


def _version(operations: list[Operation]) -> str:
    """The path prefix every operation shares (``timp``), which names the API release."""
    firsts = {operation.path.strip("/").split("/", 1)[0] for operation in operations}
    return firsts.pop() if len(firsts) == 1 else "unversioned"


def _servers(tree: DocsTree, operations: list[Operation]) -> list[dict[str, str]]:
    """Hosts the docs name: titled URL blocks (Sandbox, Production), then hosts the examples use."""
    servers: dict[str, str] = {}
    for page in tree.pages:
        if str(page.meta.get("method") or "").strip():
            continue
        for block in parse_markdown(str(page.meta.get("right_code") or "")).code_blocks:
            match = URL_ONLY.match(block.content)
            if match and block.title and match.group(1) not in servers:
                servers[match.group(1)] = f"{block.title} (named in {page.path})"
                tree.use(page)
    for operation in operations:
        for match in EXAMPLE_ORIGIN.finditer(operation.page.body):
            origin = match.group("origin")
            host = origin.split("://", 1)[1].split(":", 1)[0]
            if origin not in servers and host not in LOCAL_HOSTS:
                servers[origin] = f"Host used in the examples of {operation.page.path}"
    return [{"url": url, "description": description} for url, description in servers.items()]


def _tags(tree: DocsTree, operations: list[Operation]) -> list[dict[str, str]]:
    collections: dict[str, set[str]] = defaultdict(set)
    for operation in operations:
        collection = operation.page.collection
        collections[tree.collection_title(collection)].add(collection)
    order = sorted(collections.items(), key=lambda item: min((tree.collection_position(c), c) for c in item[1]))
    return [
        {"name": name, "description": "Pages of " + ", ".join(f"_{folder}/" for folder in sorted(folders))}
        for name, folders in order
    ]


def _security_schemes() -> dict[str, Any]:
    return {
        TOKEN_SECURITY: {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Header `Authorization: Token <auth_token>` (docs: Authentication).",
        },
        SESSION_SECURITY: {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The `sessionid` cookie the docs' examples also send.",
        },
    }
