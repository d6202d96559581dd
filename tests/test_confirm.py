"""confirm_url (PortOne's confirm process) and the methods and PGs the shop offers."""

import pytest

from shop.models import OrderStatus
from tests.conftest import BUYER, events, order_status, stock


def ask(client, merchant_uid, amount=64900, imp_uid="imp_100000000001", **extra):
    body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "amount": amount} | extra
    return client.post("/payments/confirm", json=body)


def test_a_confirmed_order_holds_its_stock_once(app, shopper):
    merchant_uid = shopper.buy(quantity=2)

    assert ask(shopper.client, merchant_uid).status_code == 409  # 2 chairs: 129,800원
    assert ask(shopper.client, merchant_uid, amount=129800).status_code == 200
    assert ask(shopper.client, merchant_uid, amount=129800).status_code == 200

    assert stock(app) == 12 - 2
    assert [e.outcome for e in events(app, "confirm")] == ["refused", "confirmed", "confirmed"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"merchant_uid": "ord_nobody"}, "주문을 찾을 수 없습니다"),
        ({"amount": 100}, "결제 금액이 주문 금액과 다릅니다"),
        ({"amount": "64900"}, "결제 금액이 주문 금액과 다릅니다"),
        ({"currency": "USD"}, "결제 금액이 주문 금액과 다릅니다"),
    ],
)
def test_a_confirm_that_does_not_fit_the_order_stops_the_payment(app, shopper, change, reason):
    merchant_uid = shopper.buy()
    body = {"merchant_uid": merchant_uid} | change
    answer = ask(shopper.client, **body)
    assert answer.status_code == 409
    assert reason in answer.json["reason"]
    assert stock(app) == 12


def test_a_paid_order_is_not_paid_again(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    shopper.complete(imp_uid, merchant_uid)
    answer = ask(shopper.client, merchant_uid)
    assert answer.status_code == 409
    assert "결제 완료" in answer.json["reason"]


def test_a_malformed_confirm_gets_a_400(app, client):
    assert client.post("/payments/confirm", data="x").status_code == 400
    assert client.post("/payments/confirm", json={"merchant_uid": 1}).status_code == 400


def test_a_declined_payment_gives_back_the_stock_it_held(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid, "decline")
    ask(shopper.client, merchant_uid)  # a confirm came (a PG declining after it) …
    assert stock(app) == 12 - 1
    shopper.complete(imp_uid, merchant_uid)  # … then the failure
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
    assert "Not a valid choice" in refused.get_data(as_text=True) or "올바른" in refused.get_data(
        as_text=True
    )
    merchant_uid = shopper.buy()
    assert shopper.pay_request(merchant_uid, "kakaopay")["pay_method"] == "card"  # → the order's
