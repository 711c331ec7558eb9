"""The per-requirement trend over the last runs: a text table and a self-contained HTML page with a chart.

Runs read left (oldest) to right (newest). Each cell is the requirement's verdict in that run; the
page's chart stacks each run's pass / fail / not-verified counts, so a regression shows as a red step.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from conformance.history.records import RunRecord

CELL_TEXT = {"pass": "pass", "fail": "FAIL", "not verified": "n/v", "advisory": "adv"}
CELL_SYMBOL = {"pass": "\u2714", "fail": "\u2718", "not verified": "?", "advisory": "i"}
CHART_KINDS = (("pass", "#2e7d32"), ("fail", "#c62828"), ("not verified", "#f9a825"))


def requirement_ids(runs: Sequence[RunRecord]) -> list[str]:
    """Every requirement any of the runs judged, in id order."""
    return sorted({item.requirement for run in runs for item in run.requirements})


def render_text(runs: Sequence[RunRecord]) -> str:
    """The trend table as fixed-width text (``runs`` newest first, as the store returns them)."""
    if not runs:
        return "no runs recorded\n"
    ordered = list(reversed(runs))
    labels = [f"#{run.id}" for run in ordered]
    versions = [run.target_version for run in ordered]
    widths = [max(len(label), len(version), 4) for label, version in zip(labels, versions, strict=True)]
    first = max([len("requirement"), *(len(rid) for rid in requirement_ids(ordered))])
    lines = [
        "  ".join(["run".ljust(first), *(label.ljust(w) for label, w in zip(labels, widths, strict=True))]),
        "  ".join(["version".ljust(first), *(v.ljust(w) for v, w in zip(versions, widths, strict=True))]),
        "  ".join(
            [
                "verdict".ljust(first),
                *(_short_overall(r.verdict).ljust(w) for r, w in zip(ordered, widths, strict=True)),
            ]
        ),
    ]
    for requirement in requirement_ids(ordered):
        cells = [CELL_TEXT.get(run.verdicts().get(requirement, ""), "-") for run in ordered]
        lines.append("  ".join([requirement.ljust(first), *(c.ljust(w) for c, w in zip(cells, widths, strict=True))]))
    lines.append("legend: pass, FAIL, n/v = not verified, adv = advisory, - = not judged in that run")
    return "\n".join(line.rstrip() for line in lines) + "\n"


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>CRUX Reject Order Cancelation — conformance history</title>
<style>
@page {{ size: A4 landscape; margin: 10mm; }}
body {{ font-family: system-ui, sans-serif; margin: 1.5em; color: #111; }}
.crux-chart {{ max-width: 100%; height: auto; display: block; margin: 0.5em 0 1em; }}
table.crux-trend {{ border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 0.85em; }}
table.crux-trend th, table.crux-trend td {{ border: 1px solid #999; padding: 0.2em 0.3em; text-align: center;
  overflow-wrap: anywhere; word-break: break-word; }}
table.crux-trend th:first-child, table.crux-trend td:first-child {{ width: 7em; text-align: left; }}
table.crux-trend th {{ background: #eee; font-weight: normal; }}
.crux-cell-pass {{ background: #d4edda; }}
.crux-cell-fail {{ background: #f8d7da; font-weight: bold; }}
.crux-cell-not-verified {{ background: #fff3cd; }}
.crux-cell-advisory {{ background: #e2e3e5; }}
td, th {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
</style></head>
<body>
<h1>Conformance history</h1>
<p>{subtitle}</p>
{chart}
<p>Legend: \u2714 pass, \u2718 fail, ? not verified, i advisory, - not judged in that run.
Chart: green pass, red fail, amber not verified.
Runs read from oldest (left) to newest (right).</p>
<table class="crux-trend"><thead>{head}</thead><tbody>{rows}</tbody></table>
</body></html>
"""


def render_html(runs: Sequence[RunRecord], *, subtitle: str = "") -> str:
    """The trend as one HTML page with an inline SVG chart and no external resources."""
    ordered = list(reversed(runs))
    head = "<tr><th>requirement</th>" + "".join(
        f'<th title="{escape(run.recorded_at)}">#{run.id}<br>{escape(run.target_version)}<br>'
        f"<small>{escape(_short_overall(run.verdict))}</small></th>"
        for run in ordered
    )
    head += "</tr>"
    rows = []
    for requirement in requirement_ids(ordered):
        cells = []
        for run in ordered:
            verdict = run.verdicts().get(requirement)
            if verdict is None:
                cells.append("<td>-</td>")
            else:
                css = "crux-cell-" + verdict.replace(" ", "-")
                cells.append(f'<td class="{css}" title="{escape(verdict)}">{CELL_SYMBOL.get(verdict, "?")}</td>')
        rows.append(f"<tr><td><code>{escape(requirement)}</code></td>{''.join(cells)}</tr>")
    return PAGE.format(
        subtitle=escape(subtitle or f"{len(ordered)} runs"), chart=chart_svg(ordered), head=head, rows="".join(rows)
    )


def chart_svg(ordered: Sequence[RunRecord]) -> str:
    """A stacked bar per run (oldest first): pass, fail and not-verified counts, the run number below."""
    if not ordered:
        return "<p>No runs recorded.</p>"
    bar, gap, height, label = 28, 10, 120, 20
    total = max(len(run.requirements) for run in ordered) or 1
    width = len(ordered) * (bar + gap) + gap
    parts = [
        f'<svg class="crux-chart" role="img" aria-label="pass and fail per run" width="{width}" '
        f'height="{height + label}" viewBox="0 0 {width} {height + label}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, run in enumerate(ordered):
        x = gap + index * (bar + gap)
        y = height
        verdicts = list(run.verdicts().values())
        for kind, colour in CHART_KINDS:
            count = verdicts.count(kind)
            if not count:
                continue
            size = count / total * (height - 4)
            y -= size
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{size:.1f}" fill="{colour}">'
                f"<title>{escape(run.label())}: {count} {kind}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar / 2}" y="{height + 14}" font-size="10" text-anchor="middle">#{run.id}'
            f"<title>{escape(run.label())} ({escape(run.verdict)})</title></text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _short_overall(verdict: str) -> str:
    return {"CONFORMANT": "ok", "NOT CONFORMANT": "NOT OK", "INCOMPLETE": "incomplete"}.get(verdict, verdict)
