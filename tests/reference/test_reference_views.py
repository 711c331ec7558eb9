"""Behaviour of every reference endpoint through Django's test client (no sockets, same database)."""

from __future__ import annotations

import copy
import uuid

import pytest

CREATE_BODY = {
    "skus": [
        {
            "quantity": "2",
            "sku_id": "7FZvMyg0BjfewNJJ",
            "supplier_org_uuid": "d6ac857d-c844-4312-8485-6d121d065308",
            "retailer_provided_shipping_carrier": "UPS",
            "retailer_provided_shipping_method": "Ground",
            "retailer_line_item_instructions": "Ship seperately as available",
            "retailer_provided_sku_cost": 27.2,
            "retailer_provided_line_item_attributes": [{"attribute_name": "donut", "attribute_value": "jelly"}],
        }
    ],
    "address": {
        "name": "Bob Iger", "business_name": "NBC", "address1": "30 Rockefeller Plaza", "address2": "STE 123",
        "city": "New York", "state": "NY", "postal_code": "10112", "phone_number": "801-555-1212",
    },
    "po_number": "po-6607685321",
    "retailer_provided_order_fee": 0.99,
    "retailer_provided_tax": 2.97,
    "retailer_provided_shipping_cost": 7.99,
    "retailer_provided_dropship_fee": 0.5,
    "retailer_provided_order_attributes": [{"attribute_name": "donut", "attribute_value": "jelly"}],
    "retailer_provided_notes": "jelly donuts for everyone",
}


@pytest.fixture
def client(django_ready):
    from django.test import Client

    return Client()


@pytest.fixture
def as_role(django_ready):
    """``as_role("retailer")`` → a test client sending that role's token."""
    from django.test import Client

    def make(role: str):
        return Client(HTTP_AUTHORIZATION=f"Token {django_ready.credentials[role]}")

    return make


@pytest.fixture
def make_order(django_ready):
    from conformance.reference.states import create_order_in_state

    return lambda state="a pending order cancellation": str(create_order_in_state(state).uuid)


def _statuses(client, order_uuid):
    response = client.get(f"/timp/orders/{order_uuid}/")
    assert response.status_code == 200, response.content
    return [item["status"] for item in response.json()["line_items"]]


# --- create and cancel order (retailer) ----------------------------------------------------------


def test_create_order_with_documented_body(as_role):
    retailer = as_role("retailer")
    response = retailer.post("/timp/orders/create/", CREATE_BODY, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["messages"] == []
    detail = retailer.get(f"/timp/orders/{body['order_uuid']}/").json()
    assert detail["po_number"] == "po-6607685321"
    assert detail["retailer_provided_fees"] == {"order_fee": 0.99, "order_tax": 2.97, "shipping_cost": 7.99,
                                               "dropship_fee": 0.5}
    [item] = detail["line_items"]
    assert (item["sku_id"], item["quantity"], item["status"]) == ("7FZvMyg0BjfewNJJ", 2, "Unallocated")
    assert item["supplier"]["uuid"] == "d6ac857d-c844-4312-8485-6d121d065308"


@pytest.mark.parametrize("mutation", ["no_skus", "no_po", "bad_quantity", "unknown_supplier", "not_object"])
def test_create_order_rejects_bad_bodies_with_400(as_role, mutation):
    body = copy.deepcopy(CREATE_BODY)
    if mutation == "no_skus":
        body["skus"] = []
    elif mutation == "no_po":
        del body["po_number"]
    elif mutation == "bad_quantity":
        body["skus"][0]["quantity"] = "two"
    elif mutation == "unknown_supplier":
        body["skus"][0]["supplier_org_uuid"] = str(uuid.uuid4())
    else:
        body = ["not", "an", "object"]
    response = as_role("retailer").post("/timp/orders/create/", body, content_type="application/json")
    assert response.status_code == 400, response.content


def test_create_order_by_a_supplier_is_409(as_role):
    response = as_role("supplier").post("/timp/orders/create/", CREATE_BODY, content_type="application/json")
    assert response.status_code == 409


def test_create_order_with_form_body_is_415(as_role):
    response = as_role("retailer").post("/timp/orders/create/", {"po_number": "x"})
    assert response.status_code == 415


def test_cancel_order_then_supplier_rejects(as_role, make_order):
    order = make_order("an order without a cancellation request")
    retailer, supplier = as_role("retailer"), as_role("supplier")
    assert supplier.patch(f"/timp/orders/cancel/{order}/reject/").status_code == 422
    def cancel():
        return retailer.patch("/timp/orders/cancel/", {"order_uuid": order}, content_type="application/json")

    assert cancel().status_code == 200
    assert cancel().status_code == 422
    assert supplier.patch(f"/timp/orders/cancel/{order}/reject/").status_code == 200
    assert "Cancelled" not in _statuses(retailer, order)


def test_cancel_order_then_supplier_confirms(as_role, make_order):
    order = make_order("an order without a cancellation request")
    retailer, supplier = as_role("retailer"), as_role("supplier")
    retailer.patch("/timp/orders/cancel/", {"order_uuid": order}, content_type="application/json")
    assert supplier.patch(f"/timp/orders/cancel/{order}/confirm/").status_code == 200
    assert set(_statuses(retailer, order)) == {"Cancelled"}
    assert supplier.patch(f"/timp/orders/cancel/{order}/confirm/").status_code == 422
    assert supplier.patch(f"/timp/orders/cancel/{order}/reject/").status_code == 422


@pytest.mark.parametrize(("body", "status"), [({}, 400), ({"order_uuid": "nope"}, 400),
                                              ({"order_uuid": str(uuid.uuid4())}, 404)])
def test_cancel_order_bad_requests(as_role, body, status):
    response = as_role("retailer").patch("/timp/orders/cancel/", body, content_type="application/json")
    assert response.status_code == status


def test_cancel_order_by_supplier_is_409(as_role, make_order):
    order = make_order("an order without a cancellation request")
    response = as_role("supplier").patch("/timp/orders/cancel/", {"order_uuid": order}, content_type="application/json")
    assert response.status_code == 409


# --- line item cancellation ----------------------------------------------------------------------


def test_item_cancellation_confirm_and_reject(as_role, make_order):
    order = make_order("an order without a cancellation request")
    retailer, supplier = as_role("retailer"), as_role("supplier")
    first, second = (item["line_item_uuid"] for item in retailer.get(f"/timp/orders/{order}/").json()["line_items"])
    assert supplier.patch(f"/timp/orders/items/cancel/{first}/confirm/").status_code == 422
    assert retailer.delete(f"/timp/orders/items/cancel/{first}/").status_code == 200
    assert retailer.delete(f"/timp/orders/items/cancel/{second}/").status_code == 200
    assert retailer.delete(f"/timp/orders/items/cancel/{second}/").status_code == 422
    assert supplier.patch(f"/timp/orders/items/cancel/{first}/confirm/").status_code == 200
    assert supplier.patch(f"/timp/orders/items/cancel/{second}/reject/").status_code == 200
    assert supplier.patch(f"/timp/orders/items/cancel/{second}/confirm/").status_code == 422
    assert _statuses(retailer, order) == ["Cancelled", "Unallocated"]


def test_item_cancellation_permissions(as_role, make_order):
    order = make_order("an order without a cancellation request")
    item = as_role("retailer").get(f"/timp/orders/{order}/").json()["line_items"][0]["line_item_uuid"]
    as_role("retailer").delete(f"/timp/orders/items/cancel/{item}/")
    assert as_role("retailer").patch(f"/timp/orders/items/cancel/{item}/confirm/").status_code == 409
    assert as_role("supplier_no_permission").patch(f"/timp/orders/items/cancel/{item}/confirm/").status_code == 403
    assert as_role("other_supplier").patch(f"/timp/orders/items/cancel/{item}/confirm/").status_code == 404
    assert as_role("supplier").delete(f"/timp/orders/items/cancel/{item}/").status_code == 409
    assert as_role("supplier").patch(f"/timp/orders/items/cancel/{item}/reject/").status_code == 200


# --- order detail --------------------------------------------------------------------------------


def test_order_detail_visibility(as_role, make_order):
    order = make_order()
    for role, status in (("retailer", 200), ("supplier", 200), ("supplier_no_permission", 200),
                         ("other_supplier", 404)):
        assert as_role(role).get(f"/timp/orders/{order}/").status_code == status, role
    assert as_role("supplier").get(f"/timp/orders/{uuid.uuid4()}/").status_code == 404


def test_order_detail_shape_follows_docs(as_role, make_order):
    detail = as_role("supplier").get(f"/timp/orders/{make_order()}/").json()
    for key in ("order_uuid", "po_number", "created_date", "address", "retailer", "line_items", "invoices"):
        assert key in detail
    assert detail["created_date"].endswith("Z")
    assert {"line_item_uuid", "status", "sku_id", "supplier"} <= detail["line_items"][0].keys()


# --- the reject endpoint's order of checks -------------------------------------------------------


def test_order_of_checks_method_auth_type_permission_lookup_state(client, as_role, make_order):
    unknown = uuid.uuid4()
    assert client.get(f"/timp/orders/cancel/{unknown}/reject/").status_code == 405  # method before auth
    assert client.patch(f"/timp/orders/cancel/{unknown}/reject/").status_code == 401
    assert as_role("retailer").patch(f"/timp/orders/cancel/{unknown}/reject/").status_code == 409
    assert as_role("supplier_no_permission").patch(f"/timp/orders/cancel/{unknown}/reject/").status_code == 403
    assert as_role("supplier").patch(f"/timp/orders/cancel/{unknown}/reject/").status_code == 404
    order = make_order("a rejected order cancellation")
    assert as_role("supplier").patch(f"/timp/orders/cancel/{order}/reject/").status_code == 422


def test_options_lists_patch(as_role):
    response = as_role("supplier").options(f"/timp/orders/cancel/{uuid.uuid4()}/reject/")
    assert response.status_code == 200
    assert "PATCH" in response["Allow"]


def test_accept_header_never_yields_406(as_role, make_order):
    response = as_role("supplier").patch(f"/timp/orders/cancel/{make_order()}/reject/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_session_with_csrf_checks_is_403(django_ready, make_order):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = django_ready.credentials["session_id"]
    order = make_order()
    response = client.patch(f"/timp/orders/cancel/{order}/reject/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # the session is real: the detail page (GET, no CSRF needed) recognises the supplier
    assert client.get(f"/timp/orders/{order}/").status_code == 200


# --- tokens and login ----------------------------------------------------------------------------


def test_token_expiry_is_enforced(django_ready, make_order):
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from conformance.reference.models import AuthToken
    from conformance.reference.tokens import issue_token

    user = User.objects.get(username=django_ready.logins["supplier"][0])
    token = issue_token(user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    order = make_order("a rejected order cancellation")
    assert client.patch(f"/timp/orders/cancel/{order}/reject/").status_code == 422
    AuthToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = client.patch(f"/timp/orders/cancel/{order}/reject/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Token'


def test_issued_tokens_last_the_configured_lifetime(django_ready):
    from django.conf import settings
    from django.contrib.auth.models import User

    from conformance.reference.tokens import issue_token

    token = issue_token(User.objects.get(username=django_ready.logins["retailer"][0]))
    assert (token.expires - token.created).total_seconds() == settings.CRUX_TOKEN_LIFETIME_SECONDS


def test_login_returns_a_working_token(client, django_ready, make_order):
    username, password = django_ready.logins["supplier"]
    response = client.post("/timp/organizations/user-login/", {"username": username, "password": password},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["org_type"] == "SUPPLIER"
    assert body["supplier_uuid"] == "d6ac857d-c844-4312-8485-6d121d065308" and body["retailer_uuid"] == ""
    assigned = {p["permission"]["name"] for p in body["permission_assignments"]["permissions"] if p["assigned"]}
    assert "cancel_order" in assigned and "create_order" not in assigned
    from django.test import Client

    fresh = Client(HTTP_AUTHORIZATION=f"Token {body['auth_token']}")
    assert fresh.patch(f"/timp/orders/cancel/{make_order()}/reject/").status_code == 200


def test_login_without_cancel_order_lists_it_unassigned(client, django_ready):
    username, password = django_ready.logins["supplier_no_permission"]
    body = client.post("/timp/organizations/user-login/", {"username": username, "password": password},
                       content_type="application/json").json()
    flags = {p["permission"]["name"]: p["assigned"] for p in body["permission_assignments"]["permissions"]}
    assert flags["cancel_order"] is False and flags["view_order"] is True


@pytest.mark.parametrize("body", [{"username": "supplier@supplier.example", "password": "wrong"},
                                  {"username": "nobody@example.invalid", "password": "x"}])
def test_login_with_bad_credentials_is_401(client, body):
    response = client.post("/timp/organizations/user-login/", body, content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_login_without_fields_is_400(client):
    assert client.post("/timp/organizations/user-login/", {}, content_type="application/json").status_code == 400


# --- provider states -----------------------------------------------------------------------------


def test_provider_states_absent_unless_enabled(client):
    response = client.post("/__conformance__/provider-states", {"action": "setup", "state": "x"},
                           content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("state", ["a pending order cancellation", "an order without a cancellation request",
                                   "a rejected order cancellation", "a confirmed order cancellation",
                                   "another supplier's pending order cancellation"])
def test_provider_states_create_fresh_orders(client, as_role, state):
    from conformance.reference.views.provider_states import ENABLED_ENVIRON_KEY

    def setup():
        response = client.post("/__conformance__/provider-states", {"action": "setup", "state": state, "params": {}},
                               content_type="application/json", **{ENABLED_ENVIRON_KEY: True})
        assert response.status_code == 201, response.content
        return response.json()["order_uuid"]

    first, second = setup(), setup()
    assert first != second
    viewer = as_role("other_supplier" if state.startswith("another") else "supplier")
    items = viewer.get(f"/timp/orders/{first}/").json()["line_items"]
    assert len(items) >= 1
    expected_reject = 200 if "pending" in state else 422
    assert viewer.patch(f"/timp/orders/cancel/{first}/reject/").status_code == expected_reject


def test_provider_states_unknown_state_names_the_known_ones(client):
    from conformance.reference.views.provider_states import ENABLED_ENVIRON_KEY

    response = client.post("/__conformance__/provider-states", {"action": "setup", "state": "no such state"},
                           content_type="application/json", **{ENABLED_ENVIRON_KEY: True})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "no such state" in detail and "a pending order cancellation" in detail
    assert "another supplier's pending order cancellation" in detail


def test_provider_states_with_a_given_uuid_recreate_that_order(client, as_role):
    from conformance.reference.views.provider_states import ENABLED_ENVIRON_KEY

    wanted = str(uuid.uuid4())
    for state, reject_status in (("a confirmed order cancellation", 422), ("a pending order cancellation", 200)):
        response = client.post(
            "/__conformance__/provider-states", {"action": "setup", "state": state, "params": {"order_uuid": wanted}},
            content_type="application/json", **{ENABLED_ENVIRON_KEY: True},
        )
        assert response.json()["order_uuid"] == wanted
        assert as_role("supplier").patch(f"/timp/orders/cancel/{wanted}/reject/").status_code == reject_status
