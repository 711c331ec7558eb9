"""HTML fragments shared by the HTML report and the certificate: verdict and latency tables.

Verdicts carry a symbol and a border style as well as a colour, so they read in grayscale print.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

STYLE = """
.crux-verdicts, .crux-latency { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.95em; }
.crux-verdicts th, .crux-verdicts td, .crux-latency th, .crux-latency td {
  border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
.crux-verdicts th, .crux-latency th { background: #eee; }
.crux-latency td.num { text-align: right; font-variant-numeric: tabular-nums; }
.crux-verdict { display: inline-block; min-width: 9em; padding: 0.1em 0.4em; font-weight: bold;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.crux-verdict-pass { background: #d4edda; color: #155724; border: 1px solid #155724; }
.crux-verdict-fail { background: #f8d7da; color: #721c24; border: 3px double #721c24; }
.crux-verdict-not-verified { background: #fff3cd; color: #5c4400; border: 1px dashed #5c4400; }
.crux-verdict-advisory { background: #e2e3e5; color: #383d41; border: 1px dotted #383d41; }
.crux-overall { font-size: 1.4em; font-weight: bold; padding: 0.3em 0.6em; display: inline-block; }
.crux-reasons { margin: 0; padding-left: 1.2em; font-size: 0.9em; }
"""

SYMBOLS = {"pass": "\u2714 PASS", "fail": "\u2718 FAIL", "not verified": "? NOT VERIFIED", "advisory": "i ADVISORY"}


def verdict_badge(verdict: str) -> str:
    """A verdict as a labelled, coloured badge."""
    css = "crux-verdict-" + verdict.replace(" ", "-")
    return f'<span class="crux-verdict {css}">{escape(SYMBOLS.get(verdict, verdict.upper()))}</span>'


def overall_badge(overall: str) -> str:
    """The run's overall verdict as a large badge."""
    css = {"CONFORMANT": "pass", "NOT CONFORMANT": "fail"}.get(overall, "not-verified")
    return f'<span class="crux-overall crux-verdict crux-verdict-{css}">{escape(overall)}</span>'


def verdict_table(requirements: Iterable[Mapping[str, object]], *, with_evidence: bool = False) -> str:
    """Requirement id → verdict table, in the order given (id order from the verdicts module)."""
    head = "<tr><th>Requirement</th><th>Title</th><th>Verdict</th><th>Notes</th>"
    head += "<th>Evidence</th></tr>" if with_evidence else "</tr>"
    rows = []
    for item in requirements:
        reasons = "".join(f"<li>{escape(str(reason))}</li>" for reason in item.get("reasons", []) or [])
        notes = f'<ul class="crux-reasons">{reasons}</ul>' if reasons else ""
        weight = "" if item.get("mandatory", True) else " <em>(advisory)</em>"
        if with_evidence and item.get("docs"):
            weight += f'<br><small>docs: <code>{escape(str(item["docs"]))}</code></small>'
        row = (
            f'<tr id="req-{escape(str(item["id"]))}"><td><code>{escape(str(item["id"]))}</code></td>'
            f"<td>{escape(str(item['title']))}{weight}</td><td>{verdict_badge(str(item['verdict']))}</td>"
            f"<td>{notes}</td>"
        )
        if with_evidence:
            evidence = "<br>".join(f"<code>{escape(str(nodeid))}</code>" for nodeid in item.get("evidence", []) or [])
            row += f"<td>{evidence}</td>"
        rows.append(row + "</tr>")
    return f'<table class="crux-verdicts">{head}{"".join(rows)}</table>'


def latency_table(latency: Mapping[str, object] | None) -> str:
    """Per-endpoint p50/p95/p99/max table with request counts (REJ-070); empty text when none.

    ``latency`` maps an endpoint name to ``{"count", "p50_ms", "p95_ms", "p99_ms", "max_ms"}``.
    """
    if not isinstance(latency, Mapping) or not latency:
        return ""
    head = "<tr><th>Endpoint</th><th>Requests</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>"
    rows = []
    total = 0
    for endpoint, stats in sorted(latency.items()):
        if not isinstance(stats, Mapping):
            continue
        total += int(stats.get("count") or 0)
        keys = ("count", "p50_ms", "p95_ms", "p99_ms", "max_ms")
        cells = "".join(f'<td class="num">{_number(stats.get(key))}</td>' for key in keys)
        rows.append(f"<tr><td><code>{escape(str(endpoint))}</code></td>{cells}</tr>")
    caption = f"<caption>Latency of the suite's requests: {total} sent</caption>"
    return f'<table class="crux-latency">{caption}{head}{"".join(rows)}</table>'


def _number(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return escape(str(value)) if value is not None else "-"
