"""`flask --app shop reconcile`: what the callback and the webhook both missed is settled."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from iamport_sandbox import switchboard
from shop.core.extensions import db
from shop.core.models import Order, OrderStatus
from shop.payments.reconcile import reconcile
from tests.conftest import DATABASES, notices, order_status, stock
from tests.invariants import broken_promises

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


def age(app, minutes: int = 30) -> None:
    """Make every order older, as if the customer left a while ago."""
    with app.app_context():
        then = datetime.now(UTC) - timedelta(minutes=minutes)
        db.session.execute(update(Order).values(created_at=then))
        db.session.commit()


def test_a_payment_whose_callback_and_webhook_were_lost_is_settled(app, shopper, runner):
    merchant_uid = shopper.buy()
    shopper.pay_in_window(merchant_uid)  # approved, but nobody tells the shop
    age(app)

    first = runner.invoke(args=["reconcile"])

    assert first.exit_code == 0, first.output
    assert f"{merchant_uid}: 결제 대기 → 결제 완료" in first.output
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert notices(app, merchant_uid) == ["payment_confirmed"]
    assert broken_promises(app) == []

    second = runner.invoke(args=["reconcile"])
    assert second.exit_code == 0
    assert "0건 변경" in second.output
    assert stock(app) == 12 - 1


def test_recent_orders_are_left_to_the_callback_and_the_webhook(app, shopper, runner):
    merchant_uid = shopper.buy()
    shopper.pay_in_window(merchant_uid)

    result = runner.invoke(args=["reconcile", "--older-than", "10"])

    assert "주문 0건 확인" in result.output
    assert order_status(app, merchant_uid) == OrderStatus.PENDING


def test_a_late_approval_whose_webhook_was_lost_is_settled(app, shopper, sandbox, webhooks):
    switchboard.set(sandbox, "webhook_drop", True)
    switchboard.set(sandbox, "window_late_approval_seconds", 1)
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    shopper.complete(imp_uid, merchant_uid)
    webhooks()  # the approval happens; its webhook is dropped
    assert order_status(app, merchant_uid) == OrderStatus.FAILED

    with app.app_context():
        checked = reconcile(app.extensions["portone"], timedelta(0))

    assert [(c.before, c.after) for c in checked] == [(OrderStatus.FAILED, OrderStatus.PAID)]


def test_a_virtual_account_past_its_due_date_expires_after_the_gateway_is_asked(
    app, shopper, runner
):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.complete(imp_uid, merchant_uid)
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/expire")
    age(app)

    result = runner.invoke(args=["reconcile"])

    assert f"{merchant_uid}: 입금 대기 → 입금 기한 만료" in result.output
    assert order_status(app, merchant_uid) == OrderStatus.EXPIRED
    assert stock(app) == 12


def test_an_order_never_paid_stays_pending(app, shopper, runner):
    merchant_uid = shopper.buy()
    age(app)
    result = runner.invoke(args=["reconcile"])
    assert result.exit_code == 0
    assert order_status(app, merchant_uid) == OrderStatus.PENDING


def test_a_gateway_outage_changes_nothing_and_exits_non_zero(app, shopper, runner, gateway_link):
    merchant_uid = shopper.buy()
    shopper.pay_in_window(merchant_uid)
    age(app)
    gateway_link.cut()

    result = runner.invoke(args=["reconcile"])

    assert result.exit_code == 1
    assert "PortOne에 확인하지 못했습니다" in result.output
    assert order_status(app, merchant_uid) == OrderStatus.PENDING


def test_reconciliations_running_at_once_settle_each_order_once(app, shopper):
    paid = [shopper.buy(product_id=1) for _ in range(3)]
    for merchant_uid in paid:
        shopper.pay_in_window(merchant_uid)
    age(app)
    start = threading.Barrier(3)

    def run():
        start.wait()
        with app.app_context():
            reconcile(app.extensions["portone"], timedelta(minutes=10))

    workers = [threading.Thread(target=run) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    assert all(order_status(app, m) == OrderStatus.PAID for m in paid)
    assert stock(app) == 12 - 3
    assert broken_promises(app) == []


def test_a_console_cancel_whose_webhook_was_lost_is_found(app, shopper, runner):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    shopper.complete(imp_uid, merchant_uid)
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/cancel", data={})  # dropped

    result = runner.invoke(args=["reconcile"])

    assert f"{merchant_uid}: 결제 완료 → 환불 완료" in result.output
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert stock(app) == 12
    assert "0건 변경" in runner.invoke(args=["reconcile"]).output
