"""Fixtures for the release-history tests: report folders built from chosen outcomes, keys, PostgreSQL."""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conformance import signing
from conformance.errors import ExitCode
from conformance.fuzz.spec import default_spec_path
from conformance.history.after_run import record_and_sign
from conformance.reporting.certificate import build_certificate
from conformance.reporting.run_files import write_certificate, write_results
from conformance.reporting.verdicts import Overall
from conformance.requirements import CATALOGUE
from conformance.results import TestResult

POSTGRES_URL_ENV = "CRUX_TEST_POSTGRES_URL"
TARGET = "http://127.0.0.1:9"


def outcomes(failing: set[str] = frozenset(), skipped: set[str] = frozenset()) -> list[TestResult]:
    """One test per catalogue requirement: failed, skipped or passed as asked."""
    tests = []
    for req in CATALOGUE:
        outcome = "failed" if req.id in failing else "skipped" if req.id in skipped else "passed"
        message = f"{req.id}: expected 422, got 200 (curl -X PATCH ...)" if outcome == "failed" else ""
        nodeid = f"conformance/checks/test_x.py::test_{req.id.lower().replace('-', '_')}"
        tests.append(TestResult(nodeid, req.id, outcome, message))
    return tests


def make_report(
    folder: Path,
    *,
    failing: set[str] = frozenset(),
    skipped: set[str] = frozenset(),
    version: str = "1.0",
    history: str | None = None,
    sign_key: Path | None = None,
    environment: str | None = None,
) -> Path:
    """A report folder as `run` leaves it (results, exchanges, certificate), completed by ``record_and_sign``."""
    tests = outcomes(set(failing), set(skipped))
    certificate = build_certificate(
        [test.__dict__ for test in tests],
        target=TARGET,
        spec_path=default_spec_path(),
        public_config={"credentials": ["supplier"]},
    )
    code = ExitCode.CONFORMANT if certificate["verdict"] == str(Overall.CONFORMANT) else ExitCode.NOT_CONFORMANT
    write_results(folder / "results.json", target=TARGET, exit_code=code, tests=tests, latency={})
    exchange = '{"check": "test_rej_001", "method": "PATCH", "status": 200}\n'
    (folder / "exchanges.jsonl").write_text(exchange * 3, encoding="utf-8")
    write_certificate(folder, certificate)
    args = argparse.Namespace(
        history=history, target_version=version, environment=environment, sign_key=sign_key, signer="ACME QA"
    )
    record_and_sign(args, folder, int(code))
    return folder


@pytest.fixture
def report(tmp_path: Path) -> Callable[..., Path]:
    """``report("name", failing={...}, ...)`` → a fresh report folder under tmp_path."""

    def build(name: str, **kwargs: object) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        return make_report(folder, **kwargs)  # type: ignore[arg-type]

    return build


@pytest.fixture
def key_pair(tmp_path: Path) -> tuple[Path, Path]:
    """A fresh Ed25519 key pair: (private, public)."""
    return signing.generate_key_pair(tmp_path / "keys-qa")


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL server .ci/run starts; skips when there is none."""
    url = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if not url:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set: no PostgreSQL server for the tests (.ci/run starts one as root)")
    return url


@pytest.fixture
def new_postgres_database(postgres_url: str) -> Iterator[Callable[[], str]]:
    """``new_postgres_database()`` → the URL of a fresh, empty database on the test server (dropped afterwards)."""
    import psycopg
    from psycopg import sql

    names: list[str] = []

    def create() -> str:
        name = f"crux_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        names.append(name)
        return urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))

    try:
        yield create
    finally:
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=10) as connection:
            for name in names:
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def postgres_database(new_postgres_database: Callable[[], str]) -> str:
    """A fresh, empty database on the test server (dropped afterwards); its URL."""
    return new_postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh history: a SQLite file, and (when the server is there) a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "history.sqlite3")
    return request.getfixturevalue("postgres_database")
