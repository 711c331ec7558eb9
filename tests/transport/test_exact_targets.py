"""Issue 16: the request target a check builds is the one that reaches the server, directly and through a proxy.

A recording relay logs each raw request line; every REJ-021 catalogue form, a sample of generated ones and
of the fuzz stage's generated path values must arrive byte for byte. A target the proxy route would
rewrite is not sent, and the check says "not verified" with the reason.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from conformance.checks.exact import send_exact
from conformance.checks.malformed import catalogue, malformed_identifiers
from conformance.client import Client
from conformance.config import Timeouts
from conformance.fuzz.settings import FuzzOptions
from conformance.fuzz.spec import load_spec
from conformance.probes import reject_path
from conformance.redaction import Redactor
from conformance.transport import TargetRewritten, TransportSettings, build_session

FORMS = catalogue()
REJECT = "/timp/orders/cancel/{order_uuid}/reject/"
SAMPLE = settings(
    max_examples=25, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip


def client_for(base_url: str, proxy: str | None = None) -> Client:
    return Client(base_url, {"supplier": "exact-token"}, Timeouts(3, 10), Redactor(["exact-token"]),
                  transport=TransportSettings(proxy=proxy))  # fmt: skip


@pytest.mark.parametrize(("name", "segment"), FORMS, ids=[name for name, _ in FORMS])
def test_every_catalogue_form_arrives_byte_exact(relay, proxy, name, segment):
    intended = reject_path(segment)
    direct = client_for(relay.base_url).request("PATCH", intended, role="supplier")
    assert relay.log.targets()[-1] == intended
    assert direct.target == intended
    try:
        proxied = client_for(relay.base_url, proxy.url).request("PATCH", intended, role="supplier")
    except TargetRewritten as rewritten:  # allowed only when nothing was sent
        assert rewritten.intended == relay.base_url + intended and proxy.log.targets() == []
        return
    assert proxy.log.targets() == [relay.base_url + intended]  # absolute-form, as built
    assert relay.log.targets()[-1] == intended
    assert proxied.target == relay.base_url + intended


def test_the_issue_form_is_percent_encoded_on_the_wire_through_a_proxy_too(relay, proxy):
    intended = reject_path("%2E%2E")
    client_for(relay.base_url, proxy.url).request("PATCH", intended, role="supplier")
    assert proxy.log.targets() == [f"{relay.base_url}/timp/orders/cancel/%2E%2E/reject/"]
    assert relay.log.targets() == ["/timp/orders/cancel/%2E%2E/reject/"]


@SAMPLE
@given(segment=malformed_identifiers())
def test_generated_forms_arrive_byte_exact_directly_and_through_a_proxy(relay, proxy, segment):
    intended = reject_path(segment)
    client_for(relay.base_url).request("PATCH", intended, role="supplier")
    assert relay.log.targets()[-1] == intended
    client_for(relay.base_url, proxy.url).request("PATCH", intended, role="supplier")
    assert proxy.log.targets()[-1] == relay.base_url + intended
    assert relay.log.targets()[-1] == intended


def test_a_dot_segment_goes_direct_as_written_but_is_not_sent_through_a_proxy_that_would_remove_it(relay, proxy):
    intended = "/timp/orders/cancel/../reject/"
    assert client_for(relay.base_url).request("PATCH", intended).target == intended
    assert relay.log.targets() == [intended]
    with pytest.raises(TargetRewritten, match="cannot cross the HTTP proxy unchanged") as rewritten:
        client_for(relay.base_url, proxy.url).request("PATCH", intended)
    assert rewritten.value.sent == f"{relay.base_url}/timp/orders/reject/"
    assert proxy.log.targets() == [] and relay.log.targets() == [intended]
    with pytest.raises(pytest.skip.Exception, match=r"^not verified: the request target .* cannot cross"):
        send_exact(client_for(relay.base_url, proxy.url), "PATCH", intended)


@pytest.fixture(scope="module")
def reject_operation():
    return load_spec(FuzzOptions())[REJECT]["PATCH"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_fuzz_path_values_arrive_as_schemathesis_built_them(relay, proxy, reject_operation, mode):
    direct, proxied = build_session(), build_session(TransportSettings(proxy=proxy.url))
    sent: list[str] = []

    @SAMPLE
    @given(case=reject_operation.as_strategy(generation_mode=mode))
    def check(case):
        url = case.operation.schema.build_request_url(case, relay.base_url)
        parts = urlsplit(url)
        try:
            case.call(base_url=relay.base_url, session=direct, timeout=(3, 10), allow_redirects=False)
        except TargetRewritten:
            return
        logged = relay.log.targets()[-1]
        assert urlsplit(logged).path == parts.path
        if not case.query:
            assert logged == parts.path + (f"?{parts.query}" if parts.query else "")
        case.call(base_url=relay.base_url, session=proxied, timeout=(3, 10), allow_redirects=False)
        assert urlsplit(proxy.log.targets()[-1]).path == parts.path
        sent.append(parts.path)

    try:
        check()
    finally:  # closed, their kept-alive connections end now, not after the relay's 1 s join per serving thread
        direct.close()
        proxied.close()
    assert len(sent) >= 5  # a real sample went through both routes


def test_the_record_and_the_curl_command_carry_the_exact_target(relay):
    intended = reject_path("%2E%2E")
    exchange = client_for(relay.base_url).request("PATCH", intended, role="supplier")
    assert exchange.as_record()["target"] == intended
    command = exchange.curl()
    assert "--path-as-is" in command and "--globoff" in command
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed: the replay itself was not tried")
    words = shlex.split(command.replace("${CRUX_TOKEN}", "exact-token"))
    subprocess.run(words, capture_output=True, timeout=30, check=True)
    assert relay.log.targets()[-1] == intended


def test_the_relay_sees_what_plain_requests_would_have_sent_instead(relay):
    """The relay tells the forms apart: plain ``requests`` turns ``%2E%2E`` into a dot segment (the issue)."""
    import requests

    requests.patch(relay.base_url + reject_path("%2E%2E"), timeout=10)
    assert relay.log.targets() == ["/timp/orders/cancel/../reject/"]
