"""Unexpected errors: the traceback goes to a private debug log, the console gets one line naming it.

Without ``--debug`` no traceback ever reaches the console; the command exits 2 (could not judge) and
prints where the log is. The log is created 0600 in the system's temporary folder, since an
exception's text may quote anything the run handled; passwords in URLs are masked in it too.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from pathlib import Path

from conformance.url_checks import mask_url_password

MAX_MESSAGE_CHARS = 200


def write_debug_log(error: BaseException, command_line: list[str]) -> Path | None:
    """Write ``error``'s traceback (and the command line) to a new private file; None if that fails too."""
    text = "".join(traceback.format_exception(error))
    shown_command = " ".join(mask_url_password(argument) for argument in command_line)
    body = f"crux-conformance {shown_command}\n\n" + "\n".join(mask_url_password(line) for line in text.splitlines())
    try:
        descriptor, name = tempfile.mkstemp(prefix="crux-conformance-debug-", suffix=".log")  # created 0600
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(body + "\n")
    except OSError:
        return None
    return Path(name)


def unexpected_error_line(error: BaseException, log: Path | None) -> str:
    """One line for the console: what failed, where the details are, how to see them."""
    message = mask_url_password(" ".join(str(error).split()))[:MAX_MESSAGE_CHARS]
    where = f"details in {log}" if log else "no debug log could be written"
    what = f"{error.__class__.__name__}: {message}" if message else error.__class__.__name__
    return f"internal error ({what}); exit 2; {where}; rerun with --debug to see the traceback here"
