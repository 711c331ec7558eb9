"""Render ``certificate.json`` as a self-contained, printable HTML page."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from conformance.reporting.html_tables import STYLE, overall_badge, verdict_table

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>CRUX Reject Order Cancelation — conformance certificate</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #111; }}
dl.crux-covers {{ display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }}
dl.crux-covers dt {{ font-weight: bold; }}
{style}
</style></head>
<body>
<h1>Conformance certificate</h1>
<p><code>PATCH /timp/orders/cancel/{{order_uuid}}/reject/</code> — CRUX Connect TIMP Reject Order Cancelation</p>
<p id="overall">{overall}</p>
<p>{summary}</p>
{lists}
<h2>What this certificate covers</h2>
<dl class="crux-covers">{covers}</dl>
<h2>Requirements</h2>
{table}
</body></html>
"""


def render_certificate_html(certificate: Mapping[str, object]) -> str:
    """The certificate as one HTML page with no external resources."""
    covers = certificate.get("covers", {})
    assert isinstance(covers, Mapping)
    spec = covers.get("spec") or {}
    rows = {
        "Target": covers.get("target"),
        "Suite version": covers.get("suite_version"),
        "Spec": f"{spec.get('path')} (sha256 {spec.get('sha256')})" if spec.get("sha256") else "not recorded",
        "Issued at": covers.get("issued_at"),
        "Config digest": covers.get("config_digest"),
        "Credentials configured": ", ".join(covers.get("credentials_configured") or []) or "none",
        "Certification run": "yes" if certificate.get("certification_run") else "no",
        "TLS verification": (covers.get("transport") or {}).get("tls_verification", "not recorded"),
    }
    covers_html = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(str(v))}</code></dd>" for k, v in rows.items())
    summary = certificate.get("summary") or {}
    summary_text = ", ".join(f"{count} {kind}" for kind, count in summary.items())
    lists = "".join(
        f'<p class="crux-{key}"><strong>{label}:</strong> {", ".join(escape(str(i)) for i in ids)}</p>'
        for key, label in (("failed", "Failed"), ("not_verified", "Not verified"))
        if (ids := certificate.get(key))
    )
    return PAGE.format(
        lists=lists,
        style=STYLE,
        overall=overall_badge(str(certificate.get("verdict"))),
        summary=escape(summary_text),
        covers=covers_html,
        table=verdict_table(certificate.get("requirements") or [], with_evidence=True),
    )
