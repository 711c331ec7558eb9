"""The docs' own curl examples, run by the real curl against the reference (host and token swapped only)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from tests.reference.conftest import HTTP_TIMEOUT

DOCS_HOST = "https://api-sandbox.cruxconnect.com"


def docs_curl(docs: Path, page: str) -> str:
    """The first curl example of a docs page, exactly as published."""
    lines = (docs / page).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("curl "))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("~~~"))
    return "\n".join(lines[start:end]).strip()


def run_curl(command: str, base_url: str, token: str, tmp_path: Path) -> tuple[int, str]:
    """Swap the docs' host and token for the local server's, run it with curl; return (status, body)."""
    local = command.replace(DOCS_HOST, base_url)
    local = re.sub(r"Token [0-9A-Za-z]+", f"Token {token}", local)
    assert "cruxconnect" not in local  # never contact the real API
    assert local.count("127.0.0.1") == 1
    out = tmp_path / "body"
    script = f"{local} --silent --noproxy '*' --max-time {HTTP_TIMEOUT} --output {out} --write-out '%{{http_code}}'"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=HTTP_TIMEOUT + 5)
    assert done.returncode == 0, done.stderr
    return int(done.stdout), out.read_text(encoding="utf-8") if out.exists() else ""


@pytest.fixture
def curl_available() -> None:
    if shutil.which("curl") is None or shutil.which("bash") is None:
        pytest.skip("curl and bash are needed to run the docs' examples as published")


@pytest.fixture
def docs(shared_dir: Path) -> Path:
    return shared_dir / "crux-docs"


def _setup(reference, state: str, order_uuid: str) -> None:
    response = requests.post(reference.state_url, timeout=HTTP_TIMEOUT,
                             json={"action": "setup", "state": state, "params": {"order_uuid": order_uuid}})
    assert response.status_code == 201 and response.json()["order_uuid"] == order_uuid


def _uuid_in(command: str) -> str:
    return re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", command).group(0)


def test_docs_reject_example_works(curl_available, docs, reference, tmp_path):
    command = docs_curl(docs, "_order_supplier/oder_cancelation_reject.md")
    assert "sessionid=" in command  # the example sends a (stale) session cookie as well as the token
    _setup(reference, "a pending order cancellation", _uuid_in(command))
    status, body = run_curl(command, reference.base_url, reference.credentials["supplier"], tmp_path)
    assert status == 200, body
    assert json.loads(body)["order_uuid"] == _uuid_in(command)
    status, _ = run_curl(command, reference.base_url, reference.credentials["supplier"], tmp_path)
    assert status == 422


def test_docs_confirm_example_works(curl_available, docs, reference, tmp_path):
    command = docs_curl(docs, "_order_supplier/order_cancelation_confirmation.md")
    _setup(reference, "a pending order cancellation", _uuid_in(command))
    status, body = run_curl(command, reference.base_url, reference.credentials["supplier"], tmp_path)
    assert status == 200, body


def test_docs_create_order_example_works(curl_available, docs, reference, tmp_path):
    command = docs_curl(docs, "_order_retailer/create_order.md")
    status, body = run_curl(command, reference.base_url, reference.credentials["retailer"], tmp_path)
    assert status == 201, body
    created = json.loads(body)
    assert set(created) == {"order_uuid", "messages"}
    detail = requests.get(f"{reference.base_url}/timp/orders/{created['order_uuid']}/", timeout=HTTP_TIMEOUT,
                          headers={"Authorization": f"Token {reference.credentials['supplier']}"})
    assert detail.status_code == 200 and detail.json()["po_number"] == "po-6607685321"


def test_docs_cancel_order_example_works(curl_available, docs, reference, tmp_path):
    command = docs_curl(docs, "_order_retailer/cancel_order.md")
    _setup(reference, "an order without a cancellation request", _uuid_in(command))
    status, body = run_curl(command, reference.base_url, reference.credentials["retailer"], tmp_path)
    assert status == 200, body
    reject = docs_curl(docs, "_order_supplier/oder_cancelation_reject.md").replace(
        _uuid_in(docs_curl(docs, "_order_supplier/oder_cancelation_reject.md")), _uuid_in(command))
    status, body = run_curl(reject, reference.base_url, reference.credentials["supplier"], tmp_path)
    assert status == 200, body  # the retailer's request is now pending, so the supplier can reject it
