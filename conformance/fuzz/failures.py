"""How a fuzz failure reads in reports: one summary line first, then Schemathesis' account and our curl command.

Schemathesis renders a failure as an exception-group traceback whose own curl command carries
``[Filtered]`` instead of the token; reports want a first line that names the problem and a command
that runs. ``failure_text`` builds that text from the exception; every secret is masked by the caller.
"""

from __future__ import annotations

import re

from schemathesis.core.failures import FailureGroup

#: Schemathesis' own reproduce block (token shown as [Filtered], so it cannot run as printed).
_SCHEMATHESIS_REPRODUCE = re.compile(r"\n*Reproduce with:\s*\n\s*\n\s*curl [^\n]*\n?")


def summary_line(group: FailureGroup, label: str | None) -> str:
    """``REJ-060: <code> <title>; ... on <operation>``: the line a certificate or summary shows."""
    seen: list[str] = []
    for failure in group.exceptions:
        code = getattr(failure, "code", "")
        title = getattr(failure, "title", type(failure).__name__)
        message = getattr(failure, "message", "")
        detail = message.splitlines()[0] if code == "ST901" and message else ""
        entry = f"{code} {detail or title}".strip()
        if entry not in seen:
            seen.append(entry)
    where = f" on {label}" if label else ""
    return f"REJ-060: {'; '.join(seen)}{where}"


def failure_text(error: BaseException, label: str | None) -> str | None:
    """The report text of a fuzz failure, or None when ``error`` is not a Schemathesis failure group."""
    if not isinstance(error, FailureGroup):
        return None
    account = _SCHEMATHESIS_REPRODUCE.sub("\n\n", str(error.message)).strip()
    notes = "\n".join(note for note in getattr(error, "__notes__", []) if note.startswith("Reproduce with:"))
    return "\n\n".join(part for part in (summary_line(error, label), account, notes) if part) + "\n"
