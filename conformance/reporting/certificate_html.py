"""Render ``certificate.json`` as a self-contained, printable HTML page.

What a vendor reads first comes first: the overall verdict, the counts, who signed; then the
requirements with failures and not-verified ones before passes. The requirement table has fixed
column widths and long evidence wraps inside its column, so the page prints on A4 without cut-off
columns (``@page`` size A4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from conformance.reporting.html_tables import STYLE, overall_badge, verdict_table

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>CRUX Reject Order Cancelation — conformance certificate</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #111; }}
dl.crux-covers {{ display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2em 1em; }}
dl.crux-covers dt {{ font-weight: bold; }}
dl.crux-covers dd {{ margin: 0; overflow-wrap: anywhere; }}
{style}
{page_style}
</style></head>
<body class="crux-certificate">
<h1>Conformance certificate</h1>
<p><code>PATCH /timp/orders/cancel/{{order_uuid}}/reject/</code> — CRUX Connect TIMP Reject Order Cancelation</p>
<p id="overall">{overall}</p>
{stopped}<p id="counts" class="crux-counts">{counts}</p>
<p id="signature">{signature}</p>
{lists}
<h2>What this certificate covers</h2>
<dl class="crux-covers">{covers}</dl>
<h2>Requirements</h2>
{table}
</body></html>
"""


PAGE_STYLE = """
@page { size: A4; margin: 12mm; }
body.crux-certificate { max-width: 100%; }
.crux-counts span { display: inline-block; margin: 0 0.6em 0.3em 0; padding: 0.2em 0.6em; font-weight: bold;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.crux-certificate .crux-verdicts { table-layout: fixed; width: 100%; }
.crux-certificate .crux-verdicts th, .crux-certificate .crux-verdicts td { padding: 0.25em 0.4em; }
.crux-certificate .crux-verdicts th:nth-child(1) { width: 7em; }
.crux-certificate .crux-verdicts th:nth-child(2) { width: 20%; }
.crux-certificate .crux-verdicts th:nth-child(3) { width: 7em; }
.crux-certificate .crux-verdicts th:nth-child(4) { width: 20%; }
.crux-certificate .crux-verdicts td { overflow-wrap: anywhere; word-break: break-word; }
.crux-certificate .crux-verdicts code { white-space: normal; overflow-wrap: anywhere; }
.crux-certificate .crux-verdict { min-width: 0; }
.crux-certificate .crux-verdicts tr { break-inside: avoid; }
@media print { body { margin: 0; font-size: 10pt; } }
"""

VERDICT_ORDER = ("fail", "not verified", "advisory", "pass")
"""Failures and not-verified requirements first, then advisory ones, then passes."""


def ordered_requirements(requirements: Iterable[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """Requirements in reading order: by verdict (``VERDICT_ORDER``), then by id."""

    def rank(item: Mapping[str, object]) -> tuple[int, str]:
        verdict = str(item.get("verdict"))
        return (VERDICT_ORDER.index(verdict) if verdict in VERDICT_ORDER else 0, str(item.get("id")))

    return sorted(requirements, key=rank)


def counts_html(summary: Mapping[str, object]) -> str:
    """The counts per verdict as badges, in reading order."""
    labels = {"fail": "failed", "not verified": "not verified", "advisory": "advisory", "pass": "passed"}
    return "".join(
        f'<span class="crux-verdict-{kind.replace(" ", "-")}">{escape(str(summary.get(kind, 0)))} {labels[kind]}</span>'
        for kind in VERDICT_ORDER
    )


def signature_html(certificate: Mapping[str, object]) -> str:
    """Who signed and the key's fingerprint, or that the certificate is not signed."""
    signature = certificate.get("signature")
    if not isinstance(signature, Mapping):
        return "Not signed."
    signer, algorithm = escape(str(signature.get("signer"))), escape(str(signature.get("algorithm")))
    key = escape(str(signature.get("key_fingerprint")))
    return f"Signed by <strong>{signer}</strong> with {algorithm} key <code>{key}</code>"


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
    model = covers.get("model")
    if isinstance(model, Mapping) and model.get("sha256"):
        rows["Model sha256 (crux-conformance model --table)"] = model.get("sha256")
    for label, key in (("Target version", "target_version"), ("Environment", "environment")):
        if covers.get(key):
            rows[label] = covers.get(key)
    reports = certificate.get("reports")
    if isinstance(reports, Mapping):
        rows.update({f"{name} sha256": digest or "not written" for name, digest in reports.items()})
    covers_html = "".join(f"<dt>{escape(k)}</dt><dd><code>{escape(str(v))}</code></dd>" for k, v in rows.items())
    summary = certificate.get("summary") or {}
    lists = "".join(
        f'<p class="crux-{key}"><strong>{label}:</strong> {", ".join(escape(str(i)) for i in ids)}</p>'
        for key, label in (("failed", "Failed"), ("not_verified", "Not verified"))
        if (ids := certificate.get(key))
    )
    stopped = certificate.get("stopped")
    stopped_html = ""
    if stopped:
        stopped_html = f'<p class="crux-stopped"><strong>Run stopped:</strong> {escape(str(stopped))}</p>\n'
    return PAGE.format(
        stopped=stopped_html,
        lists=lists,
        style=STYLE,
        page_style=PAGE_STYLE,
        counts=counts_html(summary),
        signature=signature_html(certificate),
        overall=overall_badge(str(certificate.get("verdict"))),
        covers=covers_html,
        table=verdict_table(ordered_requirements(certificate.get("requirements") or []), with_evidence=True),
    )
