"""Make sure the report folder can be written before the run sends its first request.

A run that checks everything and then cannot write its reports wastes the target's time and the
user's: ``probe_report_dir`` creates the folder and writes and removes a probe file, or raises one
``UsageError`` line (exit 4) naming the folder and the reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from conformance.errors import UsageError


def probe_report_dir(path: Path) -> Path:
    """Create ``path`` if needed and prove a file can be written in it; return it."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"--report-dir {path}: it exists and is not a folder; choose a writable folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".crux-probe-", delete=True) as probe:
            probe.write(b"probe")
            probe.flush()
    except OSError as error:
        reason = error.strerror or error.__class__.__name__
        if path.is_dir():  # e.g. /proc: it exists, yet refuses new files (often with a misleading ENOENT)
            reason = f"the folder does not accept new files: {reason}"
        raise UsageError(
            f"--report-dir {path}: cannot write reports there ({reason}); choose a writable folder"
        ) from None
    return path
