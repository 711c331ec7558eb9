"""The whole generator over the mini docs tree in fixtures/: every rule of the issue, one test each."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from conformance.specgen import generate, render


@pytest.fixture
def document(mini_docs: Path) -> dict:
    return generate(mini_docs).document


def operation(document: dict, path: str, method: str) -> dict:
    return document["paths"][path][method]


def test_the_document_is_valid_openapi_3_1(document: dict) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_paths_summary_description_and_tags(document: dict) -> None:
    assert set(document["paths"]) == {
        "/shop/admin/orders/create/",
        "/shop/items/cancel/{order_item_uuid}/",
        "/shop/login/",
        "/shop/orders/",
        "/shop/orders/create/",
        "/shop/orders/{order_uuid}/fees/",
        "/shop/orders/{order_uuid}/reject/",
        "/shop/orders/{uuid}/",
    }
    reject = operation(document, "/shop/orders/{order_uuid}/reject/", "patch")
    assert reject["summary"] == "Reject Order"
    assert reject["description"] == "Reject an order\n\nDecline it, in the words of the docs."
    assert reject["tags"] == ["Shop - Orders"]
    assert [tag["name"] for tag in document["tags"]] == ["Shop - Orders", "Shop - Admin"]


def test_operation_ids_come_from_file_names_and_are_unique(document: dict) -> None:
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert operation(document, "/shop/orders/{order_uuid}/reject/", "patch")["operationId"] == "reject_order"
    assert operation(document, "/shop/orders/create/", "post")["operationId"] == "shop_create_order"
    assert operation(document, "/shop/admin/orders/create/", "post")["operationId"] == "shop_admin_create_order"


@pytest.mark.parametrize(
    ("path", "method", "name"),
    [
        ("/shop/orders/{order_uuid}/reject/", "patch", "order_uuid"),  # ### URL Parameters:
        ("/shop/orders/{uuid}/", "get", "uuid"),  # &ltuuid&gt, #### URL Parameters (no colon)
        ("/shop/items/cancel/{order_item_uuid}/", "delete", "order_item_uuid"),  # <x>, ##### and `name>` typo
        ("/shop/orders/{order_uuid}/fees/", "post", "order_uuid"),  # &lt;x&gt (no semicolon after gt)
    ],
)
def test_path_parameters_are_uuid_strings_in_every_spelling(document: dict, path: str, method: str, name: str) -> None:
    parameters = operation(document, path, method)["parameters"]
    assert parameters == [
        {
            "name": name,
            "in": "path",
            "description": parameters[0]["description"],
            "required": True,
            "schema": {"type": "string", "format": "uuid"},
        }
    ]
    assert "Universal Unique Identifier" in parameters[0]["description"]


def test_a_page_without_request_parameters_has_no_body(document: dict) -> None:
    assert "requestBody" not in operation(document, "/shop/orders/{order_uuid}/reject/", "patch")


def test_request_body_from_parameters_object_sections_and_example(document: dict) -> None:
    body = operation(document, "/shop/orders/create/", "post")["requestBody"]
    media = body["content"]["application/json"]
    schema = media["schema"]
    assert body["required"] is True
    assert schema["required"] == ["items", "address", "po_number"]
    properties = schema["properties"]
    assert properties["fee"]["type"] == "number"
    assert properties["gift"]["type"] == "boolean"
    assert properties["items"]["type"] == "array"
    assert properties["items"]["items"]["properties"]["quantity"]["type"] == "integer"
    assert properties["items"]["items"]["required"] == ["quantity"]
    assert properties["address"]["properties"]["street"]["type"] == "string"  # from an include
    assert properties["address"]["required"] == ["street"]
    assert media["example"]["po_number"] == "po-1"  # the example, read despite its trailing comma


def test_get_request_parameters_become_query_parameters(document: dict) -> None:
    parameters = {p["name"]: p for p in operation(document, "/shop/orders/", "get")["parameters"]}
    assert parameters["limit"]["in"] == "query"
    assert parameters["limit"]["schema"] == {"type": "integer"}
    assert parameters["supplier_uuids"]["schema"] == {"type": "array", "items": {"type": "string", "format": "uuid"}}
    assert "requestBody" not in operation(document, "/shop/orders/", "get")


def test_every_row_of_the_shared_table_and_the_pages_own(document: dict) -> None:
    reject = operation(document, "/shop/orders/{order_uuid}/reject/", "patch")["responses"]
    assert list(reject) == ["200", "204", "404", "409"]
    assert reject["409"] == {"description": "Critical", "x-meaning": "Wrong kind of requester"}
    assert all("content" not in response for response in reject.values())
    cancel = operation(document, "/shop/items/cancel/{order_item_uuid}/", "delete")["responses"]
    assert list(cancel) == ["200", "204", "404", "409", "410"]
    assert cancel["204"]["x-meaning"] == "The item was cancelled"


def test_a_response_example_gives_success_content_with_nullable_schema(document: dict) -> None:
    responses = operation(document, "/shop/orders/create/", "post")["responses"]
    media = responses["200"]["content"]["application/json"]
    assert media["example"]["order_uuid"] == "7d16d838-b4f2-4c88-a66c-f8eb0bcbbe4d"
    properties = media["schema"]["properties"]
    assert properties["order_uuid"] == {"type": "string"}
    assert properties["status"] == {"type": ["string", "null"]}  # null, typed by Response Parameters
    assert properties["note"] == {}  # null, type unknown
    assert "content" not in responses["204"]
    assert "content" not in responses["404"]


def test_pages_without_codes_keep_a_default_response(document: dict) -> None:
    assert list(operation(document, "/shop/login/", "post")["responses"]) == ["default"]


def test_security_token_and_cookie_as_documented(document: dict) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {**schemes["tokenAuth"], "type": "apiKey", "in": "header", "name": "Authorization"}
    assert schemes["sessionCookie"] == {
        **schemes["sessionCookie"],
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
    }
    assert document["security"] == [{"tokenAuth": []}, {"sessionCookie": []}]
    assert operation(document, "/shop/orders/{order_uuid}/reject/", "patch")["security"] == [{"tokenAuth": []}]
    assert operation(document, "/shop/login/", "post")["security"] == []
    assert "security" not in operation(document, "/shop/orders/", "get")


def test_servers_from_getting_started_and_the_examples(document: dict) -> None:
    assert [server["url"] for server in document["servers"]] == [
        "https://sandbox.shop.test",
        "https://shop.test",
        "https://api-dev.shop.test",
    ]
    assert all(server["description"] for server in document["servers"])


def test_two_pages_of_one_operation_merge_and_say_so(mini_docs: Path) -> None:
    generated = generate(mini_docs)
    merged = generated.document["paths"]["/shop/orders/"]["get"]
    assert merged["x-merged-from"] == ["_shop/list_orders.md", "_shop_admin/list_orders.md"]
    assert {p["name"] for p in merged["parameters"]} == {"limit", "supplier_uuids", "status"}
    assert merged["tags"] == ["Shop - Orders", "Shop - Admin"]
    notes = [str(item) for item in generated.diagnostics.items if "merged" in item.message]
    assert notes == [
        "INFO _shop_admin/list_orders.md:4: GET /shop/orders/ also documented by _shop/list_orders.md; "
        "merged into one operation"
    ]


def test_commented_out_pages_are_reported_not_generated(mini_docs: Path) -> None:
    generated = generate(mini_docs)
    assert "/shop/orders/{order_uuid}/attributes/" not in generated.document["paths"]
    assert any(item.path == "_shop/hidden_attributes.md" for item in generated.diagnostics.items)
    assert generated.diagnostics.warnings == []


def test_provenance_lists_every_page_used_with_its_sha256(mini_docs: Path) -> None:
    provenance = generate(mini_docs).document["info"]["x-generated-from"]
    paths = [entry["path"] for entry in provenance]
    assert paths == sorted(paths)
    assert {"_shop/reject_order.md", "_includes/objects/address.md", "_documentation/response_codes.md"} <= set(paths)
    assert "_shop/hidden_attributes.md" not in paths
    for entry in provenance:
        assert entry["sha256"] == hashlib.sha256((mini_docs / entry["path"]).read_bytes()).hexdigest()


def test_output_is_byte_identical_on_rerun_and_round_trips(mini_docs: Path) -> None:
    first = render(generate(mini_docs).document)
    second = render(generate(mini_docs).document)
    assert first == second
    assert "&id" not in first and "*id" not in first
    assert yaml.safe_load(first) == generate(mini_docs).document


def test_links_lead_from_create_to_the_order_operations(document: dict) -> None:
    links = operation(document, "/shop/orders/create/", "post")["responses"]["200"]["links"]
    assert links["reject_order"] == {
        "operationId": "reject_order",
        "parameters": {"order_uuid": "$response.body#/order_uuid"},
        "description": links["reject_order"]["description"],
    }
    assert "order_detail" not in links  # `uuid` is too generic a name to link on


def test_a_page_with_an_unknown_include_keeps_its_operation_with_a_warning(mini_docs: Path) -> None:
    page = mini_docs / "_shop" / "reject_order.md"
    page.write_text(page.read_text().replace("links/response_codes.md", "links/missing.md"))
    generated = generate(mini_docs)
    assert "/shop/orders/{order_uuid}/reject/" in generated.document["paths"]  # issue 13: as Jekyll builds it
    assert [str(w) for w in generated.diagnostics.warnings] == [
        "WARNING _shop/reject_order.md:19: include 'links/missing.md' not found in _includes/: left out; "
        "the operation of page _shop/reject_order.md is generated from the rest of it"
    ]


def test_an_unreadable_example_is_left_out_with_a_warning(mini_docs: Path) -> None:
    page = mini_docs / "_shop" / "order_detail.md"
    page.write_text(page.read_text().replace('"total": 3}', '"total": ...}'))
    generated = generate(mini_docs)
    detail = generated.document["paths"]["/shop/orders/{uuid}/"]["get"]
    assert "content" not in detail["responses"]["200"]
    assert [(w.path, w.line) for w in generated.diagnostics.warnings] == [("_shop/order_detail.md", 7)]


def test_the_fast_and_the_pure_yaml_emitters_write_the_same_bytes(mini_docs: Path) -> None:
    from conformance.specgen.assemble import PlainDumper

    document = generate(mini_docs).document
    assert render(document) == render(document, PlainDumper)


@pytest.mark.parametrize(
    "title",
    ["Login page", "/shop/login/?next=/", "/shop/<a>/x/<a>/", "/shop/lo gin/"],
)
def test_titles_that_are_not_usable_paths_skip_the_page(mini_docs: Path, title: str) -> None:
    page = mini_docs / "_shop" / "login.md"
    page.write_text(page.read_text().replace("title: /shop/login/", f"title: {title}"))
    generated = generate(mini_docs)
    assert "/shop/login/" not in generated.document["paths"]
    assert [(w.path, w.line) for w in generated.diagnostics.warnings] == [("_shop/login.md", 2)]
    validate(generated.document)


def test_the_site_config_is_part_of_the_provenance(mini_docs: Path) -> None:
    provenance = {e["path"]: e["sha256"] for e in generate(mini_docs).document["info"]["x-generated-from"]}
    assert provenance["_config.yml"] == hashlib.sha256((mini_docs / "_config.yml").read_bytes()).hexdigest()


def test_a_url_parameter_naming_no_placeholder_is_noted(mini_docs: Path) -> None:
    page = mini_docs / "_shop" / "reject_order.md"
    page.write_text(page.read_text().replace("order_uuid\n: (string)", "po_number\n: (string)"))
    generated = generate(mini_docs)
    parameter = generated.document["paths"]["/shop/orders/{order_uuid}/reject/"]["patch"]["parameters"][0]
    assert parameter == {"name": "order_uuid", "in": "path", "required": True, "schema": {"type": "string"}}
    assert "INFO _shop/reject_order.md:14: URL parameter 'po_number' names no placeholder of the path" in [
        str(item) for item in generated.diagnostics.items
    ]
