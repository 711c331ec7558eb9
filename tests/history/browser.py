"""Chromium measurements for the history pages: elements that overflow the viewport, and A4 PDF prints."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

import pytest

from tests.reporting import chromium
from tests.reporting.chromium import FLAGS, TIMEOUT_S, chromium_or_skip

MEASURE = """
<script>
window.addEventListener("load", () => {
  const limit = document.documentElement.clientWidth;
  const overflowing = [];
  for (const element of document.querySelectorAll("table, th, td, dd, dl, svg, p, h1, h2")) {
    const box = element.getBoundingClientRect();
    const cell = element.tagName === "TD" || element.tagName === "TH";
    const spills = element.scrollWidth > element.clientWidth + 1;  // content wider than its box
    if (box.right > limit + 1 || (spills && (cell || getComputedStyle(element).overflowX !== "visible"))) {
      overflowing.push({tag: element.tagName, text: element.textContent.slice(0, 60), right: box.right,
                        scroll: element.scrollWidth, client: element.clientWidth});
    }
  }
  const out = document.createElement("pre");
  out.id = "crux-measure";
  out.textContent = JSON.stringify({viewport: limit, overflowing: overflowing});
  document.body.appendChild(out);
});
</script>
"""


def overflowing_elements(page: Path, width: int) -> list[dict[str, object]]:
    """Elements of ``page`` wider than a ``width``-pixel viewport, or whose content spills out of them."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / page.name
        copy.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
        result = chromium._run(copy, "--dump-dom", f"--window-size={width},1200")
        assert result.returncode == 0, result.stderr[-2000:]
        dom = result.stdout
    match = re.search(r'<pre id="crux-measure">(.*?)</pre>', dom, re.S)
    assert match, "the measuring script did not run"
    report = json.loads(unescape(match.group(1)))
    assert abs(int(report["viewport"]) - width) < 40, report["viewport"]  # the window size took effect
    return list(report["overflowing"])


def print_to_pdf(page: Path, pdf: Path) -> Path:
    """Print ``page`` to ``pdf`` with headless Chromium (A4 comes from the page's ``@page`` rule)."""
    binary = chromium_or_skip()
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
             page.as_uri()],
            capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", "Chromium printed no PDF"
    return pdf


def pdf_words(pdf: Path) -> tuple[list[tuple[float, float]], list[tuple[str, float, float]]]:
    """(page sizes in points, every word with its left and right edge) of a PDF, via poppler's pdftotext -bbox."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils); the PDF print is not checked")
    done = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT_S, check=True
    )
    pages = [(float(w), float(h)) for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', done.stdout)]
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
    words = [(unescape(text), float(x_min), float(x_max)) for x_min, x_max, text in re.findall(pattern, done.stdout)]
    return pages, words
