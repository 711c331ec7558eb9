"""The history's tables as versioned migrations, one SQL text per database kind.

``schema_version`` holds the highest migration applied. Migrations only ever append: a new version is
a new entry at the end of ``MIGRATIONS``; an applied one is never edited. ``{id}`` in a statement is
the auto-numbered primary key column of the database kind.
"""

from __future__ import annotations

from conformance.history.locations import POSTGRESQL, SQLITE

ID_COLUMN = {SQLITE: "INTEGER PRIMARY KEY AUTOINCREMENT", POSTGRESQL: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"}

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """CREATE TABLE runs (
                id {id},
                target TEXT NOT NULL,
                target_version TEXT NOT NULL,
                environment TEXT,
                verdict TEXT NOT NULL,
                exit_code INTEGER NOT NULL,
                suite_version TEXT NOT NULL,
                suite_sha256 TEXT,
                spec_sha256 TEXT,
                model_sha256 TEXT,
                certificate_sha256 TEXT,
                issued_at TEXT,
                recorded_at TEXT NOT NULL
            )""",
            "CREATE INDEX runs_by_version ON runs (target, target_version, id)",
            """CREATE TABLE requirement_verdicts (
                run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                requirement TEXT NOT NULL,
                verdict TEXT NOT NULL,
                reasons TEXT NOT NULL,
                evidence TEXT NOT NULL,
                PRIMARY KEY (run_id, requirement)
            )""",
            """CREATE TABLE releases (
                id {id},
                target TEXT NOT NULL,
                target_version TEXT NOT NULL,
                environment TEXT NOT NULL,
                run_id BIGINT REFERENCES runs (id),
                released_at TEXT NOT NULL
            )""",
            "CREATE INDEX releases_by_environment ON releases (target, environment, id)",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]


def statements(kind: str, version: int) -> list[str]:
    """The SQL statements of migration ``version`` for database ``kind``."""
    for number, texts in MIGRATIONS:
        if number == version:
            return [text.replace("{id}", ID_COLUMN[kind]) for text in texts]
    raise KeyError(version)
