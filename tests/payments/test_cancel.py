"""주문 취소: the customer who placed an order may cancel it; nobody else; a double click once."""

import re

import pytest

from shop.core.models import OrderStatus
from tests.conftest import Shopper, notices, order_status, stock
from tests.invariants import broken_promises

ACCOUNT = {"refund_holder": "홍길동", "refund_bank": "088", "refund_account": "110-123-456789"}


def cancel(shopper, merchant_uid, clicks=1, **fields):
    """Open the confirmation page, tick the box, press the button `clicks` times."""
    page = shopper.client.get(f"/orders/{merchant_uid}/cancel").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "confirm": "y"} | fields
    answers = [
        shopper.client.post(f"/orders/{merchant_uid}/cancel", data=data) for _ in range(clicks)
    ]
    return answers[-1]


def test_an_unpaid_order_is_cancelled_by_the_customer(app, shopper):
    merchant_uid = shopper.buy()
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert f"/orders/{merchant_uid}/cancel" not in page  # not offered, but the route takes it

    answer = cancel(shopper, merchant_uid)

    assert answer.status_code == 302
    assert order_status(app, merchant_uid) == OrderStatus.CANCELLED
    assert notices(app, merchant_uid) == ["cancelled"]
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert "주문이 취소되었습니다" in page


def test_a_paid_order_is_refunded_in_full_and_a_double_click_refunds_once(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    shopper.complete(imp_uid, merchant_uid)

    answer = cancel(shopper, merchant_uid, clicks=2)

    assert answer.status_code == 302
    assert "이미 취소된 주문입니다" in shopper.client.get(answer.location).get_data(as_text=True)
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert len(sandbox.get_payment(imp_uid)["cancel_history"]) == 1
    assert stock(app) == 12
    assert broken_promises(app) == []


def test_an_issued_virtual_account_is_closed_when_the_order_is_cancelled(app, shopper, sandbox):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.complete(imp_uid, merchant_uid)
    assert stock(app) == 12 - 1  # held while the account waits

    cancel(shopper, merchant_uid)

    assert order_status(app, merchant_uid) == OrderStatus.CANCELLED
    assert sandbox.get_payment(imp_uid)["status"] == "cancelled"
    assert stock(app) == 12
    deposit = shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    assert deposit.status_code == 409  # the bank no longer takes money into it


def test_a_paid_virtual_account_is_refunded_to_the_account_the_customer_names(
    app, shopper, sandbox
):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    shopper.complete(imp_uid, merchant_uid)
    assert order_status(app, merchant_uid) == OrderStatus.PAID

    missing = cancel(shopper, merchant_uid)
    assert missing.status_code == 200
    assert "예금주를 입력해 주세요" in missing.get_data(as_text=True)

    cancel(shopper, merchant_uid, **ACCOUNT)

    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert sandbox.get_payment(imp_uid)["cancel_history"][0]["amount"] == 64900


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_session_that_placed_the_order_may_cancel_it(app, shopper, method):
    merchant_uid = shopper.buy()
    stranger = Shopper(app.test_client())

    path = f"/orders/{merchant_uid}/cancel"
    if method == "get":
        answer = stranger.client.get(path)
    else:  # with a valid token of the stranger's own session
        answer = stranger.client.post(
            path, data={"csrf_token": stranger.csrf_token(), "confirm": "y"}
        )

    assert (answer.status_code, answer.headers["Location"]) == (302, "/orders/lookup")
    assert order_status(app, merchant_uid) == OrderStatus.PENDING
    assert "주문 취소" not in stranger.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)


def test_a_cancel_needs_the_confirmation_box(app, shopper):
    merchant_uid = shopper.buy()
    answer = cancel(shopper, merchant_uid, confirm="")
    assert "확인란을 선택해 주세요" in answer.get_data(as_text=True)
    assert order_status(app, merchant_uid) == OrderStatus.PENDING


def test_the_account_number_is_never_stored(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    shopper.complete(imp_uid, merchant_uid)
    cancel(shopper, merchant_uid, **ACCOUNT)
    from shop.core.extensions import db

    with app.app_context():
        dump = "\n".join(db.session.connection().connection.driver_connection.iterdump())
    assert "123456789" not in dump
