"""The pytest plugin that runs ``conformance.checks`` against a target; one module per job.

Use it with ``pytest -p conformance.plugin --pyargs conformance.checks --base-url URL
--conformance-config FILE`` (``crux-conformance run`` does exactly that in-process, handing in a
``RunSession`` and reading its ``result()`` afterwards). It is inert in sessions that collect no check.

| module | its one job |
|---|---|
| ``session`` | the one object holding the session's state, and the ``RunResult`` it hands back |
| ``keys`` | the stash key of that object and the xdist hand-off fields |
| ``options`` | options, markers, and the session's ``RunConfig`` (``run_config_from_pytest``) |
| ``fixtures`` | ``run_config``, ``client``, ``provisioner``, ``fresh_order``, ``need_role``, ``ledger``, ``recorder`` |
| ``collection`` | requirement ids validated, destructive checks skipped when not allowed, audits last |
| ``limits`` | rate cap and budget, concurrency checks paid up front, 429 and budget → not verified, stop |
| ``xdist`` | each worker's share, and what workers hand back to the controller |
| ``outcomes`` | typed failures rendered, one outcome per check, a target gone → exit 2, ``results.json`` |
| ``summary`` | the terminal summary by requirement |
| ``progress`` | what the run is doing while it does it (an updating line, or log lines) |

The fuzz stage's plugin (``conformance.fuzz.plugin``) and the model stage's (``conformance.model.options``) are
loaded with it.
"""

from __future__ import annotations

from conformance.plugin.collection import NOT_DESTRUCTIVE_REASON, PRODUCTION_REASON
from conformance.plugin.session import RunResult, RunSession

pytest_plugins = [
    "conformance.plugin.options",
    "conformance.plugin.fixtures",
    "conformance.plugin.collection",
    "conformance.plugin.limits",
    "conformance.plugin.xdist",
    "conformance.plugin.outcomes",
    "conformance.plugin.summary",
    "conformance.plugin.progress",
    "conformance.fuzz.plugin",
    "conformance.model.options",
    "conformance.model.stage",
]

__all__ = ["NOT_DESTRUCTIVE_REASON", "PRODUCTION_REASON", "RunResult", "RunSession"]
