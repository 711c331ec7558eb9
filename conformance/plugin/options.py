"""Options, markers, and the session's configuration: built once, here, from the run command or the flags.

``run_config_from_pytest(config)`` is the one way anything in a pytest session (the checks' fixtures,
the fuzz stage) gets the run's ``RunConfig``: the one the run command handed in, or one loaded from
``--conformance-config`` and the command-line overrides. A bad configuration is a usage error (exit 4).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.config import RunConfig, load_config
from conformance.errors import ConformanceError
from conformance.plugin import limits
from conformance.plugin.keys import SESSION
from conformance.plugin.session import RunSession, run_session
from conformance.redaction import Redactor

MARKERS = {
    "requirement(id)": "the CONTRACT.md requirement (REJ-xxx) this check verifies",
    "smoke": "a quick subset that shows the endpoint basically works",
    "destructive": "changes state on the target (needs orders from provisioning)",
    "auth": "authentication and authorization",
    "identifiers": "order_uuid handling",
    "repeat": "repeated or out-of-order operations",
    "methods": "HTTP methods, trailing slash, request bodies",
    "security": "information leaks and reflected input",
    "concurrency": "simultaneous requests",
    "audit": "judges every exchange recorded so far; runs after the other checks",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declare the plugin's options (``--base-url`` comes from pytest-base-url)."""
    group = parser.getgroup("conformance", "CRUX conformance checks")
    group.addoption("--conformance-config", metavar="FILE", help="the TOML run configuration")
    group.addoption("--allow-production", action="store_true", help="run destructive checks on a production target")
    group.addoption("--conformance-results", metavar="FILE", help="write machine-readable results.json here")
    group.addoption("--conformance-max-rps", metavar="N", type=float, help="requests per second ([target] max_rps)")
    group.addoption(
        "--conformance-max-requests", metavar="N", type=int, help="the run's request budget ([target] max_requests)"
    )
    group.addoption("--conformance-connect-timeout", metavar="S", type=float, help="[timeouts] connect, in seconds")
    group.addoption("--conformance-read-timeout", metavar="S", type=float, help="[timeouts] read, in seconds")


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers and the session's state object; validate a given configuration early (exit 4)."""
    for name, help_text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {help_text}")
    if SESSION not in config.stash:  # nobody handed one in: a plain pytest session
        session = RunSession()
        config.pluginmanager.register(session, "conformance-session")
        config.stash[SESSION] = session
    if run_session(config).run_config is not None or config.getoption("conformance_config"):
        run_config_from_pytest(config)  # validate early (exit 4) and know the secrets before any report arrives


def run_config_from_pytest(config: pytest.Config) -> RunConfig:
    """The session's RunConfig: the one handed in, or one loaded from the options (errors exit 4)."""
    session = run_session(config)
    if session.run_config is None:
        path = config.getoption("conformance_config", default=None)
        overrides = {
            "base_url": config.getoption("base_url", default=None),
            "allow_production": config.getoption("allow_production", default=False),
            "max_rps": config.getoption("conformance_max_rps", default=None),
            "max_requests": config.getoption("conformance_max_requests", default=None),
            "connect_timeout": config.getoption("conformance_connect_timeout", default=None),
            "read_timeout": config.getoption("conformance_read_timeout", default=None),
        }
        try:
            run_config = load_config(Path(path) if path else None, overrides)
            if not config.option.collectonly:  # listing the checks needs no target
                run_config.require_runnable()
        except ConformanceError as error:
            raise pytest.UsageError(error.message) from None
        session.run_config = run_config
    if not session.configured:  # once per session: the redactor and the run's traffic limits
        session.redactor = Redactor(session.run_config.secrets)
        limits.install(config, session.run_config)
        session.configured = True
    return session.run_config
