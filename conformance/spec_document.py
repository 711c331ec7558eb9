"""Read an OpenAPI spec file into a plain dictionary once, fast, for every part of a run that needs it.

The committed spec is ~600 KB of YAML: PyYAML's pure-Python loader takes seconds, its C loader a quarter
of one, JSON a few milliseconds. ``read_document`` parses with the C loader when PyYAML has libyaml, and
keeps a JSON copy keyed by the file's sha256 in the user cache (``conformance.user_cache``), so later runs
and processes (xdist workers, the fault-bank self-test) skip YAML entirely. The JSON copy is kept only when
it round-trips to the very same document (no dates, no non-string keys), so a cached read never differs
from a parse. Every call returns a fresh dictionary that the caller may change.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import yaml

from conformance.user_cache import cache_dir, write_atomically

YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CACHE_SUBDIR = "spec-documents"

_lock = threading.Lock()
_parsed: dict[str, str] = {}  # sha256 of a spec's bytes -> its JSON text (process memo; derived, not session state)


class SpecDocumentError(ValueError):
    """The file is not a YAML (or JSON) document; the message is one line."""


def read_document(path: Path) -> Any:
    """The parsed document of ``path`` (OSError when it cannot be read, SpecDocumentError when not YAML)."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    with _lock:
        cached = _parsed.get(digest)
    if cached is not None:
        return json.loads(cached)
    document = _from_user_cache(digest)
    if document is not None:
        return document
    document = _parse(raw, path)
    text = _json_twin(document)
    if text is not None:
        with _lock:
            _parsed[digest] = text
        write_atomically(_cache_file(digest), text.encode("utf-8"))
    return document


def _parse(raw: bytes, path: Path) -> Any:
    try:
        return yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)  # noqa: S506 - a safe loader (C or Python)
    except UnicodeDecodeError as error:
        raise SpecDocumentError(f"{path}: not UTF-8 ({error.reason})") from None
    except yaml.YAMLError as error:
        raise SpecDocumentError(f"{path}: {(str(error).splitlines() or ['not YAML'])[0]}") from None


def _json_twin(document: Any) -> str | None:
    """The document as JSON when that reads back as exactly the same document, else None."""
    try:
        text = json.dumps(document, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return None
    return text if json.loads(text) == document else None


def _cache_file(digest: str) -> Path:
    return cache_dir() / CACHE_SUBDIR / f"{digest}.json"


def _from_user_cache(digest: str) -> Any:
    """The cached document, or None (a missing, truncated or foreign file is ignored, and rewritten after the parse)."""
    try:
        text = _cache_file(digest).read_text(encoding="utf-8")
        document = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    with _lock:
        _parsed[digest] = text
    return document
