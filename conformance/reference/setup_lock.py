"""One process at a time prepares a shared database: migrate and seed under a cross-process lock.

Each process normally has its own SQLite file and needs no lock. With ``DATABASE_URL`` several
processes (pytest-xdist workers, a ``serve`` beside a test run) share one database, and two
concurrent ``migrate`` runs or seeds would collide; PostgreSQL gets an advisory lock, an SQLite file
an ``flock`` on a sibling file. Waiting is bounded.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conformance.errors import TargetError

LOCK_WAIT_SECONDS = 60.0
_ADVISORY_KEY = 0x43525558  # "CRUX"


@contextmanager
def setup_lock() -> Iterator[None]:
    """Hold the database's setup lock for the duration of the block (no-op where none is needed)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with _postgres_lock(connection):
            yield
    elif connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]) not in ("", ":memory:"):
        with _file_lock(Path(str(connection.settings_dict["NAME"]) + ".setup-lock")):
            yield
    else:
        yield


def _wait_until(acquire, what: str) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not acquire():
        if time.monotonic() > deadline:
            raise TargetError(f"another process held the {what} for over {LOCK_WAIT_SECONDS:.0f}s")
        time.sleep(0.05)


@contextmanager
def _postgres_lock(connection) -> Iterator[None]:
    def acquire() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_KEY])
            return bool(cursor.fetchone()[0])

    _wait_until(acquire, "reference database's setup lock")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: one process per SQLite file is the supported setup there
        yield
        return
    try:
        handle = path.open("a")
    except OSError as error:
        raise TargetError(f"the reference database cannot be prepared: {error.strerror or error}") from None
    with handle:

        def acquire() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        _wait_until(acquire, f"setup lock {path}")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
