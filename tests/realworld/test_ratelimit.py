"""Rate cap, request budget and 429 handling: the limiter itself, and whole runs seen from a recording proxy."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from conformance import ratelimit
from conformance.config import parse_config
from conformance.ratelimit import Limiter, RequestBudgetExceeded, retry_after_seconds
from tests.realworld.conftest import with_base_url

#: Checks that send many requests quickly without provisioning much (REJ-021's catalogue, REJ-020, REJ-030).
BUSY_SELECTION = ("--", "-m", "not fuzz", "-k", "rej_021 or rej_020 or rej_030")
TOLERANCE = 1.10
PREFLIGHT_REQUESTS = 3
CAP = 10
#: On a machine too busy to send 20 requests a second uncapped, the cap goes down (never below this).
MIN_CAP = 2.0


def _timed_acquires(limiter: Limiter, threads: int, each: int) -> float:
    def work() -> None:
        for _ in range(each):
            limiter.acquire()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    return time.monotonic() - started


def test_token_bucket_caps_the_rate_across_threads():
    limiter = Limiter(max_rps=50, burst=1)
    elapsed = _timed_acquires(limiter, threads=4, each=15)
    achieved = (60 - 1) / elapsed
    print(f"limiter: 60 acquires from 4 threads at max_rps=50 took {elapsed:.2f}s, achieved {achieved:.1f}/s")
    assert limiter.sent == 60
    assert achieved <= 50 * TOLERANCE


def test_unlimited_limiter_does_not_wait():
    elapsed = _timed_acquires(Limiter(), threads=4, each=250)
    assert elapsed < 0.5


def test_prepaid_requests_leave_together():
    limiter = Limiter(max_rps=10, burst=1)
    started = time.monotonic()
    limiter.prepay(8)
    paid = time.monotonic() - started
    elapsed = _timed_acquires(limiter, threads=8, each=1)
    print(f"prepay(8) at 10/s waited {paid:.2f}s; the 8 requests then left within {elapsed * 1000:.0f}ms")
    assert paid >= 0.6  # 7 tokens beyond the full bucket, at 10 per second
    assert elapsed < 0.1


def test_budget_counts_requests_and_stops_after_it():
    limiter = Limiter(max_requests=3)
    for _ in range(3):
        limiter.acquire()
    with pytest.raises(RequestBudgetExceeded, match="may send 3 requests"):
        limiter.acquire()
    assert limiter.sent == 3 and limiter.exceeded


def test_parallel_workers_share_the_rate_and_the_budget():
    limiter = ratelimit.configure(10.0, 100, burst=8, share=(1, 4))
    assert limiter.settings() == (2.5, 8, 25)
    assert ratelimit.configure(10.0, 100, burst=8, share=(1, 4)) is limiter  # same settings: same counts


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(None, 1.0), ("", 1.0), ("2", 2.0), ("0", 0.0), ("3600", 30.0), ("soon", 1.0), ("-5", 1.0)],
)
def test_retry_after_is_bounded(value, seconds):
    assert retry_after_seconds(value) == seconds


def test_retry_after_accepts_an_http_date():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=7), usegmt=True), now) == 7.0
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=7), usegmt=True), now) == 0.0
    assert retry_after_seconds(format_datetime(now + timedelta(days=1), usegmt=True), now) == 30.0


def test_config_keys_and_bad_values():
    config = parse_config("[target]\nmax_rps = 12.5\nmax_requests = 300\n", "t.toml")
    assert (config.max_rps, config.max_requests) == (12.5, 300)
    overridden = parse_config("[target]\nmax_rps = 12.5\n", "t.toml", {"max_rps": 3, "max_requests": 9})
    assert (overridden.max_rps, overridden.max_requests) == (3.0, 9)


@pytest.mark.parametrize("arguments", [("--max-rps", "0"), ("--max-rps", "-1"), ("--max-requests", "0")])
def test_bad_limits_on_the_command_line_are_exit_4(api_reference, run_cli, write_config, arguments):
    outcome = run_cli("--config", str(write_config(api_reference.config_toml())), *arguments)
    assert outcome.code == 4 and len(outcome.stderr.strip().splitlines()) == 1, outcome.stderr


def _achieved_rate(recording) -> tuple[int, float, int]:
    """Requests seen, their rate from first to last arrival, the most seen within any one second.

    The preflight's requests (a GET, then a create and a cancel) go before pytest starts: left out.
    """
    times = sorted(seen.at for seen in recording.snapshot())[PREFLIGHT_REQUESTS:]
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    return len(times), (len(times) - 1) / (times[-1] - times[0]), busiest


def test_max_rps_caps_what_the_target_receives(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    text = with_base_url(api_reference.config_toml(), base_url) + "\n[checks]\nconcurrency = 2\n"
    path = write_config(text)
    free = run_cli("--config", str(path), *BUSY_SELECTION)
    assert free.code == 0, free.not_passed()
    free_count, free_rate, _ = _achieved_rate(recording)
    recording.clear()
    cap = max(MIN_CAP, min(CAP, round(free_rate / 2, 1)))  # well below what this machine does uncapped, now
    capped = run_cli("--config", str(path), "--max-rps", str(cap), *BUSY_SELECTION)
    assert capped.code == 0, capped.not_passed()
    count, rate, busiest = _achieved_rate(recording)
    print(f"uncapped: {free_count} requests at {free_rate:.1f}/s; --max-rps {cap}: {count} requests at "
          f"{rate:.1f}/s, at most {busiest} in any one second")  # fmt: skip
    assert free_rate > cap * 1.5, "the selection must be fast enough uncapped for the cap to matter"
    assert rate <= cap * TOLERANCE
    assert busiest <= cap + 2 + 1  # the rate plus the burst (concurrency 2), one for timer granularity
    assert capped.traffic["max_rps"] == cap
    assert capped.traffic["requests_sent"] == count + PREFLIGHT_REQUESTS


def test_429_is_waited_out_and_never_judged(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    recording.throttle(2, retry_after="1", marker="/reject/")
    outcome = run_cli("--config", str(write_config(with_base_url(api_reference.config_toml(), base_url))),
                      "--", "-m", "not fuzz", "-k", "rej_020 or rej_054")  # fmt: skip
    assert outcome.code == 0, outcome.not_passed()
    assert {t["outcome"] for t in outcome.results["tests"]} == {"passed"}
    seen = [s for s in recording.snapshot() if "/reject/" in s.path]
    assert [s.status for s in seen[:3]] == [429, 429, 404]
    assert seen[1].at - seen[0].at >= 0.95 and seen[2].at - seen[1].at >= 0.95  # Retry-After: 1, honoured
    assert outcome.traffic["throttled"] == 2 and outcome.traffic["throttled_wait_seconds"] == 2.0
    assert "429 Too Many Requests: 2 answer(s) waited out" in outcome.stdout
    assert '"status": 429' not in (outcome.report_dir / "exchanges.jsonl").read_text()


def test_a_target_that_keeps_answering_429_leaves_the_check_not_verified(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    recording.throttle(100, retry_after="0", marker="/reject/")
    outcome = run_cli("--config", str(write_config(with_base_url(api_reference.config_toml(), base_url))),
                      "--", "-m", "not fuzz", "-k", "rej_020")  # fmt: skip
    assert outcome.code == 0, outcome.stdout[-2000:]
    (test,) = outcome.results["tests"]
    assert test["outcome"] == "skipped"
    assert test["message"].startswith("not verified: the target answered 429 Too Many Requests")
    assert outcome.results["requirements"]["REJ-020"] == "not verified"
    assert len([s for s in recording.snapshot() if s.status == 429]) == ratelimit.MAX_RETRIES + 1


def test_request_budget_stops_the_run_with_exit_2(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    outcome = run_cli("--config", str(write_config(with_base_url(api_reference.config_toml(), base_url))),
                      "--max-requests", "40", "--", "-m", "not fuzz")  # fmt: skip
    assert outcome.code == 2, outcome.stdout[-2000:]
    last = outcome.stderr.strip().splitlines()[-1]
    assert last.startswith("crux-conformance: could not judge: request budget exhausted: the run may send 40")
    assert "Traceback" not in outcome.stderr
    assert len(recording.snapshot()) <= 40
    assert outcome.traffic["budget_exhausted"] and outcome.traffic["requests_sent"] == 40


def test_the_fuzz_stage_is_capped_too(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    path = write_config(with_base_url(api_reference.config_toml(), base_url) + "\n[checks]\nconcurrency = 2\n")
    # A fixed seed: this test is about the cap. Which statuses a random seed's fuzzing reaches varies, and
    # REJ-060 fails a run that reaches no 422 (seen once in a run without CI set; see the session note).
    outcome = run_cli("--config", str(path), "--max-rps", str(CAP),
                      "--", "-m", "fuzz", "-k", "not stateful", "--seed", "0")  # fmt: skip
    assert outcome.code == 0, outcome.not_passed()
    count, rate, busiest = _achieved_rate(recording)
    print(f"fuzz stage at --max-rps {CAP}: {count} requests at {rate:.1f}/s, at most {busiest} in any one second")
    assert count > 2 * CAP and rate <= CAP * TOLERANCE and busiest <= CAP + 2 + 1
    assert outcome.traffic["requests_sent"] == count + PREFLIGHT_REQUESTS


def test_parallel_workers_share_the_budget(api_reference, proxy, run_cli, write_config):
    base_url, recording = proxy
    outcome = run_cli("--config", str(write_config(with_base_url(api_reference.config_toml(), base_url))),
                      "--max-requests", "60", "--", "-n", "2", "-m", "not fuzz")  # fmt: skip
    assert outcome.code == 2, outcome.stdout[-2000:]
    assert "could not judge: request budget exhausted: the run may send" in outcome.stderr.strip().splitlines()[-1]
    assert len(recording.snapshot()) <= 60
    assert outcome.traffic["requests_sent"] == len(recording.snapshot())  # the workers' requests are counted


def test_installing_everywhere_counts_plain_sessions_and_uninstalling_restores_them(api_reference):
    import requests
    from requests.adapters import HTTPAdapter

    plain = HTTPAdapter.send
    limiter = ratelimit.configure(None, 100, burst=2)
    url = f"{api_reference.base_url}/timp/orders/{'0' * 8}-0000-4000-8000-{'0' * 12}/"
    ratelimit.install_everywhere()
    try:
        with requests.Session() as session:  # as Schemathesis makes for its auth probes
            assert session.get(url, timeout=10).status_code == 401
        assert limiter.sent == 1
    finally:
        ratelimit.uninstall_everywhere()
    assert HTTPAdapter.send is plain
    with requests.Session() as session:
        session.get(url, timeout=10)
    assert limiter.sent == 1
