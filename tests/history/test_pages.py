"""The certificate and history pages in Chromium: reading order, no column overflows, A4 PDF with every column."""

from __future__ import annotations

import re

import pytest

from conformance.history.records import RequirementOutcome, RunRecord
from conformance.history.trend import render_html
from conformance.reporting import certificate_html
from conformance.reporting.certificate import build_certificate
from conformance.reporting.run_files import write_certificate
from conformance.requirements import CATALOGUE
from conformance.signing import generate_key_pair, load_private_key, sign
from tests.reporting.chromium import screenshot

from .browser import overflowing_elements, pdf_words, print_to_pdf

A4_PORTRAIT_PX = 794  # 210 mm at 96 px per inch
HEADERS = ("Requirement", "Title", "Verdict", "Notes", "Evidence")
LONG_ID = "[" + "-".join(f"case{index:03d}" for index in range(30)) + "]"
LONG_REASON = (
    "REJ-010: expected 422, got 200; reproduce: curl -X PATCH "
    "'http://127.0.0.1:8000/timp/orders/cancel/" + "0f" * 60 + "/reject/' -H 'Authorization: Token ${CRUX_TOKEN}'"
)


def a_vendor_certificate(tmp_path):
    tests = []
    for req in CATALOGUE:
        outcome = {"REJ-010": "failed", "REJ-036": "skipped"}.get(req.id, "passed")
        message = LONG_REASON if outcome == "failed" else "no session_id credential" if outcome == "skipped" else ""
        for index in range(3 if req.id == "REJ-021" else 1):
            nodeid = f"conformance/checks/test_{req.family}.py::test_{req.id.lower().replace('-', '_')}{LONG_ID}{index}"
            tests.append({"nodeid": nodeid, "requirement": req.id, "outcome": outcome, "message": message})
    certificate = build_certificate(tests, target="http://127.0.0.1:9", spec_path=None, public_config={})
    private, _ = generate_key_pair(tmp_path / "qa")
    certificate = sign(certificate, load_private_key(private), "ACME QA certification team")
    _, html = write_certificate(tmp_path, certificate)
    return certificate, html


def test_certificate_page_reads_failures_first_with_counts_and_signer_on_top(tmp_path):
    certificate, html = a_vendor_certificate(tmp_path)
    text = html.read_text()
    rows = [match.group(1) for match in re.finditer(r'<tr id="req-(REJ-\d+)"', text)]
    assert rows[:2] == ["REJ-010", "REJ-036"]  # failed, then not verified, then the rest
    assert rows.index("REJ-070") < rows.index("REJ-001")  # advisory before passes
    assert text.index('id="counts"') < text.index('class="crux-verdicts"')
    assert "1 failed" in text and "1 not verified" in text and f"{len(CATALOGUE) - 3} passed" in text
    assert "ACME QA certification team" in text and certificate["signature"]["key_fingerprint"] in text


@pytest.mark.parametrize("width", [A4_PORTRAIT_PX, 1280])
def test_no_column_of_the_certificate_overflows(tmp_path, width):
    _, html = a_vendor_certificate(tmp_path)
    assert overflowing_elements(html, width) == []
    screenshot(html, tmp_path / "certificate.png", width=width, height=2400)  # to look at: pytest --basetemp


def test_the_overflow_check_catches_a_page_without_wrapping(tmp_path, monkeypatch):
    monkeypatch.setattr(certificate_html, "PAGE_STYLE", "")  # the page as it was before issue 15
    _, html = a_vendor_certificate(tmp_path)
    overflowing = overflowing_elements(html, A4_PORTRAIT_PX)
    assert any(item["tag"] in ("TABLE", "TD") for item in overflowing), overflowing


def test_certificate_prints_on_a4_with_every_column(tmp_path):
    _, html = a_vendor_certificate(tmp_path)
    pages, words = pdf_words(print_to_pdf(html, tmp_path / "certificate.pdf"))
    assert pages and all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in pages), pages  # A4 portrait
    texts = {text for text, _, _ in words}
    assert set(HEADERS) <= texts
    assert {req.id for req in CATALOGUE} <= texts
    page_width = pages[0][0]
    outside = [(text, right) for text, _, right in words if right > page_width - 1]
    assert outside == []


def _runs(count: int) -> list[RunRecord]:
    runs = []
    for number in range(count, 0, -1):  # newest first, as the store returns them
        outcomes = tuple(
            RequirementOutcome(req.id, "fail" if (number % 4 == 0 and req.id == "REJ-013") else "pass")
            for req in CATALOGUE
        )
        verdict = "NOT CONFORMANT" if number % 4 == 0 else "CONFORMANT"
        runs.append(
            RunRecord("http://t", f"2026.11.{number}-build.{number * 1000}", "ci", verdict, 0, "0", None, None, None,
                      None, None, f"2026-11-{number:02d}T08:00:00+00:00", outcomes, id=number)
        )  # fmt: skip
    return runs


def test_history_page_has_no_overflow_and_prints_every_run(tmp_path):
    page = tmp_path / "history.html"
    page.write_text(render_html(_runs(15), subtitle="15 runs"), encoding="utf-8")
    assert overflowing_elements(page, A4_PORTRAIT_PX) == []
    screenshot(page, tmp_path / "history.png", width=A4_PORTRAIT_PX, height=1400)
    pages, words = pdf_words(print_to_pdf(page, tmp_path / "history.pdf"))
    assert all(abs(w - 841.9) < 2 for w, _ in pages), pages  # A4 landscape
    texts = {text for text, _, _ in words}
    assert {f"#{number}" for number in range(1, 16)} <= texts
    assert "requirement" in texts
    assert [text for text, _, right in words if right > pages[0][0] - 1] == []
