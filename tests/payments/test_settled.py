"""A settled payment verified again is answered from what the shop stored: no gateway call,
no write. These tests cut the shop off from PortOne before the repeat, so an answer that still
needed the gateway shows up as a 503."""

import pytest
from sqlalchemy import update

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus
from tests.conftest import DATABASES, events, order
from tests.payments.test_cancel import cancel

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


def paid(shopper) -> tuple[str, str]:
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid, imp_uid


def test_a_paid_order_is_confirmed_again_without_portone(app, shopper, gateway_link):
    merchant_uid, imp_uid = paid(shopper)
    gateway_link.cut()

    again = shopper.complete(imp_uid, merchant_uid)

    assert again.status_code == 200
    assert again.json["status"] == "success"
    assert again.json["redirect_url"] == f"/orders/{merchant_uid}"
    assert len(events(app)) == 1  # nothing written for the repeat


def test_the_phone_return_of_a_paid_order_needs_no_portone(app, shopper, gateway_link):
    merchant_uid, imp_uid = paid(shopper)
    gateway_link.cut()

    page = shopper.client.get(
        f"/payments/complete/mobile?imp_uid={imp_uid}&merchant_uid={merchant_uid}&imp_success=false"
    )

    assert page.status_code == 200
    assert "결제가 완료되었습니다" in page.get_data(as_text=True)
    assert len(events(app)) == 1


def test_a_payment_the_webhook_settled_first_is_confirmed_from_storage(
    app, shopper, webhooks, gateway_link
):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    webhooks()
    assert order(app, merchant_uid).status == OrderStatus.PAID
    gateway_link.cut()

    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"


def test_a_declined_payment_is_asked_about_again(app, shopper, gateway_link):
    """PortOne may still approve it late (tests/payments/test_gateway_faults.py)."""
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid, "decline")
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "failed"
    gateway_link.cut()

    assert shopper.complete(imp_uid, merchant_uid).status_code == 503


def test_a_refunded_payment_is_told_cancelled_from_storage(app, shopper, gateway_link):
    merchant_uid, imp_uid = paid(shopper)
    cancel(shopper, merchant_uid)
    assert order(app, merchant_uid).status == OrderStatus.REFUNDED
    gateway_link.cut()

    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "cancelled"


def test_an_open_virtual_account_is_asked_about_every_time(app, shopper, gateway_link):
    """A deposit may have arrived since: only PortOne knows."""
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "vbankIssued"
    gateway_link.cut()

    assert shopper.complete(imp_uid, merchant_uid).status_code == 503


def test_a_claim_for_another_order_goes_to_the_gateway(app, shopper):
    _, imp_uid = paid(shopper)
    other = shopper.buy()

    mismatch = shopper.complete(imp_uid, other)

    assert mismatch.status_code == 409
    assert [e.outcome for e in events(app)] == ["paid", "mismatch"]


def test_an_order_that_owes_money_back_is_synced_again(app, shopper, gateway_link):
    """Paid, but its stock was never taken: the sync refunds it, so storage cannot answer."""
    merchant_uid, imp_uid = paid(shopper)
    with app.app_context():
        db.session.execute(
            update(Order).where(Order.merchant_uid == merchant_uid).values(stock_taken=False)
        )
        db.session.commit()
    gateway_link.cut()

    assert shopper.complete(imp_uid, merchant_uid).status_code == 503
