"""`crux-conformance spec`: writing, --check drift gate, --strict, and bad input (exit 4, one line)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_spec_writes_the_document_and_check_passes(mini_docs: Path, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "out" / "openapi.yaml"
    written = run_cli("spec", "--docs", str(mini_docs), "--out", str(out))
    assert written.code == 0
    assert out.read_text().startswith("openapi: 3.1.0\n")
    assert "INFO _shop_admin/list_orders.md:4:" in written.err
    checked = run_cli("spec", "--docs", str(mini_docs), "--out", str(out), "--check")
    assert (checked.code, checked.out) == (0, "")


def test_check_exits_1_with_a_unified_diff_when_the_docs_changed(mini_docs: Path, tmp_path: Path, run_cli) -> None:
    out = tmp_path / "openapi.yaml"
    assert run_cli("spec", "--docs", str(mini_docs), "--out", str(out)).code == 0
    before = out.read_text()
    page = mini_docs / "_shop" / "reject_order.md"
    page.write_text(page.read_text().replace("name: Reject Order", "name: Decline Order"))
    checked = run_cli("spec", "--docs", str(mini_docs), "--out", str(out), "--check")
    assert checked.code == 1
    assert "--- " in checked.out and "+++ " in checked.out
    assert "-      summary: Reject Order" in checked.out
    assert "+      summary: Decline Order" in checked.out
    assert out.read_text() == before  # --check writes nothing


def test_check_against_a_missing_file_fails(mini_docs: Path, tmp_path: Path, run_cli) -> None:
    checked = run_cli("spec", "--docs", str(mini_docs), "--out", str(tmp_path / "none.yaml"), "--check")
    assert checked.code == 1
    assert "+openapi: 3.1.0" in checked.out


def test_warnings_are_one_line_each_and_strict_makes_them_fatal(mini_docs: Path, tmp_path: Path, run_cli) -> None:
    page = mini_docs / "_shop" / "reject_order.md"
    page.write_text(page.read_text().replace("links/response_codes.md", "links/missing.md"))
    out = tmp_path / "openapi.yaml"
    lenient = run_cli("spec", "--docs", str(mini_docs), "--out", str(out))
    assert lenient.code == 0
    warnings = [line for line in lenient.err.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        "WARNING _shop/reject_order.md:19: include 'links/missing.md' not found in _includes/: left out; "
        "the operation of page _shop/reject_order.md is generated from the rest of it"
    ]
    strict = run_cli("spec", "--docs", str(mini_docs), "--out", str(tmp_path / "strict.yaml"), "--strict")
    assert strict.code == 4
    assert not (tmp_path / "strict.yaml").exists()
    assert "--strict" in strict.err.splitlines()[-1]


def test_strict_passes_on_clean_docs(mini_docs: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli("spec", "--docs", str(mini_docs), "--out", str(tmp_path / "o.yaml"), "--strict").code == 0


def test_bad_input_is_one_line_and_exit_4(mini_docs: Path, tmp_path: Path, run_cli) -> None:
    missing = run_cli("spec", "--docs", str(tmp_path / "nope"))
    assert missing.code == 4
    assert missing.err.strip().count("\n") == 0 and "docs folder not found" in missing.err
    (tmp_path / "empty").mkdir()
    empty = run_cli("spec", "--docs", str(tmp_path / "empty"))
    assert empty.code == 4 and "no pages" in empty.err
    (mini_docs / "_shop" / "broken.md").write_text("---\ntitle: [oops\n---\n")
    broken = run_cli("spec", "--docs", str(mini_docs), "--out", str(tmp_path / "o.yaml"))
    assert broken.code == 4
    assert "_shop/broken.md:2: unreadable front matter" in broken.err
    assert "Traceback" not in broken.err


def test_docs_is_required(run_cli) -> None:
    result = run_cli("spec")
    assert result.code == 4
    assert "--docs" in result.err


def test_the_installed_command_exits_4_without_a_traceback(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "conformance", "spec", "--docs", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 4
    assert completed.stderr.strip().splitlines() == [
        f"crux-conformance: error: docs folder not found: {tmp_path / 'absent'}"
    ]
