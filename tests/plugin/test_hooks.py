"""The plugin's hooks, in-process with ``pytester``: each job of ``conformance.plugin`` on its own.

The target is a small real server on 127.0.0.1: GET answers 404, PATCH answers 429 with ``Retry-After: 0``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance import ratelimit
from tests.targets.http_server import Request, Response, TargetHTTPServer
from tests.targets.server import served


def _application(request: Request) -> Response:
    if request.method == "PATCH":
        return Response(429, [("Retry-After", "0"), ("Content-Type", "application/json")], b'{"detail": "slow down"}')
    return Response(404, [("Content-Type", "application/json")], b'{"detail": "Not found."}')


@pytest.fixture
def throttling_target() -> Iterator[str]:
    """A target whose every PATCH is answered 429 (forever), every GET 404."""
    try:
        with served(TargetHTTPServer(("127.0.0.1", 0), _application)) as url:
            yield url
    finally:
        ratelimit.reset()  # in-process sessions configure the process-wide limiter


@pytest.fixture
def config_file(pytester: pytest.Pytester, throttling_target: str) -> Path:
    """A static-mode run configuration naming the throttling target."""
    return pytester.makefile(
        ".toml",
        conformance=f"""
[target]
base_url = "{throttling_target}"
[credentials]
supplier = "secret-supplier-token"
[provisioning]
mode = "static"
[provisioning.static]
pending = []
""",
    )


def _results(pytester: pytest.Pytester) -> dict:
    return json.loads((pytester.path / "results.json").read_text())


def test_unknown_requirement_id_is_a_usage_error(pytester: pytest.Pytester, config_file: Path) -> None:
    pytester.makepyfile(
        test_checks="""
import pytest

@pytest.mark.requirement("REJ-999")
def test_unknown():
    pass
"""
    )
    result = pytester.runpytest_inprocess("-p", "conformance.plugin", "--conformance-config", str(config_file))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown requirement id 'REJ-999'" in result.stderr.str()


def test_audits_are_ordered_last(pytester: pytest.Pytester, config_file: Path) -> None:
    pytester.makepyfile(
        test_checks="""
import pytest

@pytest.mark.audit
@pytest.mark.requirement("REJ-054")
def test_audit_written_first():
    pass

@pytest.mark.requirement("REJ-020")
def test_check_written_second():
    pass
"""
    )
    result = pytester.runpytest_inprocess(
        "-p", "conformance.plugin", "--conformance-config", str(config_file), "--collect-only", "-q"
    )
    collected = [line for line in result.outlines if "::test_" in line]
    assert [line.rsplit("::", 1)[1] for line in collected] == ["test_check_written_second", "test_audit_written_first"]


def test_a_persisting_429_is_not_verified_never_failed(pytester: pytest.Pytester, config_file: Path) -> None:
    pytester.makepyfile(
        test_checks="""
import pytest

@pytest.mark.requirement("REJ-030")
def test_reject(client):
    client.request("PATCH", "/timp/orders/cancel/00000000-0000-4000-8000-000000000000/reject/", role="supplier")
"""
    )
    result = pytester.runpytest_inprocess(
        "-p", "conformance.plugin", "--conformance-config", str(config_file),
        "--conformance-results", str(pytester.path / "results.json"),
    )  # fmt: skip
    result.assert_outcomes(skipped=1)
    (test,) = _results(pytester)["tests"]
    assert test["outcome"] == "skipped"
    assert "429" in test["message"]
    assert _results(pytester)["requirements"]["REJ-030"] == "not verified"


def test_a_typed_failure_names_the_checks_requirement(pytester: pytest.Pytester, config_file: Path) -> None:
    pytester.makepyfile(
        test_checks="""
import pytest
from conformance.checks._support import expect_status

@pytest.mark.requirement("REJ-020")
def test_unknown_order(client):
    answer = client.request("GET", "/timp/orders/00000000-0000-4000-8000-000000000000/", role="supplier")
    expect_status(answer, {200}, "reading an order")
"""
    )
    result = pytester.runpytest_inprocess(
        "-p", "conformance.plugin", "--conformance-config", str(config_file),
        "--conformance-results", str(pytester.path / "results.json"),
    )  # fmt: skip
    result.assert_outcomes(failed=1)
    (test,) = _results(pytester)["tests"]
    assert test["message"] == "REJ-020: reading an order: expected 200, got 404"
    assert "secret-supplier-token" not in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


def test_a_failure_naming_its_requirements_counts_against_them(pytester: pytest.Pytester, config_file: Path) -> None:
    pytester.makepyfile(
        test_checks="""
import pytest
from conformance.failures import StateChanged

@pytest.mark.requirement("REJ-001")
def test_scenario():
    raise StateChanged("a refused attempt changed state", requirements=("REJ-037", "REJ-042"))
"""
    )
    pytester.runpytest_inprocess(
        "-p", "conformance.plugin", "--conformance-config", str(config_file),
        "--conformance-results", str(pytester.path / "results.json"),
    )  # fmt: skip
    document = _results(pytester)
    assert document["tests"][0]["broken"] == ["REJ-037", "REJ-042"]
    assert document["tests"][0]["message"].startswith("REJ-037, REJ-042: a refused attempt changed state")
    assert document["requirements"]["REJ-037"] == "fail"
    assert document["requirements"]["REJ-042"] == "fail"
    assert document["requirements"]["REJ-001"] == "not verified"


def test_xdist_workers_each_take_their_share_of_the_rate(pytester: pytest.Pytester, config_file: Path) -> None:
    pytester.makepyfile(
        test_checks="""
import pytest
from conformance import ratelimit

@pytest.mark.requirement("REJ-020")
@pytest.mark.parametrize("n", range(4))
def test_share(n, run_config):
    assert ratelimit.limiter().max_rps == pytest.approx(5.0)
"""
    )
    result = pytester.runpytest_subprocess(
        "-p", "conformance.plugin", "--conformance-config", str(config_file), "-n", "2",
        "--conformance-max-rps", "10", timeout=120,
    )  # fmt: skip
    result.assert_outcomes(passed=4)
