"""URL paths from page titles: every placeholder spelling the docs use becomes ``{name}``."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"(?:&lt;?|<|\{)\s*(?P<name>[A-Za-z0-9_.\-]+)\s*(?:&gt;?|>|\})")


def path_from_title(title: str) -> tuple[str, tuple[str, ...]]:
    """``/a/&lt;order_uuid&gt;/`` (or ``&ltuuid&gt``, ``<name>``, ``{name}``) → (``/a/{order_uuid}/``, names)."""
    names: list[str] = []

    def replace(match: re.Match[str]) -> str:
        names.append(match.group("name"))
        return "{" + match.group("name") + "}"

    path = PLACEHOLDER.sub(replace, title.strip())
    return path, tuple(names)


def path_shape(path: str) -> str:
    """The path with placeholder names erased: two paths of one shape are one URL template."""
    return re.sub(r"\{[^}]*\}", "{}", path)
