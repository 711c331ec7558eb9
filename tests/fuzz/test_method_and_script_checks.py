"""The fuzz stage's checks for a 2xx to another method on the reject URL (REJ-050) and a reflected script tag.

Each runs on real responses from a small canned server: it fails the response that breaks its rule and
passes the conformant one.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from conformance.fuzz.checks import no_reflected_script_tag, other_methods_never_succeed
from conformance.fuzz.settings import FuzzOptions
from conformance.fuzz.spec import load_schema
from tests.targets.server import served

ORDER = "3f756137-f575-4337-b61f-d55b917b146b"


class Canned(BaseHTTPRequestHandler):
    """Answers by the ``X-Mode`` header: ``ok`` (200 JSON), ``405``, ``echo-twice`` (HTML echoing the path
    decoded twice), ``escaped`` (HTML with the input escaped)."""

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        mode = self.headers.get("X-Mode", "ok")
        if mode == "ok":
            status, kind, body = 200, "application/json", '{"order_uuid": "x"}'
        elif mode == "405":
            status, kind, body = 405, "application/json", '{"detail": "Method not allowed"}'
        elif mode == "echo-twice":
            status, kind, body = 404, "text/html", f"<p>No {unquote(unquote(self.path))}</p>"
        else:
            status, kind, body = 404, "text/html", "<p>No &lt;script&gt;</p>"
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with served(ThreadingHTTPServer(("127.0.0.1", 0), Canned)) as url:
        yield url


@pytest.fixture(scope="module")
def operation():
    schema = load_schema(FuzzOptions())
    return next(
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.endswith("/reject/") and "/items/" not in result.ok().path
    )


def call(operation, server_url: str, method: str, mode: str, order_uuid: str = ORDER):
    case = operation.Case(method=method, path_parameters={"order_uuid": order_uuid}, headers={"X-Mode": mode})
    return case, case.call(base_url=server_url, timeout=5)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_a_2xx_to_another_method_fails_rej_050(operation, server_url, method):
    case, response = call(operation, server_url, method, "ok")
    with pytest.raises(AssertionError, match=f"REJ-050: {method} on the reject URL answered 200"):
        other_methods_never_succeed(None, response, case)


def test_a_405_to_another_method_and_a_2xx_to_patch_pass(operation, server_url):
    case, response = call(operation, server_url, "GET", "405")
    assert other_methods_never_succeed(None, response, case) is None
    case, response = call(operation, server_url, "PATCH", "ok")
    assert other_methods_never_succeed(None, response, case) is None


def test_a_script_tag_reflected_after_double_decoding_fails_rej_023(operation, server_url):
    case, response = call(operation, server_url, "PATCH", "echo-twice", order_uuid="%253Cscript%253Ealert(1)")
    with pytest.raises(AssertionError, match=r"REJ-023: .*script tag"):
        no_reflected_script_tag(None, response, case)


def test_an_escaped_or_absent_script_tag_passes(operation, server_url):
    case, response = call(operation, server_url, "PATCH", "escaped", order_uuid="%3Cscript%3E")
    assert no_reflected_script_tag(None, response, case) is None
    case, response = call(operation, server_url, "PATCH", "echo-twice", order_uuid=ORDER)
    assert no_reflected_script_tag(None, response, case) is None
