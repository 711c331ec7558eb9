"""The one way to send a request target a check builds on purpose: byte for byte, or not verified.

Every session of the run keeps targets byte-exact (``conformance.transport.targets``); a target that the
route would rewrite (urllib3 normalises dot segments of an absolute URL sent through an HTTP proxy) is
not sent at all. ``send_exact`` turns that into "not verified" with the reason, so no check ever passes
or fails on a request the server did not receive as written. The model stage's identifier spellings
call it too.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import reject

from conformance.client import Client, Exchange
from conformance.transport import TargetRewritten


def send_exact(
    client: Client,
    method: str,
    path: str,
    *,
    role: str | None = None,
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    generated: bool = False,
) -> Exchange:
    """Send ``path`` exactly as built; when the route would rewrite it, skip the check as not verified.

    With ``generated`` (inside a Hypothesis test) only that example is discarded, never judged.
    """
    try:
        return client.request(method, path, role=role, headers=headers, body=body)
    except TargetRewritten as rewritten:
        if generated:
            reject()
        pytest.skip(str(rewritten))
