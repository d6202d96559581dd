"""The confirm process's stock holds: nobody takes the stock without paying, and a hold that
no payment follows goes back."""

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus, Product
from shop.storefront.demo import DEMO_PRODUCTS
from tests.conftest import events, order_status, stock

STRANGER, PORTONE = "203.0.113.9", "52.78.100.19"


def all_stock(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Product.stock).order_by(Product.id)))


FULL_STOCK = [item["stock"] for item in DEMO_PRODUCTS]


def whole_catalogue(shopper) -> str:
    """An order of everything the shop has: what the attacker holds if confirm lets them."""
    for product_id, item in enumerate(DEMO_PRODUCTS, start=1):
        shopper.add_to_cart(product_id, item["stock"])
    return shopper.checkout()


def confirm_call(client, merchant_uid, imp_uid, address="127.0.0.1"):
    """What PortOne would send, with the order's true amount."""
    with client.application.app_context():
        amount = db.session.scalars(select(Order.amount).filter_by(merchant_uid=merchant_uid))
        body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "amount": amount.first()}
    return client.post("/payments/confirm", json=body, environ_base={"REMOTE_ADDR": address})


def test_a_made_up_payment_holds_nothing(app, shopper):
    merchant_uid = whole_catalogue(shopper)
    answer = confirm_call(shopper.client, merchant_uid, "imp_100000000001")
    assert answer.status_code == 409
    assert all_stock(app) == FULL_STOCK
    # the next customer buys and pays as if nothing happened
    bought = shopper.buy(quantity=12)
    shopper.complete(shopper.pay_in_window(bought), bought)
    assert order_status(app, bought) == OrderStatus.PAID
    assert stock(app) == 0


def test_someone_elses_waiting_payment_holds_nothing_for_the_attackers_order(app, shopper):
    victim = shopper.buy()
    waiting = shopper.opened_payment(victim)
    attacker = whole_catalogue(shopper)
    assert confirm_call(shopper.client, attacker, waiting).status_code == 409
    assert all_stock(app) == FULL_STOCK


def test_in_live_mode_the_route_is_gone_until_portone_turns_the_process_on(app, shopper):
    merchant_uid = whole_catalogue(shopper)
    waiting = shopper.opened_payment(merchant_uid)  # a real window, left open
    app.config.update(PAYMENT_MODE="live", CONFIRM_PROCESS=False)  # live mode's default
    assert confirm_call(shopper.client, merchant_uid, waiting, STRANGER).status_code == 404
    assert all_stock(app) == FULL_STOCK


def test_only_portones_addresses_may_confirm_when_they_are_listed(app, shopper):
    merchant_uid = whole_catalogue(shopper)
    waiting = shopper.opened_payment(merchant_uid)
    app.config.update(PAYMENT_MODE="live", CONFIRM_PROCESS=True, WEBHOOK_ALLOWED_IPS=(PORTONE,))
    refused = confirm_call(shopper.client, merchant_uid, waiting, STRANGER)
    assert refused.status_code == 403
    assert all_stock(app) == FULL_STOCK
    assert confirm_call(shopper.client, merchant_uid, waiting, PORTONE).status_code == 200
    assert all_stock(app) == [0] * len(FULL_STOCK)


def test_when_portone_cannot_be_asked_nothing_is_held_and_the_sale_goes_on(
    app, shopper, gateway_link
):
    merchant_uid = shopper.buy()
    waiting = shopper.opened_payment(merchant_uid)
    gateway_link.cut()
    assert confirm_call(shopper.client, merchant_uid, waiting).status_code == 200
    assert stock(app) == 12
    assert "재고를 잡지 않고" in events(app, "confirm")[-1].detail


@pytest.fixture
def held(app, shopper):
    """An order whose stock the confirm process held for a payment that never came."""
    app.config["CONFIRM_HOLD_MINUTES"] = 0  # every hold has already run out
    merchant_uid = shopper.buy(quantity=3)
    imp_uid = shopper.opened_payment(merchant_uid)
    assert confirm_call(shopper.client, merchant_uid, imp_uid).status_code == 200
    assert stock(app) == 12 - 3
    return merchant_uid, imp_uid


def test_reconciliation_gives_back_a_hold_nobody_paid_for(app, runner, held):
    merchant_uid, _ = held
    result = runner.invoke(args=["reconcile", "--older-than", "0"])
    assert "결제되지 않은 재고 확보를 풀었습니다" in result.output
    assert stock(app) == 12
    assert order_status(app, merchant_uid) == OrderStatus.PENDING
    runner.invoke(args=["reconcile", "--older-than", "0"])
    assert stock(app) == 12  # given back once
    assert [e.outcome for e in events(app)].count("hold_expired") == 1


def test_reconciliation_gives_back_a_hold_even_for_a_young_order(app, runner, held):
    runner.invoke(args=["reconcile"])  # the order is younger than --older-than's 10 minutes
    assert stock(app) == 12


def test_a_sync_of_the_order_gives_back_an_expired_hold(app, shopper, held):
    merchant_uid, imp_uid = held
    shopper.complete(imp_uid, merchant_uid)  # the window was left: PortOne says `ready`
    assert stock(app) == 12
    with app.app_context():
        order = db.session.scalars(select(Order).filter_by(merchant_uid=merchant_uid)).one()
        assert order.stock_held_until is None and not order.stock_taken


def test_a_paid_order_keeps_its_stock_whatever_the_hold_said(app, shopper, runner):
    app.config["CONFIRM_HOLD_MINUTES"] = 0
    merchant_uid = shopper.buy(quantity=3)
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    runner.invoke(args=["reconcile", "--older-than", "0"])
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert stock(app) == 12 - 3


def test_an_issued_virtual_account_keeps_its_stock_until_its_due_date(app, shopper, runner):
    app.config["CONFIRM_HOLD_MINUTES"] = 0
    merchant_uid = shopper.buy(quantity=3, pay_method="vbank")
    shopper.complete(shopper.pay_in_window(merchant_uid, "vbank"), merchant_uid)
    runner.invoke(args=["reconcile", "--older-than", "0"])
    assert order_status(app, merchant_uid) == OrderStatus.VBANK_ISSUED
    assert stock(app) == 12 - 3
