"""The 주문서 opens the payment window itself: checkout.js posts the form with jQuery.ajax and
gets the order's IMP.request_pay parameters back, or errors to show beside the fields. One
checkout stays one order however often 결제하기 is pressed, until its lines change."""

import re

from sqlalchemy import func, select

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus, Product
from shop.payments.gateway import GatewayError
from tests.conftest import BUYER, order

AJAX = {"Accept": "application/json, text/javascript, */*; q=0.01"}


def post_checkout(shopper, **fields):
    data = BUYER | {"csrf_token": shopper.csrf_token()} | fields
    return shopper.client.post("/checkout", data=data, headers=AJAX)


def orders_made(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Order.id)))


def test_the_ajax_checkout_answers_with_the_stored_orders_pay_request(app, shopper, sandbox):
    shopper.add_to_cart(1, 2)
    answer = post_checkout(shopper)
    assert answer.status_code == 200
    request = answer.get_json()["request"]
    placed = order(app, request["merchant_uid"])
    assert request["amount"] == placed.amount == 64900 * 2
    assert request["custom_data"] == {"order_number": placed.number}
    assert sandbox.prepared(placed.merchant_uid)["amount"] == placed.amount
    assert answer.get_json()["resultUrl"] == f"/orders/{placed.merchant_uid}"


def test_field_errors_come_back_by_field_and_nothing_is_placed(app, shopper):
    shopper.add_to_cart(1)
    answer = post_checkout(shopper, buyer_tel="12345", agree_electronic_finance="")
    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert errors == [  # in the order of the page
        {"field": "buyer_tel", "messages": ["예: 010-1234-5678 형식으로 입력해 주세요."]},
        {
            "field": "agree_electronic_finance",
            "messages": ["전자금융거래 이용약관 동의가 필요합니다."],
        },
    ]
    assert orders_made(app) == 0


def test_a_stale_page_is_told_to_reload(app, shopper):
    shopper.add_to_cart(1)
    answer = post_checkout(shopper, csrf_token="stale")
    assert answer.status_code == 400
    assert "새로 고친 뒤" in answer.get_json()["message"]


def test_a_shortage_is_a_409_with_the_products_name(app, shopper):
    shopper.add_to_cart(1, 2)
    with app.app_context():
        db.session.get(Product, 1).stock = 1  # sold while the 주문서 was open
        db.session.commit()
    answer = post_checkout(shopper)
    assert answer.status_code == 409
    assert "재고가 부족합니다" in answer.get_json()["message"]
    assert orders_made(app) == 0


def test_an_unreachable_portone_is_a_503_and_keeps_no_order(app, shopper, monkeypatch):
    def refuse(*args, **kwargs):
        raise GatewayError("PortOne에 연결하지 못했습니다.")

    monkeypatch.setattr(app.extensions["portone"], "prepare", refuse)
    shopper.add_to_cart(1)
    answer = post_checkout(shopper)
    assert answer.status_code == 503
    assert "결제 준비 중 문제가 생겼습니다" in answer.get_json()["message"]
    assert orders_made(app) == 0


def test_an_empty_cart_is_sent_back_to_the_catalogue(app, shopper):
    answer = post_checkout(shopper)
    assert answer.status_code == 409
    assert answer.get_json()["redirect_url"] == "/"


def test_paying_again_after_a_decline_keeps_one_order_with_both_attempts(app, shopper):
    shopper.add_to_cart(1)
    first = post_checkout(shopper).get_json()["request"]["merchant_uid"]
    shopper.complete(shopper.pay_in_window(first, "decline"), first)
    assert order(app, first).status == OrderStatus.FAILED

    again = post_checkout(shopper, buyer_name="김철수").get_json()["request"]
    assert again["merchant_uid"] == first
    assert again["buyer_name"] == "김철수"
    shopper.complete(shopper.pay_in_window(first), first)
    paid = order(app, first)
    assert paid.status == OrderStatus.PAID
    assert len(paid.payments) == 2
    assert orders_made(app) == 1


def test_a_changed_cart_is_a_new_order(app, shopper):
    shopper.add_to_cart(1)
    first = post_checkout(shopper).get_json()["request"]["merchant_uid"]
    shopper.add_to_cart(3)
    second = post_checkout(shopper).get_json()["request"]["merchant_uid"]
    assert second != first
    assert order(app, second).amount == 64900 + 19800


def test_a_paid_checkout_is_never_reused(app, shopper):
    shopper.add_to_cart(1)
    first = post_checkout(shopper).get_json()["request"]["merchant_uid"]
    shopper.complete(shopper.pay_in_window(first), first)
    shopper.add_to_cart(1)
    assert post_checkout(shopper).get_json()["request"]["merchant_uid"] != first


def test_the_delivery_details_are_stored_on_the_order(app, shopper):
    shopper.add_to_cart(1)
    answer = post_checkout(
        shopper,
        same_as_buyer="",
        recipient_name="김영희",
        recipient_tel="01098765432",
        address_detail="4층 401호",
        delivery_memo="typed",
        delivery_memo_typed="공동현관 비밀번호 #1234",
    )
    placed = order(app, answer.get_json()["request"]["merchant_uid"])
    assert (placed.recipient_name, placed.recipient_tel) == ("김영희", "01098765432")
    assert placed.delivery_address == "서울특별시 강남구 테헤란로 123 4층 401호"
    assert placed.delivery_memo == "공동현관 비밀번호 #1234"


def test_the_same_as_buyer_box_makes_the_buyer_the_recipient(app, shopper):
    shopper.add_to_cart(1)
    answer = post_checkout(shopper, recipient_name="무시됨", delivery_memo="경비실에 맡겨 주세요")
    placed = order(app, answer.get_json()["request"]["merchant_uid"])
    assert (placed.recipient_name, placed.recipient_tel) == (
        BUYER["buyer_name"],
        BUYER["buyer_tel"],
    )
    assert placed.delivery_memo == "경비실에 맡겨 주세요"


def test_the_next_checkout_offers_the_last_buyer_and_address_again(app, shopper):
    shopper.add_to_cart(1)
    post_checkout(shopper, address_detail="4층 401호")
    page = shopper.client.get("/checkout").get_data(as_text=True)
    assert f'value="{BUYER["buyer_email"]}"' in page
    assert 'value="4층 401호"' in page
    consent = re.search(r"<input[^>]*agree_purchase[^>]*>", page).group(0)
    assert "checked" not in consent  # agreed anew on every order


def test_back_after_paying_shows_the_paid_order(app, shopper):
    shopper.add_to_cart(1)
    first = post_checkout(shopper).get_json()["request"]["merchant_uid"]
    shopper.complete(shopper.pay_in_window(first), first)
    shopper.client.get("/cart")  # the next request empties the cart of what was paid
    response = shopper.client.get("/checkout")
    assert response.headers["Location"] == f"/orders/{first}"
