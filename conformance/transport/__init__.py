"""The transport: every HTTP session of a run is built here with one policy (see ``session``).

``settings`` (``[target]`` TLS, proxy and body keys, the environment), ``session`` (the factory),
``targets`` (byte-exact request targets), ``bodies`` (bounded bodies), ``failures`` (one true line per
unanswered request).
"""

from __future__ import annotations

from conformance.transport.bodies import BodyCut, body_cut_of, skip_not_judged
from conformance.transport.failures import describe_failure
from conformance.transport.session import ThreadSessions, TransportSession, build_session
from conformance.transport.settings import TransportSettings, shown_url
from conformance.transport.targets import TargetRewritten

__all__ = [
    "BodyCut",
    "TargetRewritten",
    "ThreadSessions",
    "TransportSession",
    "TransportSettings",
    "body_cut_of",
    "build_session",
    "describe_failure",
    "shown_url",
    "skip_not_judged",
]
