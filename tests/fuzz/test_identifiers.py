"""The identifier pool and strategy, provisioning real orders from the reference."""

from __future__ import annotations

import requests
from hypothesis import HealthCheck, given, settings

from conformance.fuzz.binding import FuzzBinding, bind, unbind
from conformance.fuzz.identifiers import IdentifierPool, order_identifiers
from conformance.provisioning import StaticProvisioner, make_provisioner
from conformance.provisioning.states import CONFIRMED, OTHER_SUPPLIER_PENDING, PENDING, WITHOUT_CANCELLATION


def reject(reference, config, order_uuid: str) -> int:
    response = requests.patch(
        f"{reference.base_url}/timp/orders/cancel/{order_uuid}/reject/",
        headers={"Authorization": f"Token {config.credentials.get('supplier')}"},
        timeout=10,
    )
    return response.status_code


def test_pending_orders_are_fresh_until_the_budget_then_reused(reference, reference_config):
    pool = IdentifierPool(make_provisioner(reference_config), max_pending=2)
    first, second, third = pool.take(PENDING), pool.take(PENDING), pool.take(PENDING)
    assert first != second and third == second
    assert pool.pending_made == 2
    assert reject(reference, reference_config, first) in (200, 204)
    assert reject(reference, reference_config, second) in (200, 204)


def test_reusable_states_are_set_up_once_per_slot_and_reach_their_branches(reference, reference_config):
    pool = IdentifierPool(make_provisioner(reference_config), max_pending=1)
    assert pool.take(CONFIRMED, 0) == pool.take(CONFIRMED, 0)
    assert pool.take(CONFIRMED, 0) != pool.take(CONFIRMED, 1)
    assert reject(reference, reference_config, pool.take(WITHOUT_CANCELLATION)) == 422
    assert reject(reference, reference_config, pool.take(CONFIRMED)) == 422
    assert reject(reference, reference_config, pool.take(OTHER_SUPPLIER_PENDING)) in (403, 404)


def test_exhausted_static_lists_give_none_so_the_strategy_falls_back_to_generated():
    pool = IdentifierPool(StaticProvisioner({"pending": ("00000000-0000-4000-8000-000000000001",)}), max_pending=5)
    assert pool.take(PENDING) == "00000000-0000-4000-8000-000000000001"
    assert pool.take(CONFIRMED) is None


def test_strategy_mixes_provisioned_and_generated_uuids(reference_config):
    pool = IdentifierPool(make_provisioner(reference_config), max_pending=3)
    seen: list[str] = []

    @settings(max_examples=60, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(order_identifiers())
    def draw(value: str) -> None:
        seen.append(value)

    bind(FuzzBinding(pool=pool))
    try:
        draw()
    finally:
        unbind()
    provisioned = pool.provisioned()
    assert pool.pending_made >= 1
    assert any(value in provisioned for value in seen)
    assert any(value not in provisioned for value in seen)


def test_without_a_pool_the_strategy_only_generates(reference_config):
    seen: list[str] = []

    @settings(max_examples=20, database=None, derandomize=True)
    @given(order_identifiers())
    def draw(value: str) -> None:
        seen.append(value)

    draw()
    assert len(set(seen)) > 1


def test_without_reuse_every_draw_is_a_new_order_and_all_are_remembered(reference_config):
    pool = IdentifierPool(make_provisioner(reference_config), max_pending=0, reuse=False)
    drawn = [pool.take(WITHOUT_CANCELLATION, 0) for _ in range(3)] + [pool.take(PENDING) for _ in range(2)]
    assert len(set(drawn)) == 5
    assert set(drawn) == pool.provisioned()
