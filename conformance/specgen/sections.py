"""Markdown → the pieces the generator reads: lead text, headed sections, definitions, tables, code.

Parsing is markdown-it (CommonMark + tables) with the ``deflist`` plugin. Kramdown's attribute
lines after a fence (``{: title="Request" }``) name the code block above them. Tables whose
delimiter row does not match the header (the docs' Response Codes table has one) are not tables
to CommonMark, so pipe rows inside paragraphs are read as table rows too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

ATTRIBUTE_LINE = re.compile(r"^\{:\s*(?P<attributes>[^}]*)\}$")
TITLE_ATTRIBUTE = re.compile(r"""title\s*=\s*["'](?P<title>[^"']*)["']""")
DELIMITER_ROW = re.compile(r"^\|?[\s:|-]+\|?$")


@dataclass(frozen=True)
class Definition:
    """One ``term`` / ``: text`` pair of a definition list; ``line`` is 0-based in the parsed text."""

    term: str
    text: str
    line: int


@dataclass(frozen=True)
class CodeBlock:
    """A fenced block with its info string and the title its attribute line gives it."""

    language: str
    content: str
    title: str
    line: int


@dataclass
class Section:
    """Everything under one heading, up to the next heading of any level."""

    title: str
    level: int
    line: int
    definitions: list[Definition] = field(default_factory=list)
    table_rows: list[list[str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class ParsedMarkdown:
    """A parsed page body: the text before the first heading, its sections, its code blocks."""

    lead: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    lead_table_rows: list[list[str]] = field(default_factory=list)

    def all_table_rows(self) -> list[list[str]]:
        """Every table row of the page, wherever it stands."""
        return self.lead_table_rows + [row for section in self.sections for row in section.table_rows]


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(deflist_plugin).enable("table")


def parse_markdown(text: str) -> ParsedMarkdown:
    """Parse Markdown ``text`` into lead, sections, definitions, table rows and titled code blocks."""
    tokens = _parser().parse(text)
    parsed = ParsedMarkdown()
    current: Section | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = token.map[0] if token.map else 0
        if token.type == "heading_open":
            current = Section(title=tokens[index + 1].content.strip(), level=int(token.tag[1:]), line=line)
            parsed.sections.append(current)
            index += 3
            continue
        if token.type == "dl_open":
            definitions, index = _read_definition_list(tokens, index)
            if current is not None:
                current.definitions.extend(definitions)
            continue
        if token.type == "fence":
            title, index = _read_fence_title(tokens, index + 1)
            language = token.info.strip().split(" ")[0] if token.info else ""
            parsed.code_blocks.append(CodeBlock(language, token.content, title, line))
            continue
        if token.type == "table_open":
            rows, index = _read_table(tokens, index)
            (current.table_rows if current else parsed.lead_table_rows).extend(rows)
            continue
        if token.type == "inline" and tokens[index - 1].type == "paragraph_open" and _top_level(tokens, index):
            _add_paragraph(parsed, current, token.content)
        index += 1
    return parsed


def _top_level(tokens: list[Token], index: int) -> bool:
    return tokens[index - 1].level == 0


def _add_paragraph(parsed: ParsedMarkdown, current: Section | None, content: str) -> None:
    lines = content.strip().split("\n")
    if lines and all(line.strip().startswith("|") for line in lines):
        rows = [_split_row(line) for line in lines if not DELIMITER_ROW.match(line.strip())]
        (current.table_rows if current else parsed.lead_table_rows).extend(rows[1:])
        return
    if ATTRIBUTE_LINE.match(content.strip()):
        return
    if current is None:
        parsed.lead.append(content.strip())
    else:
        current.paragraphs.append(content.strip())


def _split_row(line: str) -> list[str]:
    cells = line.strip().strip("|").split("|")
    return [cell.strip() for cell in cells]


def _read_definition_list(tokens: list[Token], index: int) -> tuple[list[Definition], int]:
    definitions: list[Definition] = []
    term, term_line, texts = "", 0, []
    depth = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "dl_open":
            depth += 1
        elif token.type == "dl_close":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and token.type == "dt_open":
            if term:
                definitions.append(Definition(term, " ".join(texts), term_line))
            term, term_line, texts = tokens[index + 1].content.strip(), (token.map or [0])[0], []
        elif depth == 1 and token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            texts.append(" ".join(token.content.split()))
        index += 1
    if term:
        definitions.append(Definition(term, " ".join(texts), term_line))
    return definitions, index + 1


def _read_fence_title(tokens: list[Token], index: int) -> tuple[str, int]:
    """If an attribute paragraph follows the fence at ``index``, return its title and skip it."""
    if index + 2 < len(tokens) and tokens[index].type == "paragraph_open" and tokens[index + 1].type == "inline":
        attribute = ATTRIBUTE_LINE.match(tokens[index + 1].content.strip())
        if attribute:
            title = TITLE_ATTRIBUTE.search(attribute.group("attributes"))
            return (title.group("title") if title else ""), index + 3
    return "", index


def _read_table(tokens: list[Token], index: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    row: list[str] = []
    in_body = False
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline":
            row.append(token.content.strip())
        elif token.type == "tr_close" and in_body:
            rows.append(row)
        index += 1
    return rows, index + 1
