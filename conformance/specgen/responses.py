"""The docs' Response Codes tables → OpenAPI responses.

Pages say ``{% include timp/links/response_codes.md %}``; that include only links to the table
(``#documentationresponse_codes`` → ``_documentation/response_codes.md``). A page that includes it
gets every row of that table; rows of a table on the page itself add codes or override meanings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from conformance.specgen.pages import INCLUDE, DocsTree, Page
from conformance.specgen.sections import parse_markdown

TABLE_INCLUDE_NAME = "response_codes.md"
ANCHOR = re.compile(r"#(?P<anchor>[A-Za-z0-9_\-]+)")
STATUS = re.compile(r"^[1-5]\d\d$")


@dataclass(frozen=True)
class ResponseCode:
    """One row of a Response Codes table."""

    code: str
    name: str
    meaning: str

    def as_response(self) -> dict[str, Any]:
        """The OpenAPI response: the name as description, the meaning kept as ``x-meaning``."""
        response: dict[str, Any] = {"description": self.name or self.code}
        if self.meaning:
            response["x-meaning"] = self.meaning
        return response


def codes_from_rows(rows: list[list[str]]) -> dict[str, ResponseCode]:
    """The status rows of a table (first cell a 3-digit code), keyed by code."""
    codes: dict[str, ResponseCode] = {}
    for row in rows:
        if row and STATUS.match(row[0]):
            name = row[1] if len(row) > 1 else ""
            meaning = row[2] if len(row) > 2 else ""
            codes[row[0]] = ResponseCode(row[0], name, meaning)
    return codes


def includes_codes_table(page: Page) -> bool:
    """True when the page includes the shared Response Codes link."""
    return any(match.group("target").endswith(TABLE_INCLUDE_NAME) for match in INCLUDE.finditer(page.body))


def shared_codes(tree: DocsTree) -> tuple[dict[str, ResponseCode], Page | None]:
    """The docs' shared Response Codes table and the page it stands on (empty if none is found)."""
    page = _table_page(tree)
    if page is None:
        return {}, None
    return codes_from_rows(parse_markdown(page.body).all_table_rows()), page


def _table_page(tree: DocsTree) -> Page | None:
    """Follow the include's link anchor (``#<collection><page>``); else a page titled Response Codes."""
    include = _include_text(tree)
    for match in ANCHOR.finditer(include):
        anchor = match.group("anchor")
        for page in tree.pages:
            stem = page.path.rsplit("/", 1)[-1].removesuffix(".md")
            if anchor == f"{page.collection}{stem}":
                return page
    return next(
        (page for page in tree.pages if str(page.meta.get("title", "")).strip().lower() == "response codes"),
        None,
    )


def _include_text(tree: DocsTree) -> str:
    for candidate in sorted((tree.root / "_includes").rglob(TABLE_INCLUDE_NAME)):
        try:
            return candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return ""
