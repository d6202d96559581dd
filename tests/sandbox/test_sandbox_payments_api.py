import pytest

NOT_FOUND = {"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": None}


@pytest.mark.parametrize("status", ["ready", "paid", "failed", "cancelled"])
def test_payment_lookup_answers_the_spec_payment_object(client, auth, store, validate, status):
    payment = store.insert_payment(merchant_uid="order-1", amount=64900, status=status)

    response = client.get(f"/payments/{payment['imp_uid']}", headers=auth)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    validate(response.json, "PaymentResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    assert response.json["response"] == payment


def test_fresh_payment_uses_zero_null_and_empty_for_what_is_unset(client, auth, store):
    imp_uid = store.insert_payment()["imp_uid"]

    payment = client.get(f"/payments/{imp_uid}", headers=auth).json["response"]

    assert [payment[key] for key in ("paid_at", "failed_at", "cancelled_at")] == [0, 0, 0]
    assert [payment[key] for key in ("vbank_date", "vbank_issued_at", "card_quota")] == [0, 0, 0]
    assert [payment[key] for key in ("pg_tid", "fail_reason", "receipt_url")] == [None] * 3
    assert payment["cancel_history"] == []
    assert payment["cancel_receipt_urls"] == []
    assert payment["deposit_history"] == []
    assert payment["sandbox"] is True
    assert payment["escrow"] is False
    assert payment["cash_receipt_issued"] is False


def test_unknown_payment_is_not_found(client, auth):
    response = client.get("/payments/imp_000000000000", headers=auth)

    assert response.status_code == 404
    assert response.json == NOT_FOUND


@pytest.fixture
def attempts(store, clock):
    """Three attempts at one order: failed, then paid, then an unfinished one."""
    failed = store.insert_payment(merchant_uid="order-1", status="failed")
    clock.advance(60)
    paid = store.insert_payment(merchant_uid="order-1", status="paid")
    clock.advance(60)
    ready = store.insert_payment(merchant_uid="order-1")
    store.insert_payment(merchant_uid="order-2", status="paid")
    return {"failed": failed, "paid": paid, "ready": ready}


def test_find_answers_the_newest_attempt(client, auth, attempts, validate):
    response = client.get("/payments/find/order-1", headers=auth)

    assert response.status_code == 200
    validate(response.json, "PaymentResponse")
    assert response.json["response"]["imp_uid"] == attempts["ready"]["imp_uid"]


@pytest.mark.parametrize("status", ["failed", "paid", "ready"])
def test_find_with_a_status_answers_the_newest_in_that_status(client, auth, attempts, status):
    response = client.get(f"/payments/find/order-1/{status}", headers=auth)

    assert response.json["response"]["imp_uid"] == attempts[status]["imp_uid"]


@pytest.mark.parametrize(
    "sorting, expected",
    [
        ("-started", "ready"),
        ("started", "failed"),
        ("-paid", "paid"),
        ("-updated", "ready"),
        ("updated", "failed"),
    ],
)
def test_find_follows_the_sorting(client, auth, attempts, sorting, expected):
    response = client.get(f"/payments/find/order-1?sorting={sorting}", headers=auth)

    assert response.json["response"]["imp_uid"] == attempts[expected]["imp_uid"]


@pytest.mark.parametrize("path", ["/payments/find/order-9", "/payments/find/order-1/cancelled"])
def test_find_without_a_match_is_not_found(client, auth, attempts, path):
    response = client.get(path, headers=auth)

    assert response.status_code == 404
    assert response.json == NOT_FOUND


def test_find_rejects_an_unknown_status(client, auth, attempts):
    response = client.get("/payments/find/order-1/refunded", headers=auth)

    assert response.status_code == 400
    assert response.json["code"] == -1
    assert response.json["message"] == "지원되지 않는 상태값입니다."


def test_find_rejects_an_unknown_sorting(client, auth, attempts):
    response = client.get("/payments/find/order-1?sorting=amount", headers=auth)

    assert response.status_code == 400
    assert response.json["code"] == -1


@pytest.mark.parametrize("path", ["/payments/{imp_uid}/", "/payments/find/order-1/"])
def test_a_trailing_slash_is_tolerated(client, auth, store, path):
    imp_uid = store.insert_payment(merchant_uid="order-1")["imp_uid"]

    response = client.get(path.format(imp_uid=imp_uid), headers=auth)

    assert response.status_code == 200
    assert response.json["response"]["imp_uid"] == imp_uid
