"""The certificate states what it covers, carries no secret, and renders a printable page."""

import json

from conformance.reporting.certificate import build_certificate, config_digest
from conformance.reporting.run_files import write_certificate
from conformance.requirements import CATALOGUE


def _tests(outcome_for=None):
    outcome_for = outcome_for or {}
    return [
        {"nodeid": f"t::{req.id}", "requirement": req.id, "outcome": outcome_for.get(req.id, "passed"), "message": ""}
        for req in CATALOGUE
    ]


def test_certificate_covers_target_spec_and_config_without_secrets(tmp_path):
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.1.0\n")
    public = {"target": {"base_url": "http://127.0.0.1:1"}, "credentials": ["retailer", "supplier"]}
    certificate = build_certificate(_tests(), target="http://127.0.0.1:1", spec_path=spec, public_config=public)
    assert certificate["verdict"] == "CONFORMANT"
    covers = certificate["covers"]
    assert covers["target"] == "http://127.0.0.1:1"
    assert len(covers["spec"]["sha256"]) == 64
    assert covers["config_digest"] == config_digest(public)
    assert covers["credentials_configured"] == ["retailer", "supplier"]
    assert [item["id"] for item in certificate["requirements"]] == sorted(req.id for req in CATALOGUE)


def test_config_digest_changes_with_the_config_and_ignores_key_order():
    assert config_digest({"a": 1, "b": 2}) == config_digest({"b": 2, "a": 1})
    assert config_digest({"a": 1}) != config_digest({"a": 2})


def test_not_conformant_certificate_names_the_failed_ids(tmp_path):
    certificate = build_certificate(
        _tests({"REJ-010": "failed"}), target="t", spec_path=None, public_config={}
    )
    assert certificate["verdict"] == "NOT CONFORMANT"
    assert certificate["failed"] == ["REJ-010"]


def test_written_files_are_json_and_self_contained_html(tmp_path):
    certificate = build_certificate(
        _tests({"REJ-040": "skipped"}), target="t", spec_path=None, public_config={}
    )
    json_path, html_path = write_certificate(tmp_path / "out", certificate)
    assert json.loads(json_path.read_text())["verdict"] == "INCOMPLETE"
    html = html_path.read_text()
    assert "INCOMPLETE" in html and "REJ-040" in html and "NOT VERIFIED" in html
    assert "<script src" not in html and "<link" not in html
