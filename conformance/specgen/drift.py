"""The ``--check`` drift gate: compare a regenerated document with the committed file."""

from __future__ import annotations

import difflib
from pathlib import Path


def drift(expected: str, committed_path: Path) -> str:
    """A unified diff from the file at ``committed_path`` to ``expected``; empty when they match."""
    try:
        committed = committed_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        committed = ""
    except (OSError, UnicodeDecodeError) as error:
        committed = f"# unreadable: {error}\n"
    if committed == expected:
        return ""
    lines = difflib.unified_diff(
        committed.splitlines(keepends=True),
        expected.splitlines(keepends=True),
        fromfile=f"{committed_path} (committed)",
        tofile=f"{committed_path} (regenerated from the docs)",
    )
    return "".join(lines)
