"""confirm_url (PortOne's confirm process) and the methods and PGs the shop offers."""

import pytest

from shop.core.models import OrderStatus
from tests.conftest import BUYER, events, order_status, stock


def ask(client, merchant_uid, imp_uid, amount=64900, **extra):
    body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "amount": amount} | extra
    return client.post("/payments/confirm", json=body)


def test_a_confirmed_order_holds_its_stock_once(app, shopper):
    merchant_uid = shopper.buy(quantity=2)
    imp_uid = shopper.opened_payment(merchant_uid)

    assert ask(shopper.client, merchant_uid, imp_uid).status_code == 200
    assert ask(shopper.client, merchant_uid, imp_uid).status_code == 200

    assert stock(app) == 12 - 2
    assert [e.outcome for e in events(app, "confirm")] == ["confirmed", "confirmed"]


def test_the_amount_is_what_portone_has_not_what_the_call_says(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    imp_uid = shopper.opened_payment(merchant_uid)
    with app.extensions["sandbox_app"].app_context():
        sandbox.update_payment(imp_uid, lambda payment, checkout: {"amount": 100})
    answer = ask(shopper.client, merchant_uid, imp_uid, amount=64900)
    assert answer.status_code == 409
    assert "결제 금액이 주문 금액과 다릅니다" in answer.json["reason"]
    assert stock(app) == 12


@pytest.mark.parametrize(
    ("imp_uid", "merchant_uid", "reason"),
    [
        ("imp_000000000000", None, "결제 요청을 찾을 수 없습니다"),  # made up
        ("../payments", None, "결제 요청을 찾을 수 없습니다"),
        (None, "ord_nobody", "결제 요청을 찾을 수 없습니다"),  # another order's payment
    ],
)
def test_a_confirm_for_a_payment_portone_does_not_have_holds_nothing(
    app, shopper, imp_uid, merchant_uid, reason
):
    ordered = shopper.buy()
    opened = shopper.opened_payment(ordered)
    answer = ask(shopper.client, merchant_uid or ordered, imp_uid or opened)
    assert answer.status_code == 409
    assert reason in answer.json["reason"]
    assert stock(app) == 12


def test_a_payment_portone_already_decided_holds_nothing(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid, "decline")
    answer = ask(shopper.client, merchant_uid, imp_uid)
    assert answer.status_code == 409
    assert "승인을 기다리는 결제가 아닙니다" in answer.json["reason"]
    assert stock(app) == 12


def test_a_paid_order_is_not_paid_again(app, shopper):
    merchant_uid = shopper.buy()
    second = shopper.open_window(merchant_uid)  # another tab's window, left open
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    answer = ask(shopper.client, merchant_uid, shopper.imp_uid_of(second))
    assert answer.status_code == 409
    assert "결제 완료" in answer.json["reason"]


def test_a_malformed_confirm_gets_a_400(app, client):
    assert client.post("/payments/confirm", data="x").status_code == 400
    assert client.post("/payments/confirm", json={"merchant_uid": 1}).status_code == 400


def test_a_declined_payment_gives_back_the_stock_it_held(app, shopper):
    merchant_uid = shopper.buy()
    opened = shopper.open_window(merchant_uid)
    ask(shopper.client, merchant_uid, shopper.imp_uid_of(opened))  # a confirm came …
    assert stock(app) == 12 - 1
    imp_uid, _ = shopper.decide(opened, "decline")  # … then the PG declined
    shopper.complete(imp_uid, merchant_uid)
    assert order_status(app, merchant_uid) == OrderStatus.FAILED
    assert stock(app) == 12


def test_each_method_can_have_its_own_pg(app, shopper):
    app.config["PORTONE_PG_BY_METHOD"] = {"card": "nice_v2", "trans": "tosspayments"}
    merchant_uid = shopper.buy()
    assert shopper.pay_request(merchant_uid)["pg"] == "nice_v2"
    assert shopper.pay_request(merchant_uid, "trans")["pg"] == "tosspayments"
    assert shopper.pay_request(merchant_uid, "kakaopay")["pg"] == "kakaopay"
    assert shopper.pay_request(merchant_uid, "vbank")["pg"] == "html5_inicis"


def test_only_the_offered_methods_can_be_chosen(app, shopper):
    app.config["PAY_METHODS"] = ("card", "vbank")
    shopper.add_to_cart(1)
    page = shopper.client.get("/checkout").get_data(as_text=True)
    assert "카카오페이" not in page
    data = BUYER | {"pay_method": "kakaopay", "csrf_token": shopper.csrf_token()}
    refused = shopper.client.post("/checkout", data=data)
    assert refused.status_code == 200
    assert "이 상점에서 받는 결제 수단" in refused.get_data(
        as_text=True
    ) or "올바른" in refused.get_data(as_text=True)
    merchant_uid = shopper.buy()
    assert shopper.pay_request(merchant_uid, "kakaopay")["pay_method"] == "card"  # → the order's
