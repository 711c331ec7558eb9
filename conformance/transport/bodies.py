"""Bounded response bodies: keep the first ``max_body_bytes`` of each body and the full length, never more.

``read_bounded`` reads a streamed ``requests`` response up to the limit. A longer body is cut: when the
answer declares its ``Content-Length`` the connection is closed at once (the length is known), otherwise
the rest is counted and discarded, up to ``DRAIN_FACTOR`` times the limit. What was cut travels with the
response (``body_cut_of``), so the checks judge what they can and say what they could not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import pytest
import requests

CHUNK_BYTES = 64 * 1024
#: Past this many times the limit, a body without Content-Length is no longer counted: its length is "more than".
DRAIN_FACTOR = 16
CUT_ATTRIBUTE = "_crux_body_cut"


@dataclass(frozen=True)
class BodyCut:
    """A body the suite did not keep whole: ``kept`` bytes kept of ``length`` (None: more than ``seen``)."""

    kept: int
    length: int | None
    seen: int

    def describe(self) -> str:
        """``cut at 1048576 of 52428800 bytes`` (or ``of more than N bytes``)."""
        total = f"{self.length}" if self.length is not None else f"more than {self.seen}"
        return f"cut at {self.kept} of {total} bytes ([target] max_body_bytes)"

    def as_record(self) -> dict[str, int | None]:
        """A JSON-ready form for the exchange log."""
        return {"kept": self.kept, "length": self.length, "seen": self.seen}


def skip_not_judged(message: str) -> NoReturn:
    """A check needed a whole body the suite cut short: skip it as not verified (never failed)."""
    pytest.skip(message)


def body_cut_of(item: object) -> BodyCut | None:
    """What was cut of the body of a ``requests`` response, or of the response to a prepared request."""
    return getattr(item, CUT_ATTRIBUTE, None)


def _declared_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length", "")
    return int(value) if value.strip().isdigit() and "Content-Encoding" not in response.headers else None


def read_bounded(response: requests.Response, limit: int) -> None:
    """Read ``response``'s body into ``response.content``, at most ``limit`` bytes; mark it when cut."""
    if response._content is not False:  # already read (e.g. by an earlier adapter)
        return
    kept = bytearray()
    seen = 0
    cut = False
    declared = _declared_length(response)
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            seen += len(chunk)
            room = limit - len(kept)
            if room > 0:
                kept += chunk[:room]
            if seen > limit:
                cut = True
                if declared is not None or seen > DRAIN_FACTOR * limit:
                    break
    finally:
        if cut:
            response.close()  # drop the connection rather than read the rest
    response._content = bytes(kept)
    response._content_consumed = True
    if cut:
        length = declared if declared is not None else (seen if seen <= DRAIN_FACTOR * limit else None)
        marker = BodyCut(kept=len(kept), length=length, seen=seen)
        setattr(response, CUT_ATTRIBUTE, marker)
        setattr(response.request, CUT_ATTRIBUTE, marker)  # what Schemathesis's Response keeps of it
