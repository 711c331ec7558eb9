"""REJ-070: latency of the suite's requests; p50/p95/p99 reported, an optional p95 threshold fails."""

from __future__ import annotations

import uuid

import pytest

from conformance.failures import LimitExceeded
from conformance.probes import reject_path
from conformance.results import latency_summary

OWN_SAMPLES = 5


@pytest.mark.audit
@pytest.mark.requirement("REJ-070")
def test_rej_070_latency(client, recorder, run_config, record_property):
    """Report p50/p95/p99 of the reject endpoint; fail when p95 exceeds ``[latency] max_p95_ms``."""
    for _ in range(OWN_SAMPLES):
        client.request("PATCH", reject_path(str(uuid.uuid4())), role="supplier")
    samples = [exchange.elapsed for exchange in recorder if exchange.endpoint == "reject"]
    figures = latency_summary({"reject": samples})["reject"]
    record_property("latency_reject", figures)
    limit = run_config.max_p95_ms
    if limit is not None and figures["p95_ms"] > limit:
        raise LimitExceeded(
            f"reject p95 {figures['p95_ms']} ms exceeds the limit {limit:g} ms "
            f"(p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, n={figures['count']:.0f})"
        )
