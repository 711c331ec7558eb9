"""REJ-023's stack-trace markers: each kind of trace or debug page is found, a large clean body is not."""

from __future__ import annotations

import pytest

from conformance.fuzz.checks import stack_trace_in

TRACES = {
    "python": 'Traceback (most recent call last):\n  File "/app/views.py", line 12, in reject\n',
    "python frame": 'error at File "/srv/app.py", line 40, in handler',
    "django debug": "You're seeing this error because you have <code>DEBUG = True</code> in your settings",
    "werkzeug": "<h1>Werkzeug Debugger</h1>",
    "java": "java.lang.NullPointerException\n\tat com.crux.Orders.reject(Orders.java:42)",
    "java thread": 'Exception in thread "main" java.lang.IllegalStateException',
    "rails title": "<title>NoMethodError at /timp/orders</title>",
    "spring": "<h1>Whitelabel Error Page</h1>",
    "rails trace": "<a>Application Trace</a> | <a>Full Trace</a>",
}


@pytest.mark.parametrize("body", TRACES.values(), ids=TRACES.keys())
def test_each_kind_of_trace_is_found(body):
    assert stack_trace_in(f"<html><body>{body}</body></html>") is not None


def test_a_large_clean_body_is_not_a_trace():
    body = '{"detail": "Not found.", "at": "Debugging tips: see the docs", "title": "error"}' * 15_000
    assert stack_trace_in(body) is None
