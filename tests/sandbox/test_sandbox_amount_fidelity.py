"""Cancels keep a string reason, and won amounts are whole on every path that takes one."""

import pytest

from iamport_sandbox.store import CancelRefused


@pytest.fixture
def paid(store):
    return store.insert_payment(merchant_uid="order-1", amount=10000, status="paid")


def cancel(client, auth, as_json=True, **fields):
    if as_json:
        return client.post("/payments/cancel", json=fields, headers=auth)
    return client.post("/payments/cancel", data=fields, headers=auth)


def prepare(client, auth, method="post", **fields):
    return getattr(client, method)("/payments/prepare", json=fields, headers=auth)


# A cancel's reason


@pytest.mark.parametrize(
    "as_json, fields",
    [(True, {}), (True, {"reason": None}), (True, {"reason": ""}), (False, {})],
    ids=["json-absent", "json-null", "json-empty", "form-absent"],
)
def test_a_cancel_without_a_reason_keeps_an_empty_string(client, auth, paid, as_json, fields):
    response = cancel(client, auth, as_json, imp_uid=paid["imp_uid"], amount=1000, **fields)

    payment = response.json["response"]
    assert payment["cancel_reason"] == ""
    assert payment["cancel_history"][-1]["reason"] == ""


def test_the_store_keeps_a_string_reason_too(store, paid):
    payment, _ = store.cancel(paid["imp_uid"], amount=1000)

    assert payment["cancel_history"][0]["reason"] == ""


# Won amounts are whole


@pytest.mark.parametrize("amount", [100.5, "100.5", 0.5])
def test_a_fractional_won_cancel_is_refused(client, auth, store, paid, amount):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=amount)

    assert response.status_code == 200
    assert response.json["code"] == 1
    assert response.json["response"] is None
    assert "정수" in response.json["message"]
    assert store.get_payment(paid["imp_uid"]) == paid


def test_a_whole_number_written_with_a_fraction_is_whole(client, auth, paid):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000.0)

    assert response.json["response"]["cancel_amount"] == 1000


def test_the_store_refuses_a_fractional_won_cancel_for_the_console_too(store, paid):
    with pytest.raises(CancelRefused, match="정수"):
        store.cancel(paid["imp_uid"], amount=100.5)


def test_the_console_shows_the_refusal(client, store, paid):
    response = client.post(
        f"/dashboard/payments/{paid['imp_uid']}/cancel", data={"amount": "100.5"}
    )

    assert response.status_code == 409
    assert "정수" in response.get_data(as_text=True)
    assert store.get_payment(paid["imp_uid"]) == paid


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": 100.5},
        {"amount": "100.5"},
        {"amount": 100.5, "currency": "KRW"},
    ],
)
def test_a_fractional_won_preparation_is_refused(client, auth, store, fields):
    response = prepare(client, auth, merchant_uid="order-1", **fields)

    assert response.status_code == 400
    assert response.json["code"] == -1
    assert "정수" in response.json["message"]
    assert store.prepared("order-1") is None


def test_a_fractional_dollar_preparation_is_fine(client, auth):
    response = prepare(client, auth, merchant_uid="order-1", amount=10.5, currency="USD")

    assert response.json["response"]["amount"] == 10.5


@pytest.mark.parametrize("registered, status", [(None, 400), ("KRW", 400), ("USD", 200)])
def test_a_changed_preparation_keeps_to_its_currency(client, auth, registered, status):
    prepare(client, auth, merchant_uid="order-1", amount=10, currency=registered)

    response = prepare(client, auth, "put", merchant_uid="order-1", amount=10.5)

    assert response.status_code == status


def test_a_changed_preparation_may_switch_to_a_currency_with_cents(client, auth):
    prepare(client, auth, merchant_uid="order-1", amount=10)

    response = prepare(client, auth, "put", merchant_uid="order-1", amount=10.5, currency="USD")

    assert response.json["response"] == {
        "merchant_uid": "order-1",
        "amount": 10.5,
        "currency": "USD",
    }
