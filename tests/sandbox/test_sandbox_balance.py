"""GET /payments/{imp_uid}/balance, PortOne's 결제 상세내역 that its Node client calls."""

import pytest

NOT_FOUND = {"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": None}
NOTHING = {"tax_free": 0, "supply": 0, "vat": 0, "service": 0}


def balance(client, auth, imp_uid):
    return client.get(f"/payments/{imp_uid}/balance", headers=auth)


def taxed(supply, vat):
    return {"tax_free": 0, "supply": supply, "vat": vat, "service": 0}


@pytest.fixture
def paid(store, clock):
    return store.insert_payment(amount=10000, status="paid", paid_at=clock.now - 60)


def test_a_paid_payment_is_all_primary_with_its_vat(client, auth, paid, validate):
    response = balance(client, auth, paid["imp_uid"])

    assert response.status_code == 200
    validate(response.json, "PaymentBalanceResponse")
    assert response.json["response"] == {
        "amount": 10000,
        "primary": taxed(9091, 909),
        "secondary": NOTHING,
        "discount": NOTHING,
        "cash_receipt": NOTHING,
        "histories": [
            {
                "created": paid["paid_at"],
                "primary": taxed(9091, 909),
                "secondary": NOTHING,
                "discount": NOTHING,
                "cash_receipt": NOTHING,
            }
        ],
    }


def test_cancels_leave_what_is_left_and_add_to_the_history(client, auth, clock, paid):
    client.post("/payments/cancel", json={"imp_uid": paid["imp_uid"], "amount": 3000}, headers=auth)
    clock.advance(60)
    client.post("/payments/cancel", json={"imp_uid": paid["imp_uid"]}, headers=auth)

    answer = balance(client, auth, paid["imp_uid"]).json["response"]

    assert answer["amount"] == 0
    assert answer["primary"] == NOTHING
    assert [(entry["created"], entry["primary"]) for entry in answer["histories"]] == [
        (paid["paid_at"], taxed(9091, 909)),
        (clock.now - 60, taxed(6364, 636)),
        (clock.now, NOTHING),
    ]


def test_a_cash_receipt_covers_the_primary_part(client, auth, store):
    imp_uid = store.insert_payment(
        pay_method="trans", amount=5500, status="paid", cash_receipt_issued=True
    )["imp_uid"]

    answer = balance(client, auth, imp_uid).json["response"]

    assert answer["cash_receipt"] == answer["primary"] == taxed(5000, 500)


def test_other_currencies_keep_cents(client, auth, store):
    imp_uid = store.insert_payment(amount=10.3, currency="USD", status="paid")["imp_uid"]

    answer = balance(client, auth, imp_uid).json["response"]

    assert answer["amount"] == 10.3
    assert answer["primary"] == taxed(9.36, 0.94)


@pytest.mark.parametrize("status", ["ready", "failed"])
def test_a_payment_never_paid_has_no_balance(client, auth, store, status, validate):
    imp_uid = store.insert_payment(status=status)["imp_uid"]

    response = balance(client, auth, imp_uid)

    validate(response.json, "PaymentBalanceResponse")
    assert response.json["response"]["amount"] == 0
    assert response.json["response"]["histories"] == []


def test_a_revoked_virtual_account_has_no_balance(client, auth, window):
    imp_uid = window.opened({"pay_method": "vbank"})
    window.decide(imp_uid, "vbank")
    client.delete(f"/vbanks/{imp_uid}", headers=auth)

    assert balance(client, auth, imp_uid).json["response"]["histories"] == []


def test_an_unknown_payment_is_not_found(client, auth):
    response = balance(client, auth, "imp_000000000000")

    assert response.status_code == 404
    assert response.json == NOT_FOUND


def test_balance_needs_a_token(client, paid):
    response = client.get(f"/payments/{paid['imp_uid']}/balance")

    assert response.status_code == 401
    assert response.json["response"] is None


@pytest.mark.parametrize(
    "word, status, message",
    [
        ("cancel", 404, "존재하지 않는 API입니다."),
        ("prepare", 404, "사전등록된 결제정보가 존재하지 않습니다."),  # merchant_uid "balance"
        ("find", 404, "존재하지 않는 결제정보입니다."),  # merchant_uid "balance"
        ("status", 400, "지원되지 않는 상태값입니다."),  # status "balance"
    ],
)
def test_a_reserved_word_is_no_imp_uid(client, auth, word, status, message):
    """/payments/{word}/balance is never the balance of a payment whose imp_uid is the word."""
    response = balance(client, auth, word)

    assert (response.status_code, response.json["message"]) == (status, message)
    assert response.json["response"] is None
