"""Passwords in URLs are masked in the console, the reports and the errors; a read-only run needs no state_url."""

from __future__ import annotations

import pytest

from conformance.config import parse_config
from conformance.errors import UsageError
from conformance.redaction import Redactor

PASSWORD = "Pw-Masked-77"
NOT_FUZZ = ("--", "-m", "not fuzz", "-k", "rej_020 or rej_001")


def _shown(outcome) -> str:
    reports = outcome.report_texts() if outcome.report_dir.is_dir() else ""
    return outcome.stdout + outcome.stderr + reports


def _with_state_url_password(text: str) -> str:
    return text.replace('state_url = "http://', f'state_url = "http://qa:{PASSWORD}@')


def test_url_passwords_are_secrets_of_the_run():
    config = parse_config(
        f'[target]\nbase_url = "https://qa:{PASSWORD}@staging.example"\n[credentials]\nsupplier = "t0k"\n'
        f'[provisioning]\nstate_url = "https://ops:p%40ss@staging.example/states"\n',
        "test",
    )
    redactor = Redactor(config.secrets)
    assert redactor.text(config.target.base_url) == "https://qa:***@staging.example"
    assert redactor.text(config.provisioning.state_url) == "https://ops:***@staging.example/states"
    assert "p@ss" in config.secrets  # the decoded form too, as it would travel in a Basic header
    assert PASSWORD not in repr(config)


def test_a_state_url_password_never_shows_in_a_run(reference, run_cli, write_config):
    outcome = run_cli("--config", str(write_config(_with_state_url_password(reference.config_toml()))), *NOT_FUZZ)
    assert outcome.code == 0, outcome.stderr[-2000:]
    assert outcome.not_passed() == []
    assert PASSWORD not in _shown(outcome)


def test_a_state_url_password_is_masked_in_a_provisioning_error(reference, run_cli, write_config):
    text = _with_state_url_password(reference.config_toml()).replace("provider-states", "nowhere")
    outcome = run_cli("--config", str(write_config(text)), *NOT_FUZZ)
    assert outcome.code == 2, outcome.stderr[-2000:]
    last = outcome.stderr.strip().splitlines()[-1]
    assert "provisioning failed" in last and "qa:***@127.0.0.1" in last
    assert PASSWORD not in _shown(outcome)


def test_a_base_url_password_is_masked_when_the_target_refuses(reference, run_cli, write_config):
    text = reference.config_toml().replace('base_url = "http://', f'base_url = "http://qa:{PASSWORD}@')
    outcome = run_cli("--config", str(write_config(text)), *NOT_FUZZ)
    assert outcome.code in (1, 2, 4), outcome.stderr[-2000:]
    assert "Traceback" not in outcome.stderr
    assert PASSWORD not in _shown(outcome)


def _read_only(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.startswith(("state_url", "mode", "[provisioning]"))]
    return "\n".join(lines).replace("destructive = true", "destructive = false") + "\n"


def test_a_read_only_config_needs_no_state_url():
    text = '[target]\nbase_url = "http://127.0.0.1:9"\ndestructive = false\n[credentials]\nsupplier = "t"\n'
    parse_config(text, "test").require_runnable()
    with pytest.raises(UsageError, match=r"needs \[provisioning\] state_url"):
        parse_config(text.replace("destructive = false", "destructive = true"), "test").require_runnable()


def test_a_read_only_run_without_state_url_runs_and_provisions_nothing(reference, run_cli, write_config):
    text = _read_only(reference.config_toml())
    assert "state_url" not in text and "destructive = false" in text
    outcome = run_cli("--config", str(write_config(text)), "--", "-m", "not fuzz", "-k", "rej_020 or rej_030")
    assert outcome.code == 0, outcome.stdout[-2000:] + outcome.stderr[-2000:]
    outcomes = {test["requirement"]: test["outcome"] for test in outcome.results["tests"]}
    assert outcomes["REJ-020"] == "passed" and "failed" not in outcomes.values(), outcomes
    exchanges = (outcome.report_dir / "exchanges.jsonl").read_text(encoding="utf-8")
    assert "__conformance__" not in exchanges
