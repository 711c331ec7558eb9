"""One docs page with a ``method`` → one OpenAPI operation.

Reads, in the docs' own words: the path (title), summary (name), description (description plus
the lead text), path parameters (URL Parameters), query parameters (Request Parameters of a GET)
or the request body (Request Parameters, ``#### X Object`` sections, the ``Request`` example),
responses (Response Codes table, the ``Response`` example) and security (what the examples send).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from conformance.specgen.diagnostics import Diagnostics
from conformance.specgen.examples import ExampleError, parse_example
from conformance.specgen.fields import Field, field_from_definition
from conformance.specgen.jekyll_leniency import warn_missing_include
from conformance.specgen.pages import DocsTree, ExpandedText, IncludeProblem, Page
from conformance.specgen.paths import path_from_title
from conformance.specgen.responses import ResponseCode, codes_from_rows, includes_codes_table
from conformance.specgen.schemas import (
    ObjectSection,
    schema_from_example,
    schema_from_fields,
    section_words,
)
from conformance.specgen.sections import CodeBlock, ParsedMarkdown, Section, parse_markdown

URL_PATH = re.compile(r"^/[^\s?#<>&]*$")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
NO_BODY_STATUSES = frozenset({"204", "205", "304"})
FORM_UPLOAD = re.compile(r"(?:^|\s)(?:-F|--form)\s|multipart/form-data")
SECTION_KINDS = (("url parameter", "url"), ("request parameter", "request"), ("response parameter", "response"))
TOKEN_HEADER = re.compile(r"Authorization\W+Token\b")
TOKEN_SECURITY = "tokenAuth"  # noqa: S105 - a scheme name, not a secret
SESSION_SECURITY = "sessionCookie"


class PageProblem(Exception):
    """A page that cannot be turned into an operation; it is skipped with a warning."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


@dataclass
class Operation:
    """An operation built from one page (or several, once merged)."""

    method: str
    path: str
    page: Page
    spec: dict[str, Any]
    merged_from: list[str] = field(default_factory=list)


@dataclass
class _Documented:
    """The page's parameter lists and object sections, grouped by the heading they stand under."""

    fields: dict[str, list[Field]] = field(default_factory=dict)
    objects: dict[str, list[ObjectSection]] = field(default_factory=dict)


def build_operation(
    page: Page, tree: DocsTree, shared_codes: dict[str, ResponseCode], diagnostics: Diagnostics
) -> Operation:
    """Turn one page into an Operation; raises PageProblem when the page cannot be read as one."""
    method = str(page.meta.get("method") or "").strip().lower()
    if method not in METHODS:
        raise PageProblem(page.path, page.meta_line("method"), f"unknown HTTP method {method!r}")
    title = str(page.meta.get("title") or "").strip()
    path, placeholders = path_from_title(title)
    if not URL_PATH.match(path):
        raise PageProblem(page.path, page.meta_line("title"), f"title {title!r} is not a URL path")
    if len(set(placeholders)) != len(placeholders):
        raise PageProblem(page.path, page.meta_line("title"), f"title {title!r} repeats a placeholder")
    try:
        expanded = tree.expand(page, lambda missing: warn_missing_include(page, missing, diagnostics))
    except IncludeProblem as problem:
        raise PageProblem(problem.path, problem.line, problem.message) from problem
    body = parse_markdown(expanded.text)
    right = parse_markdown(str(page.meta.get("right_code") or ""))
    documented = _group_sections(body.sections)
    request_example = _example(right, "request", page, diagnostics)
    response_example = _example(right, "response", page, diagnostics)

    spec: dict[str, Any] = {
        "tags": [tree.collection_title(page.collection)],
        "summary": str(page.meta.get("name") or title).strip(),
        "description": _description(page, body),
    }
    parameters = _path_parameters(placeholders, documented.fields.get("url", []), expanded, diagnostics)
    if method == "get":
        parameters += [_query_parameter(item) for item in documented.fields.get("request", [])]
    if parameters:
        spec["parameters"] = parameters
    if method != "get":
        request_body = _request_body(documented, request_example, body.code_blocks)
        if request_body:
            spec["requestBody"] = request_body
    codes = dict(shared_codes) if includes_codes_table(page) else {}
    codes.update(codes_from_rows(body.all_table_rows()))
    spec["responses"] = _responses(codes, response_example, documented)
    security = _security(method, body.code_blocks)
    if security is not None:
        spec["security"] = security
    spec["x-docs-page"] = page.path
    return Operation(method=method, path=path, page=page, spec=spec)


def _group_sections(sections: list[Section]) -> _Documented:
    """Assign each section's definitions to url/request/response lists or to object sections."""
    documented = _Documented()
    kind, kind_level = "", 0
    for section in sections:
        lowered = section.title.lower()
        named = next((name for words, name in SECTION_KINDS if words in lowered), None)
        optional = lowered.strip(" :") == "optional"
        if named is not None:
            kind, kind_level = named, section.level
        elif optional and kind:
            pass
        elif kind and section.level > kind_level:
            words = section_words(section.title)
            fields = tuple(filter(None, (field_from_definition(item) for item in section.definitions)))
            if words and fields:
                documented.objects.setdefault(kind, []).append(ObjectSection(words, fields))
            continue
        else:
            kind, kind_level = "", 0
            continue
        required = False if optional else None
        fields_here = (field_from_definition(item, required) for item in section.definitions)
        documented.fields.setdefault(kind, []).extend(item for item in fields_here if item)
    return documented


def _description(page: Page, body: ParsedMarkdown) -> str:
    description = " ".join(str(page.meta.get("description") or "").split())
    lead = [" ".join(paragraph.split()) for paragraph in body.lead if not paragraph.startswith("<!--")]
    repeated = bool(lead) and lead[0].lower().startswith(description.rstrip(".").lower())
    parts = [description] if description and not repeated else []
    parts.extend(paragraph for paragraph in lead if paragraph)
    return "\n\n".join(parts)


def _example(right: ParsedMarkdown, title: str, page: Page, diagnostics: Diagnostics) -> Any:
    """The parsed JSON of the right-hand code block titled ``title``, or None."""
    block = next((block for block in right.code_blocks if block.title.strip().lower() == title), None)
    if block is None or not block.content.strip():
        return None
    try:
        return parse_example(block.content)
    except ExampleError as error:
        line = page.meta_line("right_code") + 1 + block.line
        diagnostics.warn(page.path, line, f"{title.title()} example left out: {error}")
        return None


def _path_parameters(
    placeholders: tuple[str, ...], documented: list[Field], expanded: ExpandedText, diagnostics: Diagnostics
) -> list[dict[str, Any]]:
    """One required path parameter per placeholder, described by the matching URL Parameter."""
    by_name = {_key(item.name): item for item in documented}
    matched: dict[str, Field] = {}
    for name in placeholders:
        if _key(name) in by_name:
            matched[name] = by_name.pop(_key(name))
    unmatched = [name for name in placeholders if name not in matched]
    if len(unmatched) == 1 and len(by_name) == 1:
        only = next(iter(by_name.values()))
        if _related(_key(only.name), _key(unmatched[0])):
            matched[unmatched[0]] = only
            diagnostics.note(
                *expanded.origin(only.line),
                f"URL parameter {only.name!r} documents path placeholder {unmatched[0]!r}",
            )
    for item in documented:
        if item not in matched.values():
            where = expanded.origin(item.line)
            diagnostics.note(*where, f"URL parameter {item.name!r} names no placeholder of the path")
    parameters = []
    for name in dict.fromkeys(placeholders):
        item = matched.get(name)
        schema = item.schema() if item else {}
        description = schema.pop("description", "")
        if "type" not in schema:
            schema = {"type": "string", **schema}
        parameter: dict[str, Any] = {"name": name, "in": "path"}
        if description:
            parameter["description"] = description
        parameter["required"] = True
        parameter["schema"] = schema
        parameters.append(parameter)
    return parameters


def _related(one: str, other: str) -> bool:
    """``record_uuid`` and ``uuid``, ``token`` and ``invitation_token``: one ends with the other."""
    return one.endswith("_" + other) or other.endswith("_" + one)


def _key(name: str) -> str:
    return name.lower().replace("-", "_")


def _query_parameter(item: Field) -> dict[str, Any]:
    schema = item.schema()
    description = schema.pop("description", "")
    if schema.get("type") == "array" and "items" not in schema:
        schema["items"] = {"type": "string", "format": "uuid"} if item.is_uuid else {"type": "string"}
    if not schema:
        schema = {"type": "string"}
    parameter: dict[str, Any] = {"name": item.name, "in": "query"}
    if description:
        parameter["description"] = description
    parameter["required"] = item.required
    parameter["schema"] = schema
    if schema.get("type") == "array":
        parameter["style"] = "form"
        parameter["explode"] = True
    return parameter


def _request_body(documented: _Documented, example: Any, code_blocks: list[CodeBlock]) -> dict[str, Any] | None:
    fields = documented.fields.get("request", [])
    if not fields and example is None:
        return None
    objects = documented.objects.get("request", [])
    schema = schema_from_fields(fields, objects, example) if fields else schema_from_example(example)
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    uploads = any(FORM_UPLOAD.search(block.content) for block in code_blocks)
    media_type = "multipart/form-data" if uploads else "application/json"
    required = bool(schema.get("required")) or example is not None
    return {"required": required, "content": {media_type: media}}


def _responses(codes: dict[str, ResponseCode], example: Any, documented: _Documented) -> dict[str, Any]:
    """Every documented code; the Response example (and its schema) on success codes with a body."""
    content = None
    if example is not None:
        hints: dict[str, Field] = {}
        for item in documented.fields.get("response", []):
            hints.setdefault(item.name, item)
        for section in documented.objects.get("response", []):
            for item in section.fields:
                hints.setdefault(item.name, item)
        content = {"application/json": {"schema": schema_from_example(example, hints), "example": example}}
    if not codes:
        response: dict[str, Any] = {"description": "Response codes not documented for this page"}
        if content:
            response["content"] = content
        return {"default": response}
    responses: dict[str, Any] = {}
    for code in sorted(codes):
        response = codes[code].as_response()
        if content and code.startswith("2") and code not in NO_BODY_STATUSES:
            response["content"] = content
        responses[code] = response
    return responses


def _security(method: str, code_blocks: list[CodeBlock]) -> list[dict[str, list[str]]] | None:
    """The operation's security from its examples; None keeps the document's default.

    Examples that send no ``Authorization: Token`` header document a public call (``[]``; the login
    page's examples send only an empty ``Basic`` header). Unsafe methods
    take the token only: a ``sessionid`` cookie without a CSRF token cannot authorise them.
    """
    requests = [block for block in code_blocks if block.content.lstrip().startswith(("curl", "http"))]
    if requests and not any(TOKEN_HEADER.search(block.content) for block in requests):
        return []
    if method in {"get", "head", "options"}:
        return None
    return [{TOKEN_SECURITY: []}]
