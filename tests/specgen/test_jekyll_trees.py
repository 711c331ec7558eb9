"""The generator on docs trees shaped like real Jekyll sites, written here: unclosed front matter, missing
includes, and one operation documented in several versioned collections."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.specgen import generate

CONFIG = """title: Versioned Docs
collections:
  orders:
    title: Orders
    position: 1
  v1_orders:
    title: Orders (v1)
    position: 2
"""

REJECT = """---
title: {prefix}/orders/cancel/&lt;order_uuid&gt;/reject/
name: Reject Order Cancelation{suffix}
method: patch
description: Reject a cancel request{suffix}
---
Decline the retailer's request{suffix}.

{include}

### URL Parameters:

order_uuid
: (string) Universal Unique Identifier for the order

### Expected Response Codes

| Code | Name | Meaning |
|---|---|---|
| 200 | OK | rejected |
| 422 | Unprocessable | not pending |
"""

DETAIL = """---
title: /orders/&lt;order_uuid&gt;/
name: Order Detail{suffix}
method: get
description: One order{suffix}
---
The order{suffix}.

### URL Parameters:

order_uuid
: (string) Universal Unique Identifier for the order
"""

UNCLOSED = """---
title: /orders/&lt;order_uuid&gt;/lost/
name: Lost
method: delete

Someone forgot the closing line, so Jekyll shows this whole file as text.
"""


def _tree(root: Path, *, include: str = "", unclosed: bool = False) -> Path:
    (root / "_orders").mkdir(parents=True)
    (root / "_v1_orders").mkdir()
    (root / "_includes").mkdir()
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (root / "_includes" / "note.md").write_text("A shared note.\n", encoding="utf-8")
    (root / "_orders" / "reject.md").write_text(REJECT.format(prefix="", suffix="", include=""), encoding="utf-8")
    (root / "_v1_orders" / "reject.md").write_text(
        REJECT.format(prefix="/v1", suffix=" (v1)", include=include), encoding="utf-8"
    )
    (root / "_orders" / "detail.md").write_text(DETAIL.format(suffix=""), encoding="utf-8")
    (root / "_v1_orders" / "detail.md").write_text(DETAIL.format(suffix=" (v1)"), encoding="utf-8")
    if unclosed:
        (root / "_orders" / "lost.md").write_text(UNCLOSED, encoding="utf-8")
    return root


def test_every_versioned_collection_yields_its_operations(tmp_path: Path) -> None:
    generated = generate(_tree(tmp_path))
    paths = generated.document["paths"]
    assert set(paths) == {
        "/orders/cancel/{order_uuid}/reject/",
        "/v1/orders/cancel/{order_uuid}/reject/",
        "/orders/{order_uuid}/",
    }
    current, v1 = (
        paths["/orders/cancel/{order_uuid}/reject/"]["patch"],
        paths["/v1/orders/cancel/{order_uuid}/reject/"]["patch"],
    )
    assert (current["tags"], v1["tags"]) == (["Orders"], ["Orders (v1)"])
    assert {current["operationId"], v1["operationId"]} == {"orders_reject", "v1_orders_reject"}
    assert set(v1["responses"]) >= {"200", "422"}
    detail = paths["/orders/{order_uuid}/"]["get"]  # the same operation in both versions: one, from both pages
    assert detail["x-merged-from"] == ["_orders/detail.md", "_v1_orders/detail.md"]
    assert detail["tags"] == ["Orders", "Orders (v1)"]
    sources = {entry["path"] for entry in generated.document["info"]["x-generated-from"]}
    assert {"_orders/reject.md", "_v1_orders/reject.md", "_orders/detail.md", "_v1_orders/detail.md"} <= sources
    assert generated.diagnostics.warnings == []


def test_a_missing_include_is_one_warning_and_the_operation_is_still_generated(tmp_path: Path) -> None:
    generated = generate(_tree(tmp_path, include="{% include snippets/gone.md %}"))
    v1 = generated.document["paths"]["/v1/orders/cancel/{order_uuid}/reject/"]["patch"]
    assert v1["parameters"][0]["name"] == "order_uuid"  # read from the text after the missing include
    assert set(v1["responses"]) >= {"200", "422"}
    assert [str(w) for w in generated.diagnostics.warnings] == [
        "WARNING _v1_orders/reject.md:9: include 'snippets/gone.md' not found in _includes/: left out; "
        "the operation of page _v1_orders/reject.md is generated from the rest of it"
    ]


def test_an_include_that_exists_still_counts(tmp_path: Path) -> None:
    generated = generate(_tree(tmp_path, include="{% include note.md %}"))
    v1 = generated.document["paths"]["/v1/orders/cancel/{order_uuid}/reject/"]["patch"]
    assert "A shared note." in v1["description"] or generated.diagnostics.warnings == []
    assert "_includes/note.md" in {entry["path"] for entry in generated.document["info"]["x-generated-from"]}


def test_unclosed_front_matter_is_not_a_page_and_one_info_line(tmp_path: Path) -> None:
    generated = generate(_tree(tmp_path, unclosed=True))
    assert "/orders/{order_uuid}/lost/" not in generated.document["paths"]
    assert len(generated.document["paths"]) == 3  # the other pages are untouched
    notes = [str(item) for item in generated.diagnostics.items if "_orders/lost.md" in item.path]
    assert notes == [
        "INFO _orders/lost.md:1: front matter opened with '---' is never closed: not a page (as in Jekyll), skipped"
    ]
    assert generated.diagnostics.warnings == []


@pytest.mark.parametrize(
    ("shape", "strict_code"), [({"unclosed": True}, 4), ({"include": "{% include x.md %}"}, 4), ({}, 0)]
)
def test_the_command_exits_0_and_only_strict_makes_these_fatal(tmp_path: Path, run_cli, shape, strict_code) -> None:
    docs = _tree(tmp_path / "docs", **shape)
    lenient = run_cli("spec", "--docs", str(docs), "--out", str(tmp_path / "openapi.yaml"))
    assert lenient.code == 0, lenient.err
    assert "wrote" in lenient.err.splitlines()[-1]
    strict = run_cli("spec", "--docs", str(docs), "--out", str(tmp_path / "strict.yaml"), "--strict")
    assert strict.code == strict_code, strict.err
    if strict_code:
        assert "--strict" in strict.err.splitlines()[-1] and "Traceback" not in strict.err
        assert not (tmp_path / "strict.yaml").exists()
