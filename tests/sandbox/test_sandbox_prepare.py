import pytest


def prepare(client, auth, method="post", as_json=True, **body):
    send = getattr(client, method)
    if as_json:
        return send("/payments/prepare", json=body, headers=auth)
    return send("/payments/prepare", data=body, headers=auth)


@pytest.mark.parametrize("as_json", [True, False])
def test_prepare_registers_the_expected_amount(client, auth, store, validate, as_json):
    response = prepare(client, auth, as_json=as_json, merchant_uid="order-1", amount=64900)

    assert response.status_code == 200
    validate(response.json, "PaymentPrepareResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    assert response.json["response"] == {
        "merchant_uid": "order-1",
        "amount": 64900,
        "currency": None,
    }
    assert store.prepared("order-1") == response.json["response"]


def test_prepare_keeps_a_given_currency_and_a_fractional_amount(client, auth):
    response = prepare(client, auth, merchant_uid="order-1", amount="10.5", currency="USD")

    assert response.json["response"] == {
        "merchant_uid": "order-1",
        "amount": 10.5,
        "currency": "USD",
    }


def test_preparing_the_same_merchant_uid_twice_is_refused(client, auth, store):
    prepare(client, auth, merchant_uid="order-1", amount=64900)

    response = prepare(client, auth, merchant_uid="order-1", amount=100)

    assert response.status_code == 200
    assert response.json == {
        "code": 1,
        "message": "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다).",
        "response": None,
    }
    assert store.prepared("order-1")["amount"] == 64900


@pytest.mark.parametrize("amount", [None, "", "abc", 0, -100, "nan", "inf", True, [100]])
def test_prepare_refuses_a_missing_or_invalid_amount(client, auth, store, amount):
    body = {"merchant_uid": "order-1"} | ({} if amount is None else {"amount": amount})

    response = prepare(client, auth, **body)

    assert response.status_code == 400
    assert response.json["code"] == -1
    assert response.json["message"]
    assert response.json["response"] is None
    assert store.prepared("order-1") is None


def test_prepare_refuses_a_missing_merchant_uid(client, auth):
    response = prepare(client, auth, amount=100)

    assert response.status_code == 400
    assert response.json["code"] == -1


def test_put_changes_a_registration(client, auth, validate):
    prepare(client, auth, merchant_uid="order-1", amount=64900, currency="KRW")

    response = prepare(client, auth, method="put", merchant_uid="order-1", amount=59900)

    assert response.status_code == 200
    validate(response.json, "PaymentPrepareResponse")
    assert response.json["response"] == {
        "merchant_uid": "order-1",
        "amount": 59900,
        "currency": "KRW",
    }


def test_put_of_an_unregistered_merchant_uid_is_not_found(client, auth):
    response = prepare(client, auth, method="put", merchant_uid="order-1", amount=100)

    assert response.status_code == 404
    assert response.json == {
        "code": -1,
        "message": "사전등록된 결제정보가 존재하지 않습니다.",
        "response": None,
    }


def test_get_answers_the_registration(client, auth, validate):
    prepare(client, auth, merchant_uid="order-1", amount=64900)

    response = client.get("/payments/prepare/order-1", headers=auth)

    assert response.status_code == 200
    validate(response.json, "PaymentPrepareResponse")
    assert response.json["response"]["amount"] == 64900


def test_get_of_an_unregistered_merchant_uid_is_not_found(client, auth):
    response = client.get("/payments/prepare/order-1", headers=auth)

    assert response.status_code == 404
    assert response.json == {
        "code": -1,
        "message": "사전등록된 결제정보가 존재하지 않습니다.",
        "response": None,
    }
