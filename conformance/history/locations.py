"""Where a history lives: ``--history`` as a SQLite path or ``sqlite:///`` URL, or a PostgreSQL URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from conformance.errors import UsageError

SQLITE, POSTGRESQL = "sqlite", "postgresql"
POSTGRES_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class HistoryLocation:
    """A parsed ``--history`` value: the database kind, what to connect to, and a secret-free name."""

    kind: str
    target: str
    display: str


def parse_history(value: str) -> HistoryLocation:
    """Parse ``--history``; an unsupported or empty value is one UsageError line (with no password in it)."""
    text = (value or "").strip()
    if not text:
        raise UsageError("--history: empty value; give a SQLite file (history.sqlite3) or a postgresql:// URL")
    if "://" not in text:
        return HistoryLocation(SQLITE, str(Path(text)), str(Path(text)))
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = parts.path if not parts.netloc else f"{parts.netloc}{parts.path}"
        if path.startswith("/"):
            path = path[1:]  # sqlite:///relative.db is relative, sqlite:////abs.db absolute (as SQLAlchemy)
        if not path:
            raise UsageError("--history: a sqlite:/// URL needs a file path")
        return HistoryLocation(SQLITE, path, path)
    if scheme in POSTGRES_SCHEMES:
        if not parts.hostname and not parts.path.strip("/"):
            raise UsageError(f"--history: {masked_url(text)} names no host or database")
        return HistoryLocation(POSTGRESQL, text, masked_url(text))
    raise UsageError(f"--history: unsupported scheme {scheme!r}; use a SQLite file path, sqlite:/// or postgresql://")


def masked_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages and reports)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host += f":{parts.port}"
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))
