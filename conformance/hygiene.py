"""REJ-053's rule, once: a response body has a ``Content-Type``, and a body declared JSON parses as JSON.

The hand-written audit (``checks/test_hygiene.py``) and the fuzz stage's check (``fuzz/checks.py``) both
ask ``content_problem``; a body the transport cut at its size limit is judged on its type only.
"""

from __future__ import annotations

import json
import re

JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json$", re.IGNORECASE)


def media_type(content_type: str | None) -> str | None:
    """The media type of a ``Content-Type`` value, lower-case, without parameters (None when absent)."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def declares_json(content_type: str | None) -> bool:
    """True when ``content_type`` is ``application/json`` or any ``application/…+json``."""
    kind = media_type(content_type)
    return kind is not None and JSON_TYPE.match(kind) is not None


def content_problem(status: int, body: bytes, content_type: str | None, *, truncated: bool = False) -> str | None:
    """Name what breaks REJ-053 in one response (None when nothing does)."""
    if not body:
        return None
    kind = media_type(content_type)
    if kind is None:
        return f"the {status} response has a {len(body)}-byte body but no Content-Type header"
    if declares_json(content_type) and not truncated:
        try:
            json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            return f"the {status} response declares {kind} but its body is not JSON ({type(error).__name__})"
    return None
