"""Reading a Jekyll docs tree: its collections, each page's front matter, and ``{% include %}``.

Only what the generator needs is modelled: collection folders (``_name/``) hold pages, a page is
front matter plus Markdown, and ``{% include path %}`` is replaced by ``_includes/path``. Other
Liquid (``{{ site.baseurl }}``) is left as text. Every file read is fingerprinted (sha256) so the
document can say which pages it was generated from.

As Jekyll reads a collection: a file whose ``---`` front matter is never closed has no front matter
(Jekyll renders it as plain content), so it documents no operation; it is left out and listed in
``DocsTree.unclosed`` for one INFO line. A missing include may be left out by the caller
(``expand(on_missing=...)``), so the rest of the page still counts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from conformance.errors import UsageError

CONFIG_FILE = "_config.yml"
NOT_COLLECTIONS = frozenset({"_includes", "_layouts", "_site", "_data", "_sass", "_plugins", "_posts"})
INCLUDE = re.compile(r"\{%-?\s*include\s+(?P<target>[^\s%]+)[^%]*?-?%\}")
META_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
COMMENTED_METHOD = re.compile(r"^method:\s*\S", re.MULTILINE)
MAX_INCLUDE_DEPTH = 10
_HANDLER = frontmatter.YAMLHandler()


class IncludeProblem(Exception):
    """An include that cannot be resolved; carries the place that asked for it."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


class MissingInclude(IncludeProblem):
    """An include naming a file that ``_includes/`` does not have; ``target`` is the name asked for."""

    def __init__(self, path: str, line: int, message: str, target: str) -> None:
        super().__init__(path, line, message)
        self.target = target


class UnclosedFrontMatter(Exception):
    """A file opens front matter with ``---`` and never closes it: Jekyll reads it without front matter."""


@dataclass(frozen=True)
class Page:
    """One Markdown page of a collection: its front matter and its raw body."""

    path: str
    collection: str
    meta: dict[str, Any]
    body: str
    body_line: int
    sha256: str
    meta_lines: dict[str, int] = field(default_factory=dict)

    @property
    def commented_out_method(self) -> bool:
        """True for a page hidden in an HTML comment whose would-be front matter names a method."""
        return not self.meta and self.body.lstrip().startswith("<!--") and bool(COMMENTED_METHOD.search(self.body))

    def meta_line(self, key: str) -> int:
        """The 1-based file line of front matter key ``key`` (1 if unknown)."""
        return self.meta_lines.get(key, 1)


@dataclass(frozen=True)
class ExpandedText:
    """A page body with includes resolved; ``origins[i]`` is (file, 1-based line) of line ``i``."""

    text: str
    origins: tuple[tuple[str, int], ...]

    def origin(self, index: int) -> tuple[str, int]:
        """Where 0-based line ``index`` of the expanded text came from."""
        if not self.origins:
            return ("", 0)
        return self.origins[min(max(index, 0), len(self.origins) - 1)]


@dataclass
class DocsTree:
    """A loaded docs folder: site config, pages, and the fingerprints of every file used."""

    root: Path
    config: dict[str, Any]
    pages: list[Page]
    used: dict[str, str] = field(default_factory=dict)
    unclosed: list[str] = field(default_factory=list)  # files left out: front matter never closed

    def use(self, page: Page) -> None:
        """Record that ``page`` contributed to the document."""
        self.used[page.path] = page.sha256

    def collection_title(self, collection: str) -> str:
        """The collection's title from ``_config.yml``, else a readable form of its name."""
        entry = (self.config.get("collections") or {}).get(collection)
        if isinstance(entry, dict) and entry.get("title"):
            return str(entry["title"])
        return collection.replace("_", " ").title()

    def collection_position(self, collection: str) -> float:
        """The collection's ``position`` from ``_config.yml`` (unknown ones sort last)."""
        entry = (self.config.get("collections") or {}).get(collection)
        try:
            return float(entry["position"])  # type: ignore[index]
        except (TypeError, KeyError, ValueError):
            return float("inf")

    def page(self, path: str) -> Page | None:
        """The page at ``path`` (relative to the root), if the tree has it."""
        return next((page for page in self.pages if page.path == path), None)

    def expand(self, page: Page, on_missing: Callable[[MissingInclude], None] | None = None) -> ExpandedText:
        """The page body with every ``{% include %}`` replaced, recursively; raises IncludeProblem.

        With ``on_missing``, an include naming a file that does not exist is handed to it and left out
        (the line keeps its text around the tag) instead of raising.
        """
        lines, origins = self._expand(page.body, page.path, page.body_line, 0, on_missing)
        return ExpandedText("\n".join(lines), tuple(origins))

    def _expand(
        self,
        text: str,
        path: str,
        first_line: int,
        depth: int,
        on_missing: Callable[[MissingInclude], None] | None = None,
    ) -> tuple[list[str], list[tuple[str, int]]]:
        lines: list[str] = []
        origins: list[tuple[str, int]] = []
        for offset, line in enumerate(text.split("\n")):
            number = first_line + offset
            match = INCLUDE.search(line)
            if match is None:
                lines.append(line)
                origins.append((path, number))
                continue
            if depth >= MAX_INCLUDE_DEPTH:
                raise IncludeProblem(path, number, f"includes nested deeper than {MAX_INCLUDE_DEPTH}")
            target = match.group("target")
            before, after = line[: match.start()], line[match.end() :]
            try:
                included = self._read_include(target, path, number)
            except MissingInclude as problem:
                if on_missing is None:
                    raise
                on_missing(problem)
                lines.append(before + after)
                origins.append((path, number))
                continue
            inner_lines, inner_origins = self._expand(included, f"_includes/{target}", 1, depth + 1, on_missing)
            inner_lines = inner_lines or [""]
            inner_lines[0] = before + inner_lines[0]
            inner_lines[-1] = inner_lines[-1] + after
            lines.extend(inner_lines)
            origins.extend(inner_origins or [(path, number)])
        return lines, origins

    def _read_include(self, target: str, path: str, line: int) -> str:
        includes = (self.root / "_includes").resolve()
        candidate = (includes / target).resolve()
        if not candidate.is_relative_to(includes):
            raise IncludeProblem(path, line, f"unknown include {target!r}")
        if not candidate.is_file():
            raise MissingInclude(path, line, f"unknown include {target!r}", target)
        raw = candidate.read_bytes()
        self.used[f"_includes/{target}"] = hashlib.sha256(raw).hexdigest()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise IncludeProblem(path, line, f"include {target!r} is not UTF-8") from error


def load_tree(root: Path) -> DocsTree:
    """Load the docs folder at ``root``: ``_config.yml`` and every page of every collection.

    Raises UsageError (exit 4) for a missing folder, a folder with no pages, or front matter that
    cannot be read; the message is one line naming the file.
    """
    if not root.is_dir():
        raise UsageError(f"docs folder not found: {root}")
    config = _load_config(root / CONFIG_FILE)
    pages: list[Page] = []
    unclosed: list[str] = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or not folder.name.startswith("_") or folder.name in NOT_COLLECTIONS:
            continue
        for file in sorted(folder.rglob("*.md")):
            if not file.is_file():
                continue
            try:
                pages.append(_load_page(root, file))
            except UnclosedFrontMatter:
                unclosed.append(file.relative_to(root).as_posix())
    if not pages:
        raise UsageError(f"no pages in docs folder {root} (expected _collection/*.md files)")
    tree = DocsTree(root=root, config=config, pages=pages, unclosed=unclosed)
    if (root / CONFIG_FILE).is_file():
        tree.used[CONFIG_FILE] = hashlib.sha256((root / CONFIG_FILE).read_bytes()).hexdigest()
    return tree


def _load_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: unreadable site config: {_one_line(error)}") from error
    return config if isinstance(config, dict) else {}


def _load_page(root: Path, file: Path) -> Page:
    relative = file.relative_to(root).as_posix()
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{relative}: unreadable front matter: not UTF-8 ({error.reason})") from error
    text = text.replace("\r\n", "\n")
    meta: Any = {}
    body, body_line = text, 1
    meta_lines: dict[str, int] = {}
    if _HANDLER.detect(text):
        try:
            front, body = _HANDLER.split(text)
            meta = _HANDLER.load(front) or {}
        except yaml.YAMLError as error:
            # The front matter text starts on the '---' line, so YAML's 0-based line + 1 is the file's.
            mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            reason = getattr(error, "problem", None) or _one_line(error)
            raise UsageError(f"{relative}:{line}: unreadable front matter: {reason}") from error
        except ValueError as error:
            raise UnclosedFrontMatter(relative) from error
        if not isinstance(meta, dict):
            raise UsageError(f"{relative}:2: unreadable front matter: expected key: value pairs")
        body_line = text[: len(text) - len(body)].count("\n") + 1
        for number, line in enumerate(text.split("\n")[: body_line - 1], start=1):
            key = META_KEY.match(line)
            if key:
                meta_lines.setdefault(key.group(1), number)
    collection = relative.split("/", 1)[0][1:]
    return Page(relative, collection, meta, body, body_line, hashlib.sha256(raw).hexdigest(), meta_lines)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
