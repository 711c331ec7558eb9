"""A target that stops answering mid-run: the run says so and exits 2 (could not judge), not 1."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS_BEFORE_DYING = 6


def _stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()  # closes the listening socket: later connections are refused at once


class _DyingHandler(BaseHTTPRequestHandler):
    """Answers a handful of requests plausibly (404s, provider states), then the server goes away."""

    def _answer(self, status: int, document: dict) -> None:
        server = self.server
        server.answered += 1  # type: ignore[attr-defined]
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if server.answered >= ANSWERS_BEFORE_DYING:  # type: ignore[attr-defined]
            threading.Thread(target=_stop, args=(server,), daemon=True).start()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer(201, {"order_uuid": str(uuid.uuid4())})

    def do_GET(self):
        self._answer(404, {"detail": "Not found."})

    do_PATCH = do_GET

    def log_message(self, *args):
        pass


def test_target_that_stops_answering_is_exit_2(run_cli, write_config):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DyingHandler)
    server.answered = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = write_config(
        f'[target]\nbase_url = "{base}"\n[credentials]\nsupplier = "dying-target-token"\n'
        f'[provisioning]\nstate_url = "{base}/states"\n[timeouts]\nconnect = 1\nread = 2\n'
    )
    try:
        outcome = run_cli("--config", str(config), "--", "-k", "rej_021 and not generated", timeout=120)
    finally:
        if server.answered < ANSWERS_BEFORE_DYING:
            _stop(server)
    assert outcome.code == 2, outcome.stdout[-3000:] + outcome.stderr
    assert "stopped answering during the run" in outcome.stdout
    assert outcome.results["exit_code"] == 2
    unanswered = [t for t in outcome.results["tests"] if "stopped answering" in t["message"]]
    assert unanswered and unanswered[0]["message"].startswith("not verified: target unreachable")
    assert "first unanswered: PATCH http://127.0.0.1:" in unanswered[0]["message"]
    assert all(test["outcome"] == "skipped" for test in unanswered)  # the target's silence blames no requirement
    certificate = json.loads((outcome.report_dir / "certificate.json").read_text())
    assert certificate["verdict"] == "INCOMPLETE"
    assert certificate["failed"] == []
    assert "stopped answering during the run" in certificate["stopped"]
