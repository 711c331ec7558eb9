"""Lenient JSON examples and the JSON Schema inferred from examples and field lists."""

from __future__ import annotations

import pytest

from conformance.specgen.examples import ExampleError, parse_example
from conformance.specgen.fields import Field
from conformance.specgen.schemas import (
    ObjectSection,
    find_object_section,
    schema_from_example,
    schema_from_fields,
    section_words,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": 1}', {"a": 1}),
        ('{"a": [1, 2,],}', {"a": [1, 2]}),
        ('{\n  "a": "x"\n  "b": "y"\n}', {"a": "x", "b": "y"}),
        ('{"a": {"b": [1, 2]', {"a": {"b": [1, 2]}}),
        ('{"a": "}]"', {"a": "}]"}),
    ],
)
def test_examples_forgive_common_slips(text: str, value: object) -> None:
    assert parse_example(text) == value


def test_an_unreadable_example_raises_with_one_line() -> None:
    with pytest.raises(ExampleError) as error:
        parse_example('{"a": ... }')
    assert "\n" not in str(error.value)


def test_inferred_schema_types_and_nulls() -> None:
    hints = {"note": Field("note", "string", False, "", 0)}
    schema = schema_from_example(
        {"n": 1, "x": 1.5, "s": "a", "b": True, "note": None, "other": None, "list": [{"a": 1}, {"a": None, "c": "z"}]},
        hints,
    )
    properties = schema["properties"]
    assert properties["n"] == {"type": "integer"}
    assert properties["x"] == {"type": "number"}
    assert properties["b"] == {"type": "boolean"}
    assert properties["note"] == {"type": ["string", "null"]}
    assert properties["other"] == {}
    assert properties["list"]["items"] == {
        "type": "object",
        "properties": {"a": {"type": ["integer", "null"]}, "c": {"type": "string"}},
    }
    assert "required" not in schema


def test_mixed_numbers_widen_and_mixed_kinds_are_unconstrained() -> None:
    assert schema_from_example([1, 2.5])["items"] == {"type": "number"}
    assert schema_from_example([1, "a"])["items"] == {}
    assert schema_from_example([])["type"] == "array"


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("SKU Object:", ("sku",)),
        ("Line Item Attribute Object", ("line", "item", "attribute")),
        (
            "Manufacturer's Suggested Retail Price (MSRP) Range Object:",
            ("manufacturer", "s", "suggested", "retail", "price", "range"),
        ),
        ("Tracking Numbers Object:", ("tracking", "number")),
    ],
)
def test_section_words(title: str, words: tuple[str, ...]) -> None:
    assert section_words(title) == words


def test_properties_find_their_object_sections() -> None:
    sku = ObjectSection(("sku",), ())
    attribute = ObjectSection(("line", "item", "attribute"), ())
    order_attribute = ObjectSection(("retailer", "provided", "order", "attribute"), ())
    sections = [sku, attribute, order_attribute]
    assert find_object_section("skus", sections) is sku
    assert find_object_section("retailer_provided_line_item_attributes", sections) is attribute
    assert find_object_section("retailer_provided_order_attributes", sections) is order_attribute
    assert find_object_section("address", sections) is None


def test_fields_nest_sections_mark_required_and_fall_back_to_the_example() -> None:
    item = ObjectSection(("item",), (Field("quantity", "integer", True, "How many", 0),))
    fields = [
        Field("items", "array", True, "The items", 0),
        Field("meta", "object", False, "", 0),
        Field("order_uuid", "string", False, "The Universal Unique Identifier", 0),
    ]
    schema = schema_from_fields(fields, [item], {"meta": {"k": "v"}, "extra": 3})
    assert schema["required"] == ["items"]
    assert schema["properties"]["items"]["items"]["required"] == ["quantity"]
    assert schema["properties"]["meta"]["properties"] == {"k": {"type": "string"}}
    assert schema["properties"]["order_uuid"]["format"] == "uuid"
    assert schema["properties"]["extra"] == {"type": "integer"}


def test_self_referencing_sections_do_not_recurse_forever() -> None:
    node = ObjectSection(("node",), (Field("nodes", "array", False, "", 0),))
    schema = schema_from_fields([Field("node", "object", False, "", 0)], [node])
    assert schema["properties"]["node"]["properties"]["nodes"] == {"type": "array"}
