"""One documented parameter: ``name`` / ``: (type) ***Required*** description`` → a Field.

Also the vocabulary shared by the generator: which docs type words map to which JSON Schema,
and which descriptions name a UUID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conformance.specgen.sections import Definition

TYPE_PREFIX = re.compile(r"^\(\s*(?P<type>[^)]*?)\s*\)\s*")
REQUIRED_MARKER = re.compile(r"\*{1,3}\s*required\s*\*{1,3}\s*", re.IGNORECASE)
UUID_WORDS = re.compile(r"universal(?:ly)?\s+unique\s+identifier", re.IGNORECASE)
NAME_NOISE = re.compile(r"&lt;?|&gt;?|[<>`:*\s]")
PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-\[\]]*$")

DOCS_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "str": {"type": "string"},
    "uuid": {"type": "string", "format": "uuid"},
    "integer": {"type": "integer"},
    "int": {"type": "integer"},
    "decimal": {"type": "number"},
    "number": {"type": "number"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "bool": {"type": "boolean"},
    "array": {"type": "array"},
    "list": {"type": "array"},
    "string list": {"type": "array", "items": {"type": "string"}},
    "object": {"type": "object"},
}


@dataclass(frozen=True)
class Field:
    """A documented parameter or property."""

    name: str
    docs_type: str
    required: bool
    description: str
    line: int

    @property
    def is_uuid(self) -> bool:
        """True where the docs call the value a Universal Unique Identifier."""
        return self.docs_type == "uuid" or bool(UUID_WORDS.search(self.description))

    def schema(self) -> dict[str, Any]:
        """The JSON Schema the docs' type word names, ``format: uuid`` for UUID strings."""
        schema = dict(DOCS_TYPES.get(self.docs_type, {}))
        if schema.get("type") == "string" and self.is_uuid:
            schema["format"] = "uuid"
        if self.description:
            schema["description"] = self.description
        return schema


def field_from_definition(definition: Definition, required: bool | None = None) -> Field | None:
    """Read one definition; None when its term is prose rather than a parameter name.

    The term tolerates the docs' typos (``order_item_uuid>``, ``name:``); ``required`` forces the
    flag (a section headed "Optional").
    """
    name = NAME_NOISE.sub("", definition.term)
    if not name or not PLAIN_NAME.match(name):
        return None
    text = definition.text.strip()
    docs_type = ""
    match = TYPE_PREFIX.match(text)
    if match:
        docs_type = " ".join(match.group("type").lower().split())
        text = text[match.end() :]
    marked = bool(REQUIRED_MARKER.search(text))
    text = REQUIRED_MARKER.sub("", text).strip()
    return Field(
        name=name,
        docs_type=docs_type,
        required=marked if required is None else required,
        description=text,
        line=definition.line,
    )
