"""The certificate renders in a real browser: verdict, summary and requirement ids are visible."""

from conformance.reporting.certificate import build_certificate
from conformance.reporting.run_files import write_certificate
from conformance.requirements import CATALOGUE

from .chromium import rendered_dom, screenshot


def test_certificate_renders_in_headless_chromium(tmp_path):
    tests = [
        {
            "nodeid": f"checks::{req.id}",
            "requirement": req.id,
            "outcome": "failed" if req.id == "REJ-010" else "passed",
            "message": "expected 422, got 200",
        }
        for req in CATALOGUE
    ]
    certificate = build_certificate(tests, target="http://127.0.0.1:9", spec_path=None, public_config={})
    _, html_path = write_certificate(tmp_path, certificate)
    dom = rendered_dom(html_path)
    assert "NOT CONFORMANT" in dom
    assert 'class="crux-verdicts"' in dom
    for req in CATALOGUE:
        assert f'id="req-{req.id}"' in dom
    png = screenshot(html_path, tmp_path / "certificate.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
