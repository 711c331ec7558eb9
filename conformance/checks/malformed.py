"""REJ-021's named catalogue of malformed ``order_uuid`` forms, and a Hypothesis strategy for more.

Each entry is ``(name, path_segment)``: the segment goes into the URL as written (percent-escapes are
already applied where a raw character could not travel in a request line). They are built around a
random, well-formed UUID that names no order, so no form can touch real state.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import quote

from hypothesis import strategies as st

UUID_PATTERN = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
LONG_NAME = "4kb-string"


def _fullwidth(char: str) -> str:
    return chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char


def catalogue(base: str | None = None) -> tuple[tuple[str, str], ...]:
    """The named malformed identifiers (at least 30), around ``base`` (a random UUID when None)."""
    good = base or str(uuid.uuid4())
    hexed = good.replace("-", "")
    enc = lambda text: quote(text, safe="")  # noqa: E731 - one-letter helper keeps the table readable
    return (
        ("empty", ""),
        ("one-char-short", good[:-1]),
        ("one-char-long", good + "0"),
        ("non-hex-letter", good[:-1] + "g"),
        ("all-non-hex", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"),
        ("hyphens-missing", hexed),
        ("one-hyphen-missing", good[:8] + good[9:]),
        ("extra-hyphen", good[:4] + "-" + good[4:]),
        ("hyphens-misplaced", "-".join((hexed[:7], hexed[7:12], hexed[12:16], hexed[16:20], hexed[20:]))),
        ("double-hyphen", good.replace("-", "--", 1)),
        ("braces", enc("{" + good + "}")),
        ("urn-uuid", enc("urn:uuid:" + good)),
        ("leading-space", enc(" " + good)),
        ("trailing-space", enc(good + " ")),
        ("inner-tab", enc(good[:8] + "\t" + good[8:])),
        ("trailing-newline", enc(good + "\n")),
        ("encoded-slash", good[:8] + "%2F" + good[9:]),
        ("encoded-dot-dot", "%2E%2E"),
        ("encoded-traversal", "..%2F..%2F..%2Fetc%2Fpasswd"),
        ("encoded-nul-suffix", good + "%00"),
        ("encoded-nul-only", "%00"),
        ("double-encoded-slash", good[:8] + "%252F" + good[9:]),
        ("fullwidth-digits", enc("".join(_fullwidth(char) for char in good))),
        ("cyrillic-lookalike", enc("\u0430" + good[1:])),
        ("unicode-hyphens", enc(good.replace("-", "\u2010"))),
        ("en-dash-hyphens", enc(good.replace("-", "\u2013"))),
        ("sql-or-true", enc("' OR '1'='1")),
        ("sql-uuid-comment", enc(good + "' OR 1=1--")),
        ("sql-drop-table", enc("1; DROP TABLE orders;--")),
        ("template-jinja", enc("{{7*7}}")),
        ("template-dollar", enc("${7*7}")),
        ("template-erb", enc("<%= 7*7 %>")),
        ("template-ruby", enc("#{7*7}")),
        ("null-word", "null"),
        ("negative-number", "-1"),
        ("zero", "0"),
        ("encoded-question-mark", good + "%3F"),
        ("trailing-dot", good + "."),
        ("nil-uuid", "00000000-0000-0000-0000-000000000000"),
        (LONG_NAME, "a" * 4096),
    )


def malformed_identifiers() -> st.SearchStrategy[str]:
    """A strategy of path segments (percent-encoded text) that are not a UUID's canonical forms."""
    # "." and ".." would be resolved away by the client as dot segments, leaving a different URL.
    text = st.text(min_size=1, max_size=60).filter(
        lambda value: value not in (".", "..") and not UUID_PATTERN.match(value.strip())
    )
    return text.map(lambda value: quote(value, safe=""))
