"""Import what a run's pytest session needs while the run waits for something else (the reference starting).

Importing Schemathesis, Hypothesis, pytest-html and the suite's plugins takes a second or more of one core;
the bundled reference needs about as long to migrate and seed in its own process. ``preload_run_stack``
does the imports during that wait, so the two overlap; pytest later finds the modules already loaded.
A module that fails to import here is skipped: pytest reports it properly when it imports it for real.
"""

from __future__ import annotations

import contextlib
import importlib

#: Heavy imports of a run, in dependency order (the checks themselves are left to pytest's collection).
RUN_STACK = (
    "hypothesis",
    "schemathesis",
    "schemathesis.pytest.plugin",
    "pytest_html.plugin",
    "conformance.plugin",
    "conformance.fuzz.plugin",
)


def preload_run_stack() -> None:
    """Import every module of ``RUN_STACK`` that imports cleanly."""
    for name in RUN_STACK:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
