"""Warnings and notes raised while reading the docs, each naming a file and a line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding about the docs: ``LEVEL path:line: message``."""

    path: str
    line: int
    message: str
    level: str = "WARNING"
    fatal_when_strict: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.level} {self.path}:{self.line}: {self.message}"


@dataclass
class Diagnostics:
    """Collects findings; warnings are what ``--strict`` makes fatal, notes (INFO) never are."""

    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, path: str, line: int, message: str) -> None:
        """Record a problem that made the generator skip or drop something."""
        self.items.append(Diagnostic(path, line, message, "WARNING"))

    def note(self, path: str, line: int, message: str, *, fatal_when_strict: bool = False) -> None:
        """Record something worth knowing (e.g. two pages merged); ``fatal_when_strict``: ``--strict`` fails on it."""
        self.items.append(Diagnostic(path, line, message, "INFO", fatal_when_strict))

    @property
    def warnings(self) -> list[Diagnostic]:
        """The findings that ``--strict`` turns into failure."""
        return [item for item in self.items if item.level == "WARNING"]

    @property
    def strict_failures(self) -> list[Diagnostic]:
        """What ``--strict`` fails on: the warnings and the notes marked fatal under it."""
        return [item for item in self.items if item.level == "WARNING" or item.fatal_when_strict]
