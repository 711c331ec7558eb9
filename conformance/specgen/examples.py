"""Reading the docs' JSON examples, forgiving the slips hand-written examples have.

Tried in order: strict JSON; then with trailing commas removed, commas inserted between a value
that ends a line and a key or value that starts the next, and unclosed brackets closed at the end.
Anything still unreadable is reported by the caller and left out of the document.
"""

from __future__ import annotations

import json
import re
from typing import Any

TRAILING_COMMA = re.compile(r",(\s*[\]}])")
MISSING_COMMA = re.compile(r'(["\d\]}]|true|false|null)(\s*\n\s*)(["{\[])')


class ExampleError(ValueError):
    """A JSON example that could not be read even leniently."""


def parse_example(text: str) -> Any:
    """The value of a JSON example; raises ExampleError with a one-line reason."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as strict_error:
        repaired = MISSING_COMMA.sub(r"\1,\2\3", TRAILING_COMMA.sub(r"\1", text))
        for candidate in (repaired, _close_brackets(repaired)):
            try:
                return json.loads(candidate)
            except json.JSONDecodeError:
                continue
        raise ExampleError(
            f"unreadable JSON example ({strict_error.msg} at line {strict_error.lineno})"
        ) from strict_error


def _close_brackets(text: str) -> str:
    """Close brackets left open at the end, and drop closers that match nothing."""
    stack: list[str] = []
    out: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]":
            if not stack:
                continue
            while stack and stack[-1] != char:
                out.append(stack.pop())
            if stack:
                stack.pop()
        out.append(char)
    return "".join(out) + "".join(reversed(stack))
