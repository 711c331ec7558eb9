"""The per-user cache directory of crux-conformance: derived data that is safe to lose, kept between runs.

``$CRUX_CONFORMANCE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/crux-conformance``, else
``~/.cache/crux-conformance``. Nothing secret is ever stored here: only data computed from public inputs
(the parsed spec, Hypothesis's Unicode tables). Every user of it must work when it cannot be written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ENV_VARIABLE = "CRUX_CONFORMANCE_CACHE_DIR"


def cache_dir() -> Path:
    """The cache directory (not created here)."""
    explicit = os.environ.get(ENV_VARIABLE, "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "crux-conformance"


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename; False (and nothing written) on any OSError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True
