"""Copy-pasteable curl commands for failures (checks and fuzz cases), every secret replaced by a shell variable.

A header ``Authorization: Token <supplier token>`` becomes ``-H "Authorization: Token ${CRUX_SUPPLIER_TOKEN}"``:
the command runs as printed once the variable is exported, and the secret itself never appears.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping

import requests

#: Environment variable a user fills in for each credential role (the names CONTRACT.md's example uses).
PLACEHOLDERS: dict[str, str] = {
    "supplier": "CRUX_SUPPLIER_TOKEN",
    "supplier_no_permission": "CRUX_SUPPLIER_NO_PERMISSION_TOKEN",
    "other_supplier": "CRUX_OTHER_SUPPLIER_TOKEN",
    "retailer": "CRUX_RETAILER_TOKEN",
    "expired": "CRUX_EXPIRED_TOKEN",
    "session_id": "CRUX_SESSION_ID",
}
#: Headers requests adds on its own; curl sends its equivalents.
TRANSPORT_HEADERS = frozenset({"user-agent", "accept-encoding", "accept", "connection", "content-length"})
_DOUBLE_QUOTE_SPECIALS = ("\\", '"', "$", "`")


def placeholder_for(role: str) -> str:
    """The environment variable name standing for ``role``'s secret."""
    return PLACEHOLDERS.get(role, f"CRUX_{role.upper()}")


def _secret_forms(secrets: Mapping[str, str]) -> list[tuple[str, str]]:
    pairs = [(secret, placeholder_for(role)) for role, secret in secrets.items() if secret]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def _escape_double_quoted(text: str) -> str:
    for special in _DOUBLE_QUOTE_SPECIALS:
        text = text.replace(special, "\\" + special)
    return text


def shell_word(text: str, secrets: Mapping[str, str]) -> str:
    """Quote ``text`` as one shell word; secrets inside it become ``${VARIABLE}`` references."""
    forms = _secret_forms(secrets)
    if not any(secret in text for secret, _ in forms):
        return shlex.quote(text)
    pieces = [text]
    for secret, variable in forms:
        split: list[str] = []
        for piece in pieces:
            if isinstance(piece, str):
                parts = piece.split(secret)
                for index, part in enumerate(parts):
                    if index:
                        split.append(_Variable(variable))
                    split.append(part)
            else:
                split.append(piece)
        pieces = split
    rendered = "".join(
        f"${{{piece.name}}}" if isinstance(piece, _Variable) else _escape_double_quoted(piece) for piece in pieces
    )
    return f'"{rendered}"'


class _Variable:
    """A secret's place in a word: rendered as ``${name}``."""

    def __init__(self, name: str) -> None:
        self.name = name


def used_placeholders(command: str) -> list[str]:
    """The ``${VARIABLE}`` names a rendered command expects the user to export."""
    return [variable for variable in PLACEHOLDERS.values() if f"${{{variable}}}" in command]


def curl_command(
    method: str, url: str, headers: Iterable[tuple[str, str]], body: bytes | str | None, secrets: Mapping[str, str]
) -> str:
    """A curl command sending this request; each secret in ``secrets`` (role → value) becomes a variable."""
    # --path-as-is and --globoff: curl sends the target byte for byte (no dot-segment squashing, no {} [] globs).
    words = ["curl", "-sS", "-i", "-X", shell_word(method, secrets), "--path-as-is", "--globoff"]
    for name, value in headers:
        if name.lower() in TRANSPORT_HEADERS:
            continue
        words += ["-H", shell_word(f"{name}: {value}", secrets)]
    if body:
        text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
        words += ["--data-binary", shell_word(text, secrets)]
    words.append(shell_word(url, secrets))
    return " ".join(words)


def render_curl(request: requests.PreparedRequest, secrets: Mapping[str, str]) -> str:
    """A curl command that re-sends ``request``, secrets replaced by variables (see ``PLACEHOLDERS``)."""
    return curl_command(str(request.method), str(request.url), request.headers.items(), request.body, secrets)


def reproduce_note(request: requests.PreparedRequest, secrets: Mapping[str, str]) -> str:
    """The text added to a failure: the command, preceded by the variables to export when it needs any."""
    command = render_curl(request, secrets)
    variables = used_placeholders(command)
    lines = ["Reproduce with:"]
    if variables:
        exports = "; ".join(f"export {variable}=<your {variable} value>" for variable in variables)
        lines.append(f"    # first: {exports}")
    lines.append(f"    {command}")
    return "\n".join(lines)
