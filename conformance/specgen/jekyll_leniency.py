"""What Jekyll builds anyway, said in one line each: unclosed front matter and missing includes.

Jekyll reads a file whose ``---`` front matter never closes as a page without front matter, so it
documents no operation: one INFO line, a failure only under ``--strict``. A missing include is a WARNING naming the
page and the include; the page's operation is still generated from the rest of its text (``--strict``
makes the warning fatal).
"""

from __future__ import annotations

from conformance.specgen.diagnostics import Diagnostics
from conformance.specgen.pages import DocsTree, MissingInclude, Page


def note_unclosed_front_matter(tree: DocsTree, diagnostics: Diagnostics) -> None:
    """One INFO line per file of ``tree`` whose front matter is not closed."""
    for path in tree.unclosed:
        diagnostics.note(
            path,
            1,
            "front matter opened with '---' is never closed: not a page (as in Jekyll), skipped",
            fatal_when_strict=True,
        )


def warn_missing_include(page: Page, missing: MissingInclude, diagnostics: Diagnostics) -> None:
    """One WARNING at the include tag naming the include and the page; the page is kept."""
    diagnostics.warn(
        missing.path,
        missing.line,
        f"include {missing.target!r} not found in _includes/: left out; "
        f"the operation of page {page.path} is generated from the rest of it",
    )
