"""POST /payments/complete: the browser's claim is checked against the gateway's payment."""

import pytest
from sqlalchemy import func, select

from shop.core.extensions import db
from shop.core.ledger import Payment
from shop.core.models import OrderStatus
from tests.conftest import events, order, stock


def test_an_approved_payment_marks_the_order_paid(app, shopper):
    merchant_uid = shopper.buy(product_id=1, quantity=2)
    imp_uid = shopper.pay_in_window(merchant_uid)

    response = shopper.complete(imp_uid, merchant_uid)

    assert response.status_code == 200
    assert response.json["status"] == "success"
    assert response.json["redirect_url"] == f"/orders/{merchant_uid}"
    paid = order(app, merchant_uid)
    assert paid.status == OrderStatus.PAID
    assert paid.paid_at is not None
    assert paid.payments[0].imp_uid == imp_uid
    assert paid.payments[0].amount == 64900 * 2
    assert stock(app) == 12 - 2


def test_repeating_a_verification_changes_nothing(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)

    first = shopper.complete(imp_uid, merchant_uid)
    second = shopper.complete(imp_uid, merchant_uid)

    assert first.json["status"] == second.json["status"] == "success"
    assert stock(app) == 12 - 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Payment.id))) == 1
    # The repeat is answered from what the first stored (tests/payments/test_settled.py).
    assert [(e.outcome, e.order_status_before, e.order_status_after) for e in events(app)] == [
        ("paid", "pending", "paid")
    ]


def test_a_tampered_amount_is_refused_and_the_order_not_paid(app, shopper, sandbox):
    merchant_uid = shopper.buy()  # 64,900원
    forged = sandbox.insert_payment(merchant_uid=merchant_uid, amount=100, status="paid")

    response = shopper.complete(forged["imp_uid"], merchant_uid)

    assert response.status_code == 422
    assert response.json["status"] == "forgery"
    assert "금액" in response.json["message"]
    assert order(app, merchant_uid).status == OrderStatus.FORGED
    assert stock(app) == 12
    assert events(app)[-1].gateway_amount == 100


def test_a_payment_in_another_currency_is_refused(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    usd = sandbox.insert_payment(
        merchant_uid=merchant_uid, amount=64900, currency="USD", status="paid"
    )
    response = shopper.complete(usd["imp_uid"], merchant_uid)
    assert response.json["status"] == "forgery"
    assert order(app, merchant_uid).status == OrderStatus.FORGED


def test_a_payment_of_another_order_is_refused(app, shopper):
    cheap = shopper.buy(product_id=6)  # 15,900원
    cheap_payment = shopper.pay_in_window(cheap)
    expensive = shopper.buy(product_id=2)  # 89,000원

    response = shopper.complete(cheap_payment, expensive)

    assert response.status_code == 409
    assert response.json["status"] == "mismatch"
    assert order(app, expensive).status == OrderStatus.PENDING
    # The gateway says the payment belongs to the cheap order, so that one is now paid.
    assert order(app, cheap).status == OrderStatus.PAID
    assert events(app)[-1].claimed_merchant_uid == expensive
    assert events(app)[-1].detail == f"PortOne: {cheap}의 결제"


def test_same_price_orders_cannot_share_one_payment(app, shopper):
    first = shopper.buy(product_id=3)
    second = shopper.buy(product_id=3)
    imp_uid = shopper.pay_in_window(first)
    assert shopper.complete(imp_uid, first).status_code == 200
    assert shopper.complete(imp_uid, second).status_code == 409
    assert order(app, second).status == OrderStatus.PENDING


def test_a_declined_card_is_reported_with_its_reason_and_can_be_retried(app, shopper):
    merchant_uid = shopper.buy()
    declined = shopper.pay_in_window(merchant_uid, "decline")

    response = shopper.complete(declined, merchant_uid)

    assert response.status_code == 200
    assert response.json["status"] == "failed"
    assert "한도초과" in response.json["reason"]
    assert order(app, merchant_uid).status == OrderStatus.FAILED

    approved = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(approved, merchant_uid).json["status"] == "success"
    assert order(app, merchant_uid).status == OrderStatus.PAID


def test_a_late_failure_never_moves_a_paid_order_back(app, shopper):
    merchant_uid = shopper.buy()
    declined = shopper.pay_in_window(merchant_uid, "decline")
    approved = shopper.pay_in_window(merchant_uid)
    shopper.complete(approved, merchant_uid)

    shopper.complete(declined, merchant_uid)

    assert order(app, merchant_uid).status == OrderStatus.PAID
    last = events(app)[-1]
    assert (last.outcome, last.order_status_before, last.order_status_after) == (
        "failed",
        "paid",
        "paid",
    )


def test_a_virtual_account_answers_with_the_account(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")

    response = shopper.complete(imp_uid, merchant_uid)

    assert response.json["status"] == "vbankIssued"
    account = response.json["vbank"]
    assert account["bank"] and account["number"] and account["due"]
    assert order(app, merchant_uid).status == OrderStatus.VBANK_ISSUED
    assert stock(app) == 12 - 1  # held for the deposit (confirm process), not yet sold
    assert order(app, merchant_uid).paid_at is None


def test_a_closed_window_leaves_the_order_payable(app, shopper):
    merchant_uid = shopper.buy()
    closed = shopper.pay_in_window(merchant_uid, "close")
    response = shopper.complete(closed, merchant_uid)
    assert response.json["status"] == "failed"
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert "결제를 취소하셨습니다" in page
    assert "다시 결제하기" in page


def test_an_unknown_payment_is_not_found(app, shopper):
    merchant_uid = shopper.buy()
    response = shopper.complete("imp_000000000000", merchant_uid)
    assert response.status_code == 404
    assert response.json["status"] == "notFound"
    assert order(app, merchant_uid).status == OrderStatus.PENDING


@pytest.mark.parametrize(
    "body",
    [
        None,
        "not json",
        "[1, 2]",
        '{"merchant_uid": "ord_x"}',
        '{"imp_uid": 12, "merchant_uid": "ord_x"}',
        '{"imp_uid": "imp_1", "merchant_uid": ""}',
    ],
)
def test_missing_or_malformed_json_gets_a_400_with_a_message(app, shopper, body):
    response = shopper.client.post(
        "/payments/complete",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": shopper.csrf_token()},
    )
    assert response.status_code == 400
    assert response.json["message"]
    assert events(app) == []


@pytest.mark.parametrize("imp_uid", ["../users/getToken", "imp 1", "", "x" * 65])
def test_an_imp_uid_of_the_wrong_shape_is_refused_before_any_lookup(app, shopper, imp_uid):
    merchant_uid = shopper.buy()
    response = shopper.complete(imp_uid, merchant_uid)
    assert response.status_code == 400
    assert events(app)[-1].outcome == "invalid"


def test_without_the_csrf_header_nothing_happens(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    response = shopper.client.post(
        "/payments/complete", json={"imp_uid": imp_uid, "merchant_uid": merchant_uid}
    )
    assert response.status_code == 400
    assert "보안 토큰" in response.json["message"]
    assert events(app) == []
    assert order(app, merchant_uid).status == OrderStatus.PENDING


def test_an_unreachable_gateway_answers_pending_and_changes_nothing(app, shopper, gateway_link):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    gateway_link.cut()

    response = shopper.complete(imp_uid, merchant_uid)

    assert response.status_code == 503
    assert response.json["status"] == "pending"
    assert order(app, merchant_uid).status == OrderStatus.PENDING
    assert events(app)[-1].outcome == "unavailable"
