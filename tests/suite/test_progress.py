"""A run says what it is doing: progress lines in a log (stderr not a terminal), none with ``-q``."""

from __future__ import annotations

import re

PROGRESS_LINE = re.compile(r"^progress: (\d+)/(\d+) checks · (REJ-\d{3}|starting) · \d+ requests · [\d.]+s", re.M)


def test_progress_lines_in_a_log_and_none_when_quiet(run_cli, reference, write_config, tmp_path):
    config = write_config(reference.config_toml())
    shown = run_cli("--config", str(config), "--", "-m", "smoke")
    assert shown.code == 0, shown.stdout[-2000:] + shown.stderr
    lines = PROGRESS_LINE.findall(shown.stderr)
    assert lines, shown.stderr
    done, total, _ = lines[-1]
    assert done == total  # the last line: every selected check done
    assert "....." not in shown.stdout  # the dots gave way to the progress lines
    quiet = run_cli("--config", str(config), "-q", "--", "-m", "smoke", report_dir=tmp_path / "quiet")
    assert quiet.code == 0
    assert not PROGRESS_LINE.search(quiet.stderr)
