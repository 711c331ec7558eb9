"""The one reader and writer of the history database (SQLite through ``sqlite3``, PostgreSQL through psycopg).

Opening a store applies any migration it lacks, serialized between processes (SQLite: ``BEGIN
IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), so parallel CI jobs may open a fresh
history at once. Every write is one transaction, so concurrent writers lose nothing: SQLite waits for
its write lock (bounded by ``LOCK_TIMEOUT_S``), PostgreSQL numbers rows with an identity column.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from conformance.errors import TargetError, UsageError
from conformance.history.locations import POSTGRESQL, SQLITE, HistoryLocation, parse_history
from conformance.history.records import Release, RequirementOutcome, RunRecord
from conformance.history.schema import LATEST_VERSION, MIGRATIONS, statements

LOCK_TIMEOUT_S = 60
CONNECT_TIMEOUT_S = 10
MIGRATION_LOCK_KEY = 0x43525558  # "CRUX": the advisory lock that serializes migrations on PostgreSQL

RUN_COLUMNS = (
    "target", "target_version", "environment", "verdict", "exit_code", "suite_version", "suite_sha256",
    "spec_sha256", "model_sha256", "certificate_sha256", "issued_at", "recorded_at",
)  # fmt: skip


def now_iso() -> str:
    """The current UTC time as the history writes it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class HistoryStore:
    """An open history database; use ``open_history`` to get one."""

    def __init__(self, location: HistoryLocation, connection: Any) -> None:
        self.location = location
        self._connection = connection

    # -- transactions --------------------------------------------------------------------------------------
    def _sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.location.kind == POSTGRESQL else text

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """One write transaction; rolled back on any error."""
        if self.location.kind == POSTGRESQL:
            with self._connection.transaction():
                yield self._connection.cursor()
            return
        cursor = self._connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def _query(self, text: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        cursor = self._connection.cursor()
        cursor.execute(self._sql(text), tuple(parameters))
        rows = cursor.fetchall()
        return [tuple(row) for row in rows]

    # -- schema --------------------------------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply every migration the database lacks; return the schema version it is at."""
        with self._transaction() as cursor:
            if self.location.kind == POSTGRESQL:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            cursor.execute("SELECT MAX(version) FROM schema_version")
            current = cursor.fetchone()[0] or 0
            if current > LATEST_VERSION:
                raise UsageError(
                    f"history {self.location.display}: schema version {current} is newer than this "
                    f"crux-conformance knows ({LATEST_VERSION}); upgrade crux-conformance"
                )
            for version, _ in MIGRATIONS:
                if version > current:
                    for statement in statements(self.location.kind, version):
                        cursor.execute(statement)
                    cursor.execute(self._sql("INSERT INTO schema_version (version) VALUES (?)"), (version,))
                    current = version
        return current

    # -- writes --------------------------------------------------------------------------------------------
    def record_run(self, record: RunRecord) -> int:
        """Store a run and its per-requirement verdicts in one transaction; return its id."""
        columns = ", ".join(RUN_COLUMNS)
        marks = ", ".join("?" for _ in RUN_COLUMNS)
        values = tuple(getattr(record, column) for column in RUN_COLUMNS)
        with self._transaction() as cursor:
            cursor.execute(self._sql(f"INSERT INTO runs ({columns}) VALUES ({marks}) RETURNING id"), values)  # noqa: S608
            run_id = int(cursor.fetchone()[0])
            rows = [
                (
                    run_id,
                    item.requirement,
                    item.verdict,
                    json.dumps(list(item.reasons)),
                    json.dumps(list(item.evidence)),
                )
                for item in record.requirements
            ]
            if rows:
                cursor.executemany(
                    self._sql(
                        "INSERT INTO requirement_verdicts (run_id, requirement, verdict, reasons, evidence) "
                        "VALUES (?, ?, ?, ?, ?)"
                    ),
                    rows,
                )
        return run_id

    def record_release(self, target: str, version: str, environment: str, run_id: int | None) -> Release:
        """Record ``version`` of ``target`` as released to ``environment``; return the release."""
        released_at = now_iso()
        with self._transaction() as cursor:
            cursor.execute(
                self._sql(
                    "INSERT INTO releases (target, target_version, environment, run_id, released_at) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id"
                ),
                (target, version, environment, run_id, released_at),
            )
            release_id = int(cursor.fetchone()[0])
        return Release(target, version, environment, run_id, released_at, release_id)

    # -- reads ---------------------------------------------------------------------------------------------
    def runs(
        self, *, target: str | None = None, version: str | None = None, limit: int | None = None
    ) -> list[RunRecord]:
        """Recorded runs, newest first, optionally of one target and/or one version, at most ``limit``."""
        where, parameters = [], []
        if target is not None:
            where.append("target = ?")
            parameters.append(target)
        if version is not None:
            where.append("target_version = ?")
            parameters.append(version)
        text = f"SELECT id, {', '.join(RUN_COLUMNS)} FROM runs"  # noqa: S608 - column names are constants
        if where:
            text += " WHERE " + " AND ".join(where)
        text += " ORDER BY id DESC"
        if limit is not None:
            text += f" LIMIT {int(limit)}"
        rows = self._query(text, parameters)
        outcomes = self._outcomes([int(row[0]) for row in rows])
        return [
            RunRecord(
                **dict(zip(RUN_COLUMNS, row[1:], strict=True)),
                requirements=outcomes.get(int(row[0]), ()),
                id=int(row[0]),
            )
            for row in rows
        ]

    def run(self, run_id: int) -> RunRecord | None:
        """One run by id, or None."""
        rows = self._query(f"SELECT id, {', '.join(RUN_COLUMNS)} FROM runs WHERE id = ?", (run_id,))  # noqa: S608
        if not rows:
            return None
        row = rows[0]
        outcomes = self._outcomes([run_id])
        return RunRecord(
            **dict(zip(RUN_COLUMNS, row[1:], strict=True)), requirements=outcomes.get(run_id, ()), id=run_id
        )

    def targets_of_version(self, version: str) -> list[str]:
        """The targets that have a run of ``version``."""
        return [row[0] for row in self._query("SELECT DISTINCT target FROM runs WHERE target_version = ?", (version,))]

    def last_release(self, target: str, environment: str) -> Release | None:
        """The release most recently recorded for ``target`` in ``environment``, or None."""
        rows = self._query(
            "SELECT id, target, target_version, environment, run_id, released_at FROM releases "
            "WHERE target = ? AND environment = ? ORDER BY id DESC LIMIT 1",
            (target, environment),
        )
        if not rows:
            return None
        release_id, target_, version, environment_, run_id, released_at = rows[0]
        return Release(target_, version, environment_, run_id, released_at, release_id)

    def count_runs(self) -> int:
        """How many runs the history holds."""
        return int(self._query("SELECT COUNT(*) FROM runs")[0][0])

    def _outcomes(self, run_ids: list[int]) -> dict[int, tuple[RequirementOutcome, ...]]:
        if not run_ids:
            return {}
        marks = ", ".join("?" for _ in run_ids)
        rows = self._query(
            f"SELECT run_id, requirement, verdict, reasons, evidence FROM requirement_verdicts "  # noqa: S608
            f"WHERE run_id IN ({marks}) ORDER BY run_id, requirement",
            run_ids,
        )
        grouped: dict[int, list[RequirementOutcome]] = {}
        for run_id, requirement, verdict, reasons, evidence in rows:
            item = RequirementOutcome(requirement, verdict, tuple(json.loads(reasons)), tuple(json.loads(evidence)))
            grouped.setdefault(int(run_id), []).append(item)
        return {key: tuple(value) for key, value in grouped.items()}

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


@contextmanager
def open_history(value: str) -> Iterator[HistoryStore]:
    """Open (creating and migrating as needed) the history named by ``--history``; close it afterwards."""
    location = parse_history(value)
    connection = _connect_sqlite(location) if location.kind == SQLITE else _connect_postgresql(location)
    store = HistoryStore(location, connection)
    try:
        store.migrate()
        yield store
    except sqlite3.Error as error:
        raise UsageError(f"--history {location.display}: not a usable SQLite history ({error})") from None
    except Exception as error:
        if not type(error).__module__.startswith("psycopg"):
            raise
        message = _one_line(str(error), urlsplit(location.target).password)
        raise TargetError(f"--history {location.display}: PostgreSQL failed ({message})") from None
    finally:
        store.close()


def _connect_sqlite(location: HistoryLocation) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(location.target, timeout=LOCK_TIMEOUT_S, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as error:
        raise UsageError(f"--history {location.display}: cannot open the SQLite history ({error})") from None
    return connection


def _connect_postgresql(location: HistoryLocation) -> Any:
    try:
        import psycopg
    except ImportError:
        raise UsageError("--history: PostgreSQL needs psycopg: pip install 'crux-conformance[postgres]'") from None
    try:
        connection = psycopg.connect(location.target, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True)
        connection.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
        connection.execute(f"SET statement_timeout = '{LOCK_TIMEOUT_S}s'")
    except psycopg.Error as error:
        message = _one_line(str(error), urlsplit(location.target).password)
        raise TargetError(f"--history {location.display}: cannot connect to PostgreSQL ({message})") from None
    return connection


def _one_line(text: str, secret: str | None) -> str:
    line = (text.strip().splitlines() or ["unknown error"])[0]
    return line.replace(secret, "***") if secret else line
