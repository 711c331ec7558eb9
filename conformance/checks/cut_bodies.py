"""What the session-wide audits could not judge because a body was cut short (``[target] max_body_bytes``).

An audit judges the bytes it has: a marker found in the first bytes fails the check, but a JSON body
cut short is never failed as "not JSON", and a body cut short may hide a problem past its first bytes.
``not_judged`` makes such a run say so: the audit is not verified, with how many bodies were cut and where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from conformance.client import Exchange


def not_judged(exchanges: Iterable[tuple[str, Exchange]], concerns: Callable[[Exchange], bool], what: str) -> None:
    """Skip the audit as not verified when a body it ``concerns`` was cut; call it after the audit passed."""
    cut = [exchange for _, exchange in exchanges if exchange.body_cut is not None and concerns(exchange)]
    if cut:
        first = cut[0]
        pytest.skip(
            f"not verified: {len(cut)} response bodies were cut short, so {what} "
            f"(first: {first.method} {first.url} -> {first.status}, body {first.body_cut.describe()}); "
            "every other response passed"
        )
