"""The reproduce commands: secrets become ${VARIABLES}, and the shell turns the command back into the request."""

from __future__ import annotations

import subprocess

import requests

from conformance.curl import PLACEHOLDERS, render_curl, reproduce_note, shell_word

SECRETS = {"supplier": "s3cr3t-supplier-token", "retailer": "r3t4il3r"}


def prepared(headers: dict[str, str], body: bytes | None = None, method: str = "PATCH") -> requests.PreparedRequest:
    url = "http://127.0.0.1:9/timp/orders/cancel/%3Cscript%3E'x/reject/"
    return requests.Request(method, url, headers=headers, data=body).prepare()


def shell_words(command: str, env: dict[str, str]) -> list[str]:
    """What bash makes of ``command``'s words, with ``env`` exported (printf one word per line)."""
    script = "printf '%s\\n' " + command.removeprefix("curl ")
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=10, check=True)
    return result.stdout.splitlines()


def test_secret_is_replaced_by_its_variable_and_the_shell_restores_it():
    request = prepared({"Authorization": "Token s3cr3t-supplier-token", "X-Probe": "a\"b$c`d\\e"})
    command = render_curl(request, SECRETS)
    assert "s3cr3t" not in command
    assert '"Authorization: Token ${CRUX_SUPPLIER_TOKEN}"' in command
    words = shell_words(command, {"CRUX_SUPPLIER_TOKEN": "s3cr3t-supplier-token"})
    assert "Authorization: Token s3cr3t-supplier-token" in words
    assert "X-Probe: a\"b$c`d\\e" in words
    assert words[-1] == request.url


def test_words_without_secrets_are_single_quoted_and_survive_the_shell():
    word = shell_word("it's <b>$HOME</b>", SECRETS)
    assert word.startswith("'")
    assert shell_words("curl " + word, {}) == ["it's <b>$HOME</b>"]


def test_body_and_method_are_kept_and_transport_headers_dropped():
    request = prepared({"Content-Type": "application/json"}, body=b'{"order_uuid": "r3t4il3r"}', method="POST")
    command = render_curl(request, SECRETS)
    assert "-X POST" in command
    assert "--data-binary" in command and "${CRUX_RETAILER_TOKEN}" in command
    assert "Content-Length" not in command and "User-Agent" not in command
    words = shell_words(command, {"CRUX_RETAILER_TOKEN": "r3t4il3r"})
    assert '{"order_uuid": "r3t4il3r"}' in words


def test_note_says_which_variables_to_export():
    note = reproduce_note(prepared({"Authorization": "Token s3cr3t-supplier-token"}), SECRETS)
    assert note.splitlines()[0] == "Reproduce with:"
    assert "export CRUX_SUPPLIER_TOKEN=" in note
    assert "CRUX_RETAILER_TOKEN" not in note
    assert "s3cr3t" not in note


def test_every_role_has_a_placeholder():
    from conformance.config import ROLES

    assert set(ROLES) <= set(PLACEHOLDERS)
