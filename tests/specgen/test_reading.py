"""Pages, includes, Markdown sections, fields and paths, on small texts written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.errors import ExitCode, UsageError
from conformance.specgen.fields import field_from_definition
from conformance.specgen.pages import IncludeProblem, load_tree
from conformance.specgen.paths import path_from_title
from conformance.specgen.sections import Definition, parse_markdown


@pytest.mark.parametrize(
    ("title", "path", "names"),
    [
        ("/a/&lt;order_uuid&gt;/reject/", "/a/{order_uuid}/reject/", ("order_uuid",)),
        ("/orders/&ltuuid&gt/", "/orders/{uuid}/", ("uuid",)),
        ("/orders/&lt;order_uuid&gt/invoices/", "/orders/{order_uuid}/invoices/", ("order_uuid",)),
        ("/x/<name>/y/<other-id>/", "/x/{name}/y/{other-id}/", ("name", "other-id")),
        ("/plain/", "/plain/", ()),
    ],
)
def test_every_placeholder_spelling_becomes_a_template(title: str, path: str, names: tuple[str, ...]) -> None:
    assert path_from_title(title) == (path, names)


@pytest.mark.parametrize(
    ("term", "text", "name", "schema", "required"),
    [
        (
            "order_uuid",
            "(string) Universal Unique Identifier for the order",
            "order_uuid",
            {"type": "string", "format": "uuid"},
            False,
        ),
        (
            "order_item_uuid>",
            "(string) The Universal Unique Identifier",
            "order_item_uuid",
            {"type": "string", "format": "uuid"},
            False,
        ),
        ("organization_name:", "(string) ***Required*** A name", "organization_name", {"type": "string"}, True),
        ("qty", "(int) **Required** How many", "qty", {"type": "integer"}, True),
        ("fee", "(decimal) A fee", "fee", {"type": "number"}, False),
        ("flag", "(bool) A flag", "flag", {"type": "boolean"}, False),
        ("things", "(list) Some things", "things", {"type": "array"}, False),
        ("tags", "(string list) Some tags", "tags", {"type": "array", "items": {"type": "string"}}, False),
        ("thing", "(object) A thing", "thing", {"type": "object"}, False),
    ],
)
def test_a_definition_gives_name_type_required_and_uuid_format(
    term: str, text: str, name: str, schema: dict, required: bool
) -> None:
    field = field_from_definition(Definition(term, text, 0))
    assert field is not None
    assert field.name == name
    assert field.required is required
    assert {k: v for k, v in field.schema().items() if k != "description"} == schema
    assert "Required" not in field.schema().get("description", "")


def test_prose_terms_are_not_fields() -> None:
    assert field_from_definition(Definition("For ease of description, we say", "x", 0)) is None


def test_markdown_sections_definitions_titled_code_and_loose_tables() -> None:
    parsed = parse_markdown(
        "Lead text.\n\n#### URL Parameters\n\nid\n: (string) The id\n\n"
        "### Expected Response Codes\n\n| Code | Name | Meaning |\n|------|---------|\n| 404 | Not Found | gone |\n\n"
        '~~~ json\n{}\n~~~\n{: title="Request" }\n'
    )
    assert parsed.lead == ["Lead text."]
    assert [(s.title, s.level) for s in parsed.sections] == [("URL Parameters", 4), ("Expected Response Codes", 3)]
    assert parsed.sections[0].definitions[0].term == "id"
    assert parsed.sections[1].table_rows == [["404", "Not Found", "gone"]]
    assert [(b.language, b.title, b.content) for b in parsed.code_blocks] == [("json", "Request", "{}\n")]


def test_includes_resolve_recursively_and_keep_their_origin(tmp_path: Path) -> None:
    (tmp_path / "_includes" / "a").mkdir(parents=True)
    (tmp_path / "_includes" / "a" / "outer.md").write_text("outer line\n{% include a/inner.md %}\n")
    (tmp_path / "_includes" / "a" / "inner.md").write_text("inner line\n")
    (tmp_path / "_c").mkdir()
    (tmp_path / "_c" / "p.md").write_text("---\ntitle: /p/\nmethod: get\n---\nfirst\n{% include a/outer.md %}\n")
    tree = load_tree(tmp_path)
    expanded = tree.expand(tree.pages[0])
    lines = expanded.text.split("\n")
    assert "outer line" in lines and "inner line" in lines
    assert expanded.origin(lines.index("inner line")) == ("_includes/a/inner.md", 1)
    assert expanded.origin(lines.index("first")) == ("_c/p.md", 5)
    assert set(tree.used) == {"_includes/a/outer.md", "_includes/a/inner.md"}


def test_an_unknown_include_names_the_page_and_line(tmp_path: Path) -> None:
    (tmp_path / "_c").mkdir()
    (tmp_path / "_c" / "p.md").write_text("---\ntitle: /p/\nmethod: get\n---\nx\n\n{% include nope.md %}\n")
    tree = load_tree(tmp_path)
    with pytest.raises(IncludeProblem) as problem:
        tree.expand(tree.pages[0])
    assert (problem.value.path, problem.value.line) == ("_c/p.md", 7)
    assert "nope.md" in problem.value.message


def test_an_include_cannot_escape_the_includes_folder(tmp_path: Path) -> None:
    (tmp_path / "_includes").mkdir()
    (tmp_path / "secret.md").write_text("secret")
    (tmp_path / "_c").mkdir()
    (tmp_path / "_c" / "p.md").write_text("---\ntitle: /p/\n---\n{% include ../secret.md %}\n")
    tree = load_tree(tmp_path)
    with pytest.raises(IncludeProblem):
        tree.expand(tree.pages[0])


def test_unreadable_front_matter_is_a_usage_error_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "_c").mkdir()
    (tmp_path / "_c" / "bad.md").write_text("---\ntitle: /p/\nmethod: [get\n---\nbody\n")
    with pytest.raises(UsageError) as error:
        load_tree(tmp_path)
    assert error.value.exit_code == ExitCode.USAGE
    assert error.value.message.startswith("_c/bad.md:")
    assert "\n" not in error.value.message


@pytest.mark.parametrize("make", ["missing", "empty", "only-root-files"])
def test_no_docs_is_a_usage_error(tmp_path: Path, make: str) -> None:
    root = tmp_path / "docs"
    if make != "missing":
        root.mkdir()
    if make == "only-root-files":
        (root / "readme.md").write_text("# hi\n")
    with pytest.raises(UsageError):
        load_tree(root)
