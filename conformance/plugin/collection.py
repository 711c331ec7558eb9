"""What the plugin does to the collected checks: validate requirement ids, skip destructive checks a run
may not make, label every exchange with its check, and run the model check (which waits for the stage
running in the background) after the other checks and the audits last.
"""

from __future__ import annotations

import pytest

from conformance import requirements
from conformance.model.stage import is_model_check
from conformance.plugin.options import run_config_from_pytest
from conformance.plugin.session import run_session

NOT_DESTRUCTIVE_REASON = "not run: destructive check skipped ([target] destructive = false)"
PRODUCTION_REASON = "refused: destructive check on a production target (pass --allow-production)"


def requirement_of(item: pytest.Item) -> str | None:
    """The requirement id of a check (its ``requirement`` marker), or None for anything else."""
    marker = item.get_closest_marker("requirement")
    return str(marker.args[0]) if marker and marker.args else None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Validate requirement ids, skip destructive checks when not allowed, run audits last."""
    checks = [item for item in items if item.get_closest_marker("requirement")]
    if not checks:
        return
    run_session(config).active = True
    run_config = run_config_from_pytest(config)
    for item in checks:
        requirement = requirement_of(item)
        if requirement not in requirements.BY_ID:
            raise pytest.UsageError(f"{item.nodeid}: unknown requirement id {requirement!r}")
        item.user_properties.append(("requirement", requirement))
        if item.get_closest_marker("destructive") and not run_config.target.may_change_state:
            reason = NOT_DESTRUCTIVE_REASON if not run_config.target.destructive else PRODUCTION_REASON
            item.add_marker(pytest.mark.skip(reason=reason))
    # The model check waits for the stage running in the background since the first check (model.stage),
    # so it goes after the other checks; the audits judge every exchange, so they go last.
    items.sort(key=lambda item: (item.get_closest_marker("audit") is not None, is_model_check(item)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Label the exchanges that follow with the check that makes them."""
    run_session(item.config).recorder.context = item.nodeid
