"""Finding and filtering the spec: the reject operation by default, siblings and cancel order on request."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conformance.errors import UsageError
from conformance.fuzz.settings import FuzzOptions
from conformance.fuzz.spec import (
    default_spec_path,
    has_links_to_operations_under_test,
    load_schema,
    load_spec,
    resolve_spec_path,
    select_operations,
)

REJECT = "PATCH /timp/orders/cancel/{order_uuid}/reject/"


def labels(schema) -> list[str]:
    return sorted(result.ok().label for result in schema.get_all_operations())


@pytest.fixture(scope="module")
def spec():
    return load_spec(FuzzOptions())


def test_default_spec_is_the_repositorys(repo_root):
    assert default_spec_path() == repo_root / "specs" / "openapi.yaml"


def test_reject_alone_by_default(spec):
    assert labels(select_operations(spec, siblings=False)) == [REJECT]


def test_siblings_share_the_contract(spec):
    assert labels(select_operations(spec, siblings=True)) == sorted(
        [
            REJECT,
            "PATCH /timp/orders/cancel/{order_uuid}/confirm/",
            "PATCH /timp/orders/items/cancel/{order_item_uuid}/reject/",
            "PATCH /timp/orders/items/cancel/{order_item_uuid}/confirm/",
        ]
    )


def test_stateful_adds_the_linked_cancel_order(spec):
    stateful = select_operations(spec, siblings=False, stateful=True)
    assert labels(stateful) == ["PATCH /timp/orders/cancel/", REJECT]
    assert has_links_to_operations_under_test(stateful)
    assert not has_links_to_operations_under_test(select_operations(spec, siblings=False))


def test_missing_spec_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--spec: no such file"):
        resolve_spec_path(tmp_path / "absent.yaml")


def test_unreadable_spec_is_a_usage_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [unclosed\n", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot load OpenAPI spec"):
        load_schema(FuzzOptions(spec=broken))


def test_spec_without_the_reject_operation_is_a_usage_error(tmp_path, repo_root):
    document = yaml.safe_load((repo_root / "specs" / "openapi.yaml").read_text(encoding="utf-8"))
    del document["paths"]["/timp/orders/cancel/{order_uuid}/reject/"]
    path = Path(tmp_path / "no-reject.yaml")
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(UsageError, match="has no PATCH /timp/orders/cancel/"):
        load_schema(FuzzOptions(spec=path))


def test_the_contracts_extra_statuses_are_allowed_on_the_operations_under_test_only(spec):
    reject = spec["/timp/orders/cancel/{order_uuid}/reject/"]["PATCH"]
    documented = {"200", "201", "204", "400", "401", "403", "404", "405", "409", "415", "422"}
    assert set(reject.definition.raw["responses"]) == documented | {"301", "308", "414", "429"}
    create = next(
        result.ok() for result in spec.get_all_operations() if result.ok().path == "/timp/orders/create/"
    )
    assert "414" not in create.definition.raw["responses"]
