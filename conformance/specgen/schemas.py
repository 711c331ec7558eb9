"""JSON Schema from the docs: inferred from JSON examples, or built from documented fields.

Inference is deliberately loose: it states the types an example shows and no ``required`` list
(an example shows one answer, not which keys every answer has). A ``null`` in an example makes
the property nullable; its other type comes from the docs' field list when one names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.specgen.fields import Field

WORD = re.compile(r"[a-z0-9]+")
PARENTHESISED = re.compile(r"\([^)]*\)")


def schema_from_example(value: Any, hints: Mapping[str, Field] | None = None) -> dict[str, Any]:
    """The JSON Schema an example value shows; ``hints`` types the properties shown as null.

    A null whose type no hint gives is left unconstrained (any value, null included).
    """
    return _relax_null(_infer(value, None, hints or {}))


def _infer(value: Any, name: str | None, hints: Mapping[str, Field]) -> dict[str, Any]:
    if value is None:
        hint = hints.get(name or "")
        documented = hint.schema().get("type") if hint else None
        return {"type": [documented, "null"]} if isinstance(documented, str) else {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list):
        schema: dict[str, Any] = {"type": "array"}
        if value:
            schema["items"] = _union([_infer(item, None, hints) for item in value])
        return schema
    if isinstance(value, dict):
        properties = {str(key): _infer(item, str(key), hints) for key, item in value.items()}
        return {"type": "object", "properties": properties} if properties else {"type": "object"}
    return {}


def _types(schema: dict[str, Any]) -> set[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    return set(kind) if isinstance(kind, list) else {kind}


def _union(schemas: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One schema covering several inferred ones (array items shown with different keys or nulls)."""
    types: set[str] = set()
    for schema in schemas:
        found = _types(schema)
        if found is None:
            return {}
        types |= found
    solid = types - {"null"}
    if len(solid) > 1 and solid <= {"integer", "number"}:
        solid = {"number"}
    if len(solid) > 1:
        return {}
    if not solid:
        return {"type": "null"}
    kind = solid.pop()
    merged: dict[str, Any] = {"type": [kind, "null"] if "null" in types else kind}
    shaped = [schema for schema in schemas if kind in (_types(schema) or set())]
    if kind == "object":
        properties: dict[str, list[dict[str, Any]]] = {}
        for schema in shaped:
            for key, sub in schema.get("properties", {}).items():
                properties.setdefault(key, []).append(sub)
        if properties:
            merged["properties"] = {key: _union(subs) for key, subs in properties.items()}
    elif kind == "array":
        items = [schema["items"] for schema in shaped if "items" in schema]
        if items:
            merged["items"] = _union(items)
    return merged


def _relax_null(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace null-only schemas (a null with no known type) by the unconstrained schema."""
    if schema.get("type") == "null":
        return {}
    if "properties" in schema:
        schema["properties"] = {key: _relax_null(sub) for key, sub in schema["properties"].items()}
    if "items" in schema:
        schema["items"] = _relax_null(schema["items"])
    return schema


@dataclass(frozen=True)
class ObjectSection:
    """A ``#### X Object:`` section: its name words and its fields."""

    words: tuple[str, ...]
    fields: tuple[Field, ...]


def section_words(title: str) -> tuple[str, ...]:
    """Name words of an object section title: "Line Item Attribute Object:" → (line, item, attribute)."""
    words = WORD.findall(PARENTHESISED.sub(" ", title.lower()))
    while words and words[-1] in {"object", "objects", "list"}:
        words.pop()
    return _singular(tuple(words))


def _singular(words: tuple[str, ...]) -> tuple[str, ...]:
    if not words:
        return words
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return (*words[:-1], last)


def find_object_section(name: str, sections: Sequence[ObjectSection]) -> ObjectSection | None:
    """The object section documenting property ``name``: same words, else the longest suffix.

    ``skus`` → "SKU Object"; ``retailer_provided_line_item_attributes`` → "Line Item Attribute Object".
    """
    words = _singular(tuple(WORD.findall(name.lower())))
    best: ObjectSection | None = None
    for section in sections:
        size = len(section.words)
        if size and words[-size:] == section.words and (best is None or size > len(best.words)):
            best = section
    return best


def schema_from_fields(
    fields: Sequence[Field],
    sections: Sequence[ObjectSection],
    example: Any = None,
    _seen: frozenset[tuple[str, ...]] = frozenset(),
) -> dict[str, Any]:
    """An object schema from documented fields, nesting the object sections they refer to.

    Properties the example shows but the fields do not document are added as inferred; a property
    without a section of its own takes its shape from the example.
    """
    example_map = example if isinstance(example, dict) else {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in fields:
        if field.name in properties:
            continue
        properties[field.name] = _field_schema(field, sections, example_map.get(field.name), _seen)
        if field.required:
            required.append(field.name)
    for key, value in example_map.items():
        if key not in properties:
            properties[str(key)] = schema_from_example(value)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _field_schema(
    field: Field, sections: Sequence[ObjectSection], example: Any, seen: frozenset[tuple[str, ...]]
) -> dict[str, Any]:
    schema = field.schema()
    kind = schema.get("type")
    if kind not in {"object", "array"} or "items" in schema:
        return schema
    section = find_object_section(field.name, sections)
    if section is not None and section.words not in seen:
        element = example[0] if isinstance(example, list) and example else example
        nested = schema_from_fields(section.fields, sections, element, seen | {section.words})
        if kind == "array":
            nested = {"type": "array", "items": nested}
        return {**nested, "description": field.description} if field.description else nested
    if example is not None:
        inferred = schema_from_example(example)
        if inferred.get("type") == kind:
            return {**inferred, "description": field.description} if field.description else inferred
    return schema
