"""The generator over the real CRUX docs (../shared/crux-docs): coverage, validity, the committed spec.

Skipped, with the reason, where the docs tree is absent.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import frontmatter
import pytest
import yaml
from openapi_spec_validator import validate

from conformance.specgen import generate, render

PLACEHOLDER = re.compile(r"(?:&lt;?|<)[^/&<>]+(?:&gt;?|>)")
REJECT = "/timp/orders/cancel/{order_uuid}/reject/"
CONFIRM = "/timp/orders/cancel/{order_uuid}/confirm/"
REJECT_CODES = ["200", "201", "204", "400", "401", "403", "404", "405", "409", "415", "422"]


@pytest.fixture(scope="module")
def generated(real_docs: Path):
    return generate(real_docs)


def documented_pairs(docs: Path) -> tuple[dict[tuple[str, str], list[str]], list[str]]:
    """(method, path shape) → pages, read independently of the generator; and commented-out pages."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    hidden: list[str] = []
    for file in sorted(docs.glob("_*/**/*.md")):
        if file.parts[len(docs.parts)] == "_includes":
            continue
        text = file.read_text(encoding="utf-8")
        if text.startswith("<!--") and re.search(r"^method:\s*\S", text, re.MULTILINE):
            hidden.append(file.relative_to(docs).as_posix())
            continue
        meta = frontmatter.loads(text).metadata
        method = str(meta.get("method") or "").strip().lower()
        if method:
            shape = PLACEHOLDER.sub("{}", str(meta["title"]).strip())
            pairs[(method, shape)].append(file.relative_to(docs).as_posix())
    return pairs, hidden


def test_every_documented_method_and_path_is_exactly_one_operation(real_docs: Path, generated) -> None:
    pairs, hidden = documented_pairs(real_docs)
    pages = sum(len(files) for files in pairs.values())
    assert pages + len(hidden) == 78  # the pages whose front matter names a method
    assert hidden == ["_order/get_order_attributes.md"]  # inside <!-- -->: not published
    operations = [
        (method, re.sub(r"\{[^}]*\}", "{}", path))
        for path, item in generated.document["paths"].items()
        for method in item
    ]
    assert len(operations) == len(set(operations))
    assert sorted(operations) == sorted(pairs)
    merged = {key: files for key, files in pairs.items() if len(files) > 1}
    notes = [str(d) for d in generated.diagnostics.items if "merged into one operation" in d.message]
    assert len(notes) == sum(len(files) - 1 for files in merged.values()) == 2
    for (method, shape), files in merged.items():
        path = next(p for p in generated.document["paths"] if re.sub(r"\{[^}]*\}", "{}", p) == shape)
        assert generated.document["paths"][path][method]["x-merged-from"] == files


def test_the_document_validates_and_is_deterministic(real_docs: Path, generated) -> None:
    validate(generated.document)
    assert render(generated.document) == render(generate(real_docs).document)


def test_the_committed_spec_is_up_to_date(generated, committed_spec: Path) -> None:
    assert committed_spec.read_text(encoding="utf-8") == render(generated.document), (
        "specs/openapi.yaml drifted from the docs: run crux-conformance spec --docs ../shared/crux-docs"
    )


def test_the_reject_operation_reads_exactly_as_the_docs_say(generated) -> None:
    operation = generated.document["paths"][REJECT]["patch"]
    assert list(generated.document["paths"][REJECT]) == ["patch"]
    assert operation["summary"] == "Reject Order Cancelation"
    assert operation["tags"] == ["Orders - Supplier"]
    assert operation["parameters"] == [
        {
            "name": "order_uuid",
            "in": "path",
            "description": "Universal Unique Identifier for the canceled order",
            "required": True,
            "schema": {"type": "string", "format": "uuid"},
        }
    ]
    assert "requestBody" not in operation
    assert list(operation["responses"]) == REJECT_CODES
    assert operation["responses"]["409"]["x-meaning"] == "The requester is not of the correct type (e.g. retailer)"
    assert operation["responses"]["422"]["x-meaning"] == "The action can't be performed on the identifier provided"
    assert all("content" not in response for response in operation["responses"].values())
    assert operation["security"] == [{"tokenAuth": []}]
    assert generated.document["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_the_sibling_operations_the_suite_uses(generated) -> None:
    paths = generated.document["paths"]
    confirm = paths[CONFIRM]["patch"]
    assert confirm["parameters"][0]["schema"] == {"type": "string", "format": "uuid"}
    assert list(confirm["responses"]) == REJECT_CODES
    detail = paths["/timp/orders/{uuid}/"]["get"]
    assert detail["parameters"][0]["name"] == "uuid"
    line_items = detail["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["line_items"]
    assert line_items["items"]["properties"]["status"] == {"type": "string"}
    create = paths["/timp/orders/create/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["skus", "address", "po_number"]
    assert body["properties"]["skus"]["items"]["required"] == ["quantity", "supplier_org_uuid"]
    links = create["responses"]["200"]["links"]
    assert links["oder_cancelation_reject"]["parameters"] == {"order_uuid": "$response.body#/order_uuid"}
    cancel = paths["/timp/orders/cancel/"]["patch"]
    cancel_body = cancel["requestBody"]["content"]["application/json"]["schema"]
    assert cancel_body["properties"]["order_uuid"]["format"] == "uuid"
    assert cancel["responses"]["204"]["links"]["oder_cancelation_reject"]["parameters"] == {
        "order_uuid": "$request.body#/order_uuid"
    }


def test_servers_name_production_sandbox_and_dev(generated) -> None:
    servers = {server["url"]: server["description"] for server in generated.document["servers"]}
    assert set(servers) == {
        "https://api-sandbox.cruxconnect.com",
        "https://api.cruxconnect.com",
        "https://api-dev.cruxconnect.com",
    }
    assert all(servers.values())


def test_committed_spec_is_plain_yaml(committed_spec: Path) -> None:
    text = committed_spec.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["openapi"] == "3.1.0"
    assert "&id0" not in text


def test_check_passes_against_the_committed_spec(real_docs: Path, committed_spec: Path, run_cli) -> None:
    result = run_cli("spec", "--docs", str(real_docs), "--out", str(committed_spec), "--check")
    assert (result.code, result.out) == (0, ""), result.out[:2000]
    assert "is up to date (75 operations)" in result.err


def test_schemathesis_loads_every_operation_of_the_committed_spec(committed_spec: Path) -> None:
    import schemathesis
    from hypothesis import given, settings
    from schemathesis.config import SchemathesisConfig
    from schemathesis.core.result import Err

    # An explicit config: the repository's schemathesis.toml (found from the cwd) filters operations.
    schema = schemathesis.openapi.from_path(str(committed_spec), config=SchemathesisConfig())
    results = list(schema.get_all_operations())
    assert len(results) == 75
    assert [result.err() for result in results if isinstance(result, Err)] == []
    reject = schema[REJECT]["PATCH"]
    cases = []

    @settings(max_examples=5, deadline=None, database=None)
    @given(reject.as_strategy())
    def collect(case) -> None:
        cases.append(case)

    collect()
    assert cases
    for case in cases:
        assert re.fullmatch(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", case.path_parameters["order_uuid"]
        )
        assert case.formatted_path.startswith("/timp/orders/cancel/") and case.formatted_path.endswith("/reject/")
