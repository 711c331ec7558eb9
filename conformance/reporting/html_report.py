"""pytest-html extras: a title, run metadata, a requirement column, and the verdict summary on top.

``HtmlReportExtras`` is a pytest plugin object; the run registers one with the run's metadata and a
callable returning the run's test outcomes (the ``results.json`` ``tests`` list), so the summary
table in ``report.html`` and the certificate are judged from the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

import pytest

from conformance import requirements
from conformance.reporting.html_tables import STYLE, latency_table, overall_badge, verdict_table
from conformance.reporting.verdicts import overall_verdict, requirement_verdicts

REPORT_TITLE = "CRUX Reject Order Cancelation — conformance report"


def requirement_of(report: pytest.TestReport) -> str | None:
    """The requirement id a test report was recorded with (``record_property("requirement", id)``)."""
    for name, value in getattr(report, "user_properties", ()):
        if name == "requirement":
            return str(value)
    return None


class HtmlReportExtras:
    """Hooks that shape ``report.html`` for a person who wants to see in one glance what broke."""

    def __init__(
        self,
        metadata: Mapping[str, object],
        tests: Callable[[], list[Mapping[str, object]]],
        latency: Callable[[], Mapping[str, object] | None] = lambda: None,
    ) -> None:
        self._metadata = dict(metadata)
        self._tests = tests
        self._latency = latency

    @pytest.hookimpl(optionalhook=True)
    def pytest_metadata(self, metadata: dict[str, object]) -> None:
        """Put the run's header block (target, suite version, spec digest …) into the environment table."""
        metadata.update(self._metadata)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_report_title(self, report: object) -> None:
        """Name the report after the endpoint it judges."""
        report.title = REPORT_TITLE  # type: ignore[attr-defined]

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_header(self, cells: list[str]) -> None:
        """Add the requirement column next to the result."""
        cells.insert(1, '<th class="sortable" data-column-type="requirement">Requirement</th>')

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        """Show each row's requirement id and one-line title."""
        requirement_id = requirement_of(report)
        if requirement_id and requirement_id in requirements.BY_ID:
            title = requirements.BY_ID[requirement_id].title
            text = f"<code>{escape(requirement_id)}</code> {escape(title)}"
        else:
            text = ""
        cells.insert(1, f'<td class="col-requirement">{text}</td>')

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list[str], summary: list[str], postfix: list[str]) -> None:
        """Put the overall verdict, the requirement → verdict table and the latency table on top."""
        verdicts = requirement_verdicts(self._tests())
        overall = overall_verdict(verdicts)
        prefix.append(f"<style>{STYLE}</style>")
        prefix.append(f'<h2>Verdict</h2><p id="crux-overall">{overall_badge(str(overall))}</p>')
        prefix.append('<h2>Requirements</h2><div id="crux-summary">')
        prefix.append(verdict_table(item.as_dict() for item in verdicts))
        prefix.append("</div>")
        table = latency_table(self._latency())
        if table:
            prefix.append(f'<h2>Latency (REJ-070)</h2><div id="crux-latency">{table}</div>')
