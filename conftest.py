"""Root pytest configuration: the project's own tests find ../shared and the package from here."""

from __future__ import annotations

import pytest

#: ``pytester`` drives the suite's plugin in-process (tests/plugin): its hooks are tested on their own.
pytest_plugins = ["pytester"]


def pytest_cmdline_main(config: pytest.Config) -> None:
    """Under ``-n`` without a ``--dist`` of the caller's, schedule with ``loadgroup`` instead of ``load``.

    With no ``xdist_group`` marks, ``loadgroup`` makes each test a unit of its own, handed to whichever worker is
    free, in collection order: longest first (tests/conftest.py), so no long test starts last and runs on alone.
    ``load`` sends long runs of tests to each worker up front. Set here, not in ``addopts``: ``--dist`` would be
    an unknown option wherever pytest-xdist is not installed or is disabled (``-p no:xdist``).
    """
    chosen = any(arg in ("-d", "--distload") or arg.startswith("--dist") for arg in config.invocation_params.args)
    if getattr(config.option, "dist", "no") == "load" and not chosen:  # pytest-xdist's default for -n
        config.option.dist = "loadgroup"
