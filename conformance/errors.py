"""Exit codes from CONTRACT.md and the errors that map onto them.

Every error a user can cause (a flag, a config, a docs page, a target's answer) is raised as one of
these with a one-line message; the command line prints that line and exits with the code.
"""

from __future__ import annotations

from enum import IntEnum


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
