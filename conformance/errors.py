"""Exit codes from CONTRACT.md and the errors that map onto them.

Every error a user can cause (a flag, a config, a docs page, a target's answer) is raised as one of
these with a one-line message; the command line prints that line and exits with the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import IntEnum

#: How deep ``exception_chain`` looks into chained and grouped exceptions, unless told otherwise.
MAX_CAUSE_DEPTH = 5


class ExitCode(IntEnum):
    """The contract's exit codes."""

    CONFORMANT = 0
    NOT_CONFORMANT = 1
    CANNOT_JUDGE = 2
    USAGE = 4


class ConformanceError(Exception):
    """An error with a one-line message and the exit code it ends the command with."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(ConformanceError):
    """Bad flag, bad config, bad docs tree: exit 4."""

    exit_code = ExitCode.USAGE


class TargetError(ConformanceError):
    """The target could not be judged (unreachable, provisioning failed): exit 2."""

    exit_code = ExitCode.CANNOT_JUDGE


def exception_chain(error: BaseException | None, max_depth: int = MAX_CAUSE_DEPTH, depth: int = 0
                    ) -> Iterator[BaseException]:  # fmt: skip
    """``error`` and what it wraps (grouped exceptions, cause, context), at most ``max_depth`` deep."""
    if error is None or depth > max_depth:
        return
    yield error
    for inner in (*getattr(error, "exceptions", ()), error.__cause__, error.__context__):
        yield from exception_chain(inner, max_depth, depth + 1)
