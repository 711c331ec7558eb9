"""The custom checks (REJ-023, REJ-053) on real responses from a canned local server."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

from conformance.fuzz.checks import body_declares_its_content_type, no_reflected_html_or_stack_trace
from conformance.fuzz.settings import FuzzOptions
from conformance.fuzz.spec import load_schema
from tests.targets.server import served

PAYLOAD = "<script>alert(1)</script>"
#: mode -> (status, content type or None, body template; {path} is the decoded request path)
CANNED: dict[str, tuple[int, str | None, str]] = {
    "html-echo": (404, "text/html", "<h1>Not found: {path}</h1>"),
    "html-escaped": (404, "text/html", "<h1>Not found: &lt;script&gt;</h1>"),
    "traceback": (400, "text/plain", 'Traceback (most recent call last):\n  File "views.py", line 3, in reject\n'),
    "django-debug": (500, "text/html", "<p>You're seeing this error because you have <code>DEBUG = True</code></p>"),
    "json-ok": (422, "application/json", '{"detail": "not pending"}'),
    "problem-json-broken": (422, "application/problem+json", "not pending"),
    "no-content-type": (422, None, "not pending"),
    "empty": (204, None, ""),
}


class Canned(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_PATCH(self) -> None:
        mode = self.headers.get("X-Mode", "json-ok")
        status, content_type, template = CANNED[mode]
        body = template.replace("{path}", unquote(self.path)).encode()
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with served(ThreadingHTTPServer(("127.0.0.1", 0), Canned)) as url:
        yield url


@pytest.fixture(scope="module")
def operation():
    schema = load_schema(FuzzOptions())
    return next(result.ok() for result in schema.get_all_operations())


def exchange(operation, server_url: str, mode: str, order_uuid: str = PAYLOAD):
    case = operation.Case(path_parameters={"order_uuid": order_uuid}, headers={"X-Mode": mode})
    return case, case.call(base_url=server_url, timeout=5)


@pytest.mark.parametrize("mode", ["html-echo", "traceback", "django-debug"])
def test_rej_023_flags_reflected_html_and_stack_traces(operation, server_url, mode):
    case, response = exchange(operation, server_url, mode)
    with pytest.raises(AssertionError, match="REJ-023"):
        no_reflected_html_or_stack_trace(None, response, case)


@pytest.mark.parametrize("mode", ["html-escaped", "json-ok", "empty"])
def test_rej_023_passes_escaped_or_harmless_bodies(operation, server_url, mode):
    case, response = exchange(operation, server_url, mode)
    assert no_reflected_html_or_stack_trace(None, response, case) is None


def test_rej_023_html_echo_of_plain_input_is_not_markup(operation, server_url):
    case, response = exchange(operation, server_url, "html-echo", order_uuid="3f756137-f575-4337-b61f-d55b917b146b")
    assert no_reflected_html_or_stack_trace(None, response, case) is None


@pytest.mark.parametrize(
    ("mode", "problem"), [("problem-json-broken", "is not JSON"), ("no-content-type", "no Content-Type")]
)
def test_rej_053_flags_undeclared_or_broken_bodies(operation, server_url, mode, problem):
    case, response = exchange(operation, server_url, mode)
    with pytest.raises(AssertionError, match=f"REJ-053.*{problem}"):
        body_declares_its_content_type(None, response, case)


@pytest.mark.parametrize("mode", ["json-ok", "empty", "html-escaped"])
def test_rej_053_passes_declared_bodies(operation, server_url, mode):
    case, response = exchange(operation, server_url, mode)
    assert body_declares_its_content_type(None, response, case) is None
