"""Money goes back once, by itself where nobody should have to ask, and never more than was paid."""

import threading

import pytest
import requests
from sqlalchemy import select, update

from iamport_sandbox import switchboard
from shop.core.extensions import db
from shop.core.ledger import Refund, RefundState
from shop.core.models import OrderStatus, Product
from shop.payments.cancellation import refund
from shop.payments.refunds import RefundRefused
from tests.conftest import DATABASES, Shopper, notices, order_status, stock
from tests.invariants import broken_promises

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


def gateway_payment(sandbox, imp_uid) -> dict:
    return sandbox.get_payment(imp_uid)


def refunds_of(app) -> list[Refund]:
    with app.app_context():
        return list(db.session.execute(select(Refund).order_by(Refund.id)).scalars())


def paid(shopper, product_id=1, **fields):
    merchant_uid = shopper.buy(product_id=product_id, **fields)
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid, imp_uid


def test_a_forged_amount_is_refunded_once_however_often_it_is_verified(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    switchboard.set(sandbox, "window_reported_amount", 100)
    imp_uid = shopper.pay_in_window(merchant_uid)

    for _ in range(3):
        answer = shopper.complete(imp_uid, merchant_uid)
        assert answer.status_code == 422

    assert order_status(app, merchant_uid) == OrderStatus.FORGED
    assert gateway_payment(sandbox, imp_uid)["status"] == "cancelled"
    assert len(gateway_payment(sandbox, imp_uid)["cancel_history"]) == 1
    assert [(r.cause, r.state) for r in refunds_of(app)] == [("forged", RefundState.DONE)]
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert "자동으로 환불" in page
    assert stock(app) == 12
    assert broken_promises(app) == []


def test_the_operator_refunds_in_part_then_in_full_and_never_beyond(app, shopper, runner):
    merchant_uid, _ = paid(shopper)

    part = runner.invoke(args=["refund", merchant_uid, "--amount", "10000", "--reason", "반품"])
    assert part.exit_code == 0, part.output
    assert order_status(app, merchant_uid) == OrderStatus.PARTIALLY_REFUNDED

    too_much = runner.invoke(args=["refund", merchant_uid, "--amount", "60000"])
    assert too_much.exit_code == 1
    assert "54,900원까지" in too_much.output

    rest = runner.invoke(args=["refund", merchant_uid])
    assert rest.exit_code == 0, rest.output
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert [r.checksum for r in refunds_of(app)] == [64900, 54900]
    assert stock(app) == 12
    assert notices(app, merchant_uid) == ["payment_confirmed", "refunded", "refunded"]  # each

    again = runner.invoke(args=["refund", merchant_uid])
    assert again.exit_code == 1
    assert "환불할 결제가 없습니다" in again.output


def test_a_refusal_inside_an_http_200_is_shown_not_swallowed(app, shopper, runner):
    merchant_uid, _ = paid(shopper)
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/cancel", RefusingCancel())

    result = runner.invoke(args=["refund", merchant_uid])

    assert result.exit_code == 1
    assert "PortOne이 환불을 거절했습니다: 취소 가능 기간이 지났습니다" in result.output
    assert [r.state for r in refunds_of(app)] == [RefundState.REFUSED]
    assert order_status(app, merchant_uid) == OrderStatus.PAID


class RefusingCancel(requests.adapters.BaseAdapter):
    def send(self, request, **kwargs):
        answer = requests.Response()
        answer.status_code = 200
        answer._content = (
            '{"code": 1, "message": "취소 가능 기간이 지났습니다", "response": null}'.encode()
        )
        answer.request, answer.url = request, request.url
        return answer

    def close(self):
        pass


class LosingTheAnswer(requests.adapters.BaseAdapter):
    """The cancel reaches PortOne and is carried out; its answer never comes back."""

    def __init__(self, working):
        super().__init__()
        self.working = working

    def send(self, request, **kwargs):
        self.working.send(request, **kwargs)
        raise requests.ReadTimeout("answer lost")

    def close(self):
        pass


def test_a_lost_answer_leaves_the_refund_unknown_and_a_retry_never_cancels_twice(
    app, shopper, sandbox, runner
):
    merchant_uid, imp_uid = paid(shopper)
    gateway = app.extensions["portone"]
    working = gateway.session.get_adapter(gateway.base_url + "/")
    gateway.session.mount(gateway.base_url + "/payments/cancel", LosingTheAnswer(working))

    lost = runner.invoke(args=["refund", merchant_uid, "--amount", "10000"])
    assert lost.exit_code == 1
    assert "확인하지 못했습니다" in lost.output
    assert [r.state for r in refunds_of(app)] == [RefundState.UNKNOWN]

    gateway.session.adapters.pop(gateway.base_url + "/payments/cancel")
    retry = runner.invoke(args=["refund", merchant_uid, "--amount", "10000"])

    assert retry.exit_code == 0, retry.output
    assert len(gateway_payment(sandbox, imp_uid)["cancel_history"]) == 1
    assert gateway_payment(sandbox, imp_uid)["cancel_amount"] == 10000
    assert [r.state for r in refunds_of(app)] == [RefundState.DONE]
    assert order_status(app, merchant_uid) == OrderStatus.PARTIALLY_REFUNDED


def test_refunds_asked_for_at_once_reach_portone_once(app, shopper, sandbox):
    merchant_uid, imp_uid = paid(shopper)
    start = threading.Barrier(4)
    outcomes = []

    def ask():
        start.wait()
        with app.app_context():
            try:
                refund(app.extensions["portone"], merchant_uid, "동시 요청")
                outcomes.append("refunded")
            except RefundRefused as refusal:
                db.session.rollback()
                outcomes.append(refusal.message)

    workers = [threading.Thread(target=ask) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)

    assert outcomes.count("refunded") == 1, outcomes
    assert len(gateway_payment(sandbox, imp_uid)["cancel_history"]) == 1
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert stock(app) == 12


def test_a_console_cancel_is_not_refunded_again(app, shopper, sandbox, webhooks):
    merchant_uid, imp_uid = paid(shopper)
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/cancel", data={})
    webhooks()
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert refunds_of(app) == []  # the shop asked for nothing: the money was already back


def test_the_last_unit_is_sold_once_the_second_window_is_stopped_by_the_confirm(
    app, shopper, sandbox
):
    with app.app_context():
        db.session.execute(update(Product).where(Product.id == 1).values(stock=1))
        db.session.commit()
    first = shopper.buy()
    other_buyer = Shopper(app.test_client())
    second = other_buyer.buy()  # checked out while one was still left
    shopper.pay_in_window(first)

    imp_uid = other_buyer.pay_in_window(second)

    assert gateway_payment(sandbox, imp_uid)["status"] == "failed"
    assert "재고가 부족합니다" in gateway_payment(sandbox, imp_uid)["fail_reason"]
    assert stock(app) == 0


def test_without_the_confirm_process_a_payment_for_goods_gone_is_refunded(app):
    app.config["CONFIRM_PROCESS"] = False  # as in live mode until PortOne enables it
    with app.app_context():
        db.session.execute(update(Product).where(Product.id == 1).values(stock=1))
        db.session.commit()
    buyers = [Shopper(app.test_client()), Shopper(app.test_client())]
    orders = [buyer.buy() for buyer in buyers]
    paid_uids = [buyer.pay_in_window(m) for buyer, m in zip(buyers, orders, strict=True)]

    answers = [b.complete(i, m) for b, i, m in zip(buyers, paid_uids, orders, strict=True)]

    assert [a.json["status"] for a in answers] == ["success", "cancelled"]
    assert order_status(app, orders[1]) == OrderStatus.REFUNDED
    assert [r.cause for r in refunds_of(app)] == ["out_of_stock"]
    page = buyers[1].client.get(f"/orders/{orders[1]}").get_data(as_text=True)
    assert "재고가 부족해" in page
    assert stock(app) == 0


def test_a_virtual_account_is_closed_when_the_order_is_paid_another_way(app, shopper, sandbox):
    merchant_uid = shopper.buy(pay_method="vbank")
    account = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.complete(account, merchant_uid)
    by_card = shopper.pay_request(merchant_uid, "card")  # changed their mind: a card after all
    card = shopper.pay_in_window(merchant_uid, request=by_card)

    assert shopper.complete(card, merchant_uid).json["status"] == "success"

    assert gateway_payment(sandbox, account)["status"] == "cancelled"  # revoked, never paid
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert stock(app) == 12 - 1
    assert broken_promises(app) == []


def test_a_payment_through_a_test_channel_is_refunded_in_live_mode(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert gateway_payment(sandbox, imp_uid)["sandbox"] is True
    app.config["PAYMENT_MODE"] = "live"  # as if the live shop received a test-mode payment

    shopper.complete(imp_uid, merchant_uid)

    assert [r.cause for r in refunds_of(app)] == ["test_channel"]
    assert gateway_payment(sandbox, imp_uid)["status"] == "cancelled"
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED


def test_a_payment_through_a_pg_the_shop_does_not_use_is_refunded_in_live_mode(
    app, shopper, sandbox
):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    sandbox.update_payment(imp_uid, lambda payment, checkout: {"sandbox": False})
    app.config |= {"PAYMENT_MODE": "live", "PORTONE_PG": "nice_v2.iamport00m"}

    shopper.complete(imp_uid, merchant_uid)

    assert [r.cause for r in refunds_of(app)] == ["test_channel"]
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED


def test_in_live_mode_a_payment_through_the_shops_own_pg_is_kept(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    sandbox.update_payment(imp_uid, lambda payment, checkout: {"sandbox": False})
    app.config["PAYMENT_MODE"] = "live"

    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    assert refunds_of(app) == []


def test_a_callback_naming_another_order_never_gets_that_orders_address(app, shopper, sandbox):
    victim = shopper.buy(product_id=2)
    merchant_uid = shopper.buy()
    switchboard.set(sandbox, "window_reported_amount", 100)
    forged = shopper.pay_in_window(merchant_uid)

    answer = shopper.complete(forged, victim)

    assert answer.status_code == 409
    assert answer.json["status"] == "mismatch"
    assert merchant_uid not in answer.get_data(as_text=True)
    assert order_status(app, merchant_uid) == OrderStatus.FORGED  # and refunded by itself


def test_money_on_a_refunded_order_is_refunded_and_a_repeat_changes_nothing(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    kept = shopper.pay_request(merchant_uid)  # a tab kept open since checkout
    first = shopper.pay_in_window(merchant_uid)  # its callback comes late
    shopper.client.post(f"/sandbox/dashboard/payments/{first}/cancel", data={})  # webhook lost
    again = shopper.pay_in_window(merchant_uid, request=kept)
    shopper.complete(first, merchant_uid)
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED

    answers = [shopper.complete(again, merchant_uid).json["status"] for _ in range(2)]

    assert answers == ["cancelled", "cancelled"]
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert gateway_payment(sandbox, again)["status"] == "cancelled"
    assert [r.cause for r in refunds_of(app)] == ["cancelled_order"]
    assert stock(app) == 12
    assert broken_promises(app) == []
