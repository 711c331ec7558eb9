"""Reports of real runs: the certificate's three verdicts, and report.html rendered in a real browser.

Each run is the real ``crux-conformance run`` in a subprocess against a real server on 127.0.0.1:
the reference (conformant), a faulty target (not conformant), and the reference without the
``retailer`` credential (incomplete).
"""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from conformance.reference import start_reference
from tests.cli_runs import run_suite
from tests.targets import serve_target

from .chromium import rendered_dom, screenshot

pytestmark = pytest.mark.selftest
#: The NOT CONFORMANT and INCOMPLETE runs leave the model stage out: their verdicts come from a hand-written
#: check (REJ-040) failing or left not verified, and the model stage adds ~5 s a run to neither. The
#: CONFORMANT run (``reference_suite_run``) is the whole suite, model stage included.
WITHOUT_MODEL = ("-m", "not model")


def _certificate(run) -> dict:
    return json.loads((run.report_dir / "certificate.json").read_text(encoding="utf-8"))


def _without_role(config_toml: str, role: str) -> str:
    config = tomllib.loads(config_toml)
    assert role in config["credentials"]
    return "\n".join(line for line in config_toml.splitlines() if not re.match(rf"\s*{role}\s*=", line)) + "\n"


@pytest.fixture
def reference_run(reference_suite_run):
    """The session's whole-suite run against the reference (tests/conftest.py), shared with the self-tests."""
    return reference_suite_run


def test_reference_with_every_credential_is_certified_conformant(reference_run):
    run, credentials = reference_run
    certificate = _certificate(run)
    assert run.code == 0, run.failing_tests
    assert certificate["verdict"] == "CONFORMANT"
    assert certificate["failed"] == [] and certificate["not_verified"] == []
    assert sorted(certificate["covers"]["credentials_configured"]) == sorted(credentials)
    assert len(certificate["covers"]["spec"]["sha256"]) == 64
    assert "CONFORMANT" in (run.report_dir / "certificate.html").read_text(encoding="utf-8")


def test_report_html_renders_summary_and_requirement_ids_in_chromium(reference_run):
    run, _ = reference_run
    report = run.report_dir / "report.html"
    dom = rendered_dom(report)
    assert 'id="crux-summary"' in dom and 'id="crux-overall"' in dom
    assert "CONFORMANT" in dom
    for requirement_id in ("REJ-001", "REJ-021", "REJ-040", "REJ-060"):
        assert f'id="req-{requirement_id}"' in dom, f"{requirement_id} missing from the summary table"
    # the results table (rendered by pytest-html's script) shows the requirement column on every row
    assert re.search(r'class="col-requirement"[^>]*>\s*<code>REJ-030</code>', dom), "no requirement id in the rows"
    assert 'id="crux-latency"' in dom, "the latency table (REJ-070) is missing"
    for name in ("Spec", "Generated from", "Seed", "Suite version"):
        assert f"<td>{name}</td>" in dom, f"header block lacks {name}"
    for kind in ("report", "certificate"):
        png = screenshot(run.report_dir / f"{kind}.html", run.report_dir / f"{kind}.png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failing_server_gets_a_not_conformant_certificate_naming_the_failed_id(tmp_path):
    with serve_target(style="json", fault="retailer-403") as target:
        run = run_suite(target.config_toml(), tmp_path, WITHOUT_MODEL)
    certificate = _certificate(run)
    assert run.code == 1
    assert certificate["verdict"] == "NOT CONFORMANT"
    assert "REJ-040" in certificate["failed"]
    assert run.leaked(target.credentials) == []


def test_without_the_retailer_credential_the_certificate_is_incomplete(tmp_path):
    with start_reference(provider_states=True) as reference:
        run = run_suite(_without_role(reference.config_toml(), "retailer"), tmp_path, WITHOUT_MODEL)
    certificate = _certificate(run)
    assert run.code == 0, "without --certify an unverified requirement does not fail the run"
    assert certificate["verdict"] == "INCOMPLETE"
    assert "REJ-040" in certificate["not_verified"]
    rej_040 = next(item for item in certificate["requirements"] if item["id"] == "REJ-040")
    assert rej_040["reasons"] == ["not verified: no `retailer` credential configured"]
