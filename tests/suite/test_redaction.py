"""Secrets never show: the Redactor, the client's exchange records and failure descriptions."""

from __future__ import annotations

import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conformance.client import Client
from conformance.config import Timeouts
from conformance.probes import reject_path
from conformance.recorder import Recorder
from conformance.redaction import Redactor
from tests.targets.server import served

SECRET = "s3cr3t/token+value"


def test_redactor_masks_plain_and_url_encoded_forms():
    redactor = Redactor([SECRET, ""])
    text = f"Token {SECRET} ?token=s3cr3t%2Ftoken%2Bvalue"
    masked = redactor.text(text)
    assert "s3cr3t" not in masked
    assert masked.count("***") == 2
    assert redactor.data(SECRET.encode() + b"!") == b"***!"


def test_exchange_records_and_describe_mask_every_secret(reference):
    supplier = reference.credentials["supplier"]
    session_id = reference.credentials["session_id"]
    recorder = Recorder()
    client = Client(reference.base_url, reference.credentials, Timeouts(2, 5), Redactor(reference.credentials.values()),
                    recorder)
    order = str(uuid.uuid4())
    client.request("PATCH", reject_path(order) + f"?token={supplier}", role="supplier")
    client.request("PATCH", reject_path(order), role="session_id")
    assert len(recorder) == 2
    for exchange in recorder:
        shown = exchange.describe() + repr(exchange) + str(exchange.request_headers) + exchange.url
        assert supplier not in shown and session_id not in shown
        assert "***" in shown


def test_describe_shows_method_url_status_headers_and_body_excerpt(reference):
    client = Client(reference.base_url, reference.credentials, Timeouts(2, 5), Redactor(reference.credentials.values()))
    exchange = client.request("PATCH", reject_path(str(uuid.uuid4())), role="supplier")
    text = exchange.describe()
    assert "sent: PATCH http://127.0.0.1:" in text
    assert f"got:  {exchange.status}" in text
    assert "Authorization: Token ***" in text
    assert "content-type:" in text.lower()
    assert exchange.elapsed > 0 and exchange.endpoint == "reject"


class _CookieHandler(BaseHTTPRequestHandler):
    """Sets a session cookie and echoes back the Cookie header it received."""

    def do_GET(self):
        body = (self.headers.get("Cookie") or "none").encode()
        self.send_response(200)
        self.send_header("Set-Cookie", "sessionid=issued-by-target; Path=/")
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_cookies_set_by_the_target_are_never_sent_back_and_never_shown():
    with served(ThreadingHTTPServer(("127.0.0.1", 0), _CookieHandler)) as url:
        client = Client(url, {}, Timeouts(2, 5), Redactor())
        first = client.request("GET", "/")
        second = client.request("GET", "/")
    assert second.body == b"none"
    assert "issued-by-target" not in first.describe()
    assert first.header("set-cookie").startswith("sessionid=***")


def test_a_failure_carries_a_curl_command_that_reproduces_it_with_the_secret_to_fill_in():
    import shlex

    from conformance.client import Exchange

    exchange = Exchange(
        "PATCH",
        "http://127.0.0.1:9/timp/orders/cancel/abc/reject/",
        (("Authorization", "Token ***"), ("User-Agent", "python-requests/2"), ("Content-Type", "application/json")),
        b"{}",
        500,
        {"content-type": "text/html"},
        b"oops",
        0.01,
    )
    text = exchange.describe()
    command = text.splitlines()[-1].removeprefix("reproduce: ")
    words = shlex.split(command)
    assert words[:5] == ["curl", "-sS", "-i", "-X", "PATCH"]
    assert "Authorization: Token ${CRUX_TOKEN}" in words
    assert "Content-Type: application/json" in words
    assert words[words.index("--data-binary") + 1] == "{}"
    assert words[-1] == "http://127.0.0.1:9/timp/orders/cancel/abc/reject/"
    assert not any("User-Agent" in word for word in words)
