"""history: the per-requirement trend table over the last runs, as text and as an HTML page."""

from __future__ import annotations

from .cli import assert_one_line_exit_4, run_cli, run_process


def _column(text: str, row: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(row))
    return line.split()[1:]


def test_the_trend_reads_oldest_to_newest_with_every_verdict(report, history_url, capsys, tmp_path):
    report("r1", version="1.0", history=history_url)
    report("r2", version="1.1", history=history_url, failing={"REJ-013"})
    report("r3", version="1.2", history=history_url, skipped={"REJ-013"})
    page = tmp_path / "trend.html"
    done = run_cli(capsys, "history", "--history", history_url, "--html", str(page))
    assert done.code == 0, done.err
    assert _column(done.out, "version") == ["1.0", "1.1", "1.2"]
    assert _column(done.out, "REJ-013") == ["pass", "FAIL", "n/v"]
    assert _column(done.out, "REJ-070") == ["adv", "adv", "adv"]
    assert _column(done.out, "verdict") == ["ok", "NOT", "OK", "incomplete"]
    html = page.read_text()
    assert html.count("<rect") == 5  # run 1: pass; run 2: pass + fail; run 3: pass + not verified
    assert "<title>#2 1.1: 1 fail</title>" in html and "<title>#3 1.2: 1 not verified</title>" in html
    assert 'class="crux-cell-fail"' in html and 'class="crux-cell-not-verified"' in html


def test_last_and_target_select_the_runs(report, history_url, capsys):
    for index in range(4):
        report(f"r{index}", version=f"1.{index}", history=history_url)
    done = run_cli(capsys, "history", "--history", history_url, "--last", "2")
    assert _column(done.out, "version") == ["1.2", "1.3"]
    other = run_cli(capsys, "history", "--history", history_url, "--target", "http://elsewhere")
    assert other.out == "no runs recorded\n"


def test_history_bad_input_is_one_line_exit_4(tmp_path):
    done = run_process("history", "--history", "mysql://db/h")
    assert_one_line_exit_4(done)
    bad_last = run_process("history", "--history", str(tmp_path / "h.sqlite3"), "--last", "0")
    assert bad_last.code == 4 and "positive number" in bad_last.err
