"""Cart and checkout: the server prices the order and registers it with the gateway first."""

import pytest
from sqlalchemy import func, select

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus
from shop.payments.gateway import GatewayError
from tests.conftest import BUYER, order


def only_order(app) -> Order:
    with app.app_context():
        found = db.session.execute(select(Order)).scalar_one()
        found.lines  # noqa: B018
        return found


def order_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Order.id)))


def test_the_order_amount_comes_from_the_database_whatever_the_form_says(app, shopper, sandbox):
    shopper.add_to_cart(1, 2)  # 64,900원 × 2
    shopper.add_to_cart(3, 1)  # 19,800원
    merchant_uid = shopper.checkout(amount="100", price="1", total="1")

    placed = only_order(app)
    assert placed.merchant_uid == merchant_uid
    assert placed.amount == 64900 * 2 + 19800
    assert placed.status == OrderStatus.PENDING
    assert [(line.name, line.unit_price, line.quantity) for line in placed.lines] == [
        ("노르웨이 회전 의자", 64900, 2),
        ("리넨 쿠션 커버", 19800, 1),
    ]
    assert placed.name == "노르웨이 회전 의자 외 1건"
    assert sandbox.prepared(merchant_uid)["amount"] == placed.amount


def test_the_pay_request_carries_the_stored_order(app, shopper):
    merchant_uid = shopper.buy(product_id=1, address_detail="4층 401호")
    request = shopper.pay_request(merchant_uid)
    assert request == {
        "pg": "html5_inicis",
        "pay_method": "card",
        "merchant_uid": merchant_uid,
        "name": "노르웨이 회전 의자",
        "amount": 64900,
        "currency": "KRW",
        "buyer_email": BUYER["buyer_email"],
        "buyer_name": BUYER["buyer_name"],
        "buyer_tel": BUYER["buyer_tel"],
        "buyer_addr": BUYER["buyer_addr"] + " 4층 401호",
        "buyer_postcode": BUYER["buyer_postcode"],
        "m_redirect_url": "http://shop.test/payments/complete/mobile",
        "notice_url": "http://shop.test/payments/webhook",
        "confirm_url": "http://shop.test/payments/confirm",
        "custom_data": {"order_number": order(app, merchant_uid).number},
    }


def test_merchant_uids_are_unique_and_unguessable(app, shopper):
    uids = {shopper.buy() for _ in range(5)}
    assert len(uids) == 5
    assert all(len(uid) == len("ord_") + 32 for uid in uids)


def test_the_pay_page_initialises_imp_once_and_escapes_values_for_javascript(app, shopper):
    merchant_uid = shopper.buy(buyer_name='</script><script>alert("x")</script>')
    page = shopper.client.get(f"/orders/{merchant_uid}/pay").get_data(as_text=True)
    assert "/sandbox/iamport.payment.js" in page
    assert "/vendor/jquery/jquery.min.js" in page
    assert "</script><script>alert" not in page
    assert shopper.pay_request(merchant_uid)["buyer_name"].startswith("</script>")


def test_m_redirect_url_ignores_the_host_header(app, shopper):
    merchant_uid = shopper.buy()
    cookie = shopper.client.get_cookie("session", domain="shop.test")
    page = (
        shopper.client.application.test_client(use_cookies=False)
        .get(
            f"/orders/{merchant_uid}/pay",
            headers={"Host": "evil.example", "Cookie": f"session={cookie.value}"},
        )
        .get_data(as_text=True)
    )
    assert "http://shop.test/payments/complete/mobile" in page
    assert "evil.example" not in page


def test_buy_now_takes_only_that_item_and_keeps_the_cart(app, shopper):
    shopper.add_to_cart(3, 1)
    response = shopper.client.post(
        "/checkout/buy-now/2", data={"quantity": 1, "csrf_token": shopper.csrf_token()}
    )
    assert response.headers["Location"] == "/checkout?source=buy_now"
    merchant_uid = shopper.checkout(source="buy_now")
    assert only_order(app).name == "원목 사이드 테이블"
    assert merchant_uid
    cart = shopper.client.get("/cart").get_data(as_text=True)
    assert "리넨 쿠션 커버" in cart


def test_checking_out_keeps_the_cart_until_the_order_is_paid(app, shopper):
    merchant_uid = shopper.buy()
    assert "장바구니가 비어 있습니다" not in shopper.client.get("/cart").get_data(as_text=True)
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    assert "장바구니가 비어 있습니다" in shopper.client.get("/cart").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("buyer_name", "", "이름을 입력해 주세요."),
        ("buyer_email", "not-an-email", "올바른 이메일 주소를 입력해 주세요."),
        ("buyer_tel", "12345", "예: 010-1234-5678 형식으로 입력해 주세요."),
        ("buyer_postcode", "123", "우편번호는 숫자 5자리입니다."),
        ("buyer_postcode", "135-080", "예전 여섯 자리 우편번호입니다."),
        ("delivery_memo", "아무거나", "목록에 있는 배송 메모를 골라 주세요."),
        ("same_as_buyer", "", "받는 분 이름을 입력해 주세요."),
        ("buyer_addr", "", "배송받을 주소를 입력해 주세요."),
        ("pay_method", "bitcoin", "이 상점에서 받는 결제 수단 중에서 골라 주세요."),
    ],
)
def test_invalid_checkout_fields_are_shown_on_the_form(app, shopper, field, value, message):
    shopper.add_to_cart(1)
    data = BUYER | {field: value, "csrf_token": shopper.csrf_token()}
    response = shopper.client.post("/checkout", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert order_count(app) == 0


def test_checkout_without_items_sends_the_customer_back_to_the_products(app, shopper):
    response = shopper.client.get("/checkout", follow_redirects=True)
    assert "주문할 상품이 없습니다" in response.get_data(as_text=True)


def test_more_than_the_stock_cannot_be_added(app, shopper):
    response = shopper.add_to_cart(2, 6)  # stock 5
    assert response.status_code == 302
    page = shopper.client.get("/products/oak-side-table").get_data(as_text=True)
    assert "재고가 부족합니다. 남은 수량은 5개입니다." in page


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "100", ""])
def test_bad_quantities_are_refused_with_a_message(app, shopper, quantity):
    response = shopper.client.post(
        "/cart/items/1",
        data={"quantity": quantity, "csrf_token": shopper.csrf_token()},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "수량" in response.get_data(as_text=True)
    assert "장바구니가 비어 있습니다" in shopper.client.get("/cart").get_data(as_text=True)


def test_cart_quantity_can_be_changed_and_items_removed(app, shopper):
    shopper.add_to_cart(1, 1)
    shopper.add_to_cart(3, 1)
    token = shopper.csrf_token()
    shopper.client.post("/cart/items/1/quantity", data={"quantity": 3, "csrf_token": token})
    shopper.client.post("/cart/items/3/remove", data={"csrf_token": token})
    page = shopper.client.get("/cart").get_data(as_text=True)
    assert "194,700원" in page  # 64,900원 × 3
    assert "리넨 쿠션 커버" not in page


def test_cart_changes_need_the_csrf_token(app, shopper):
    response = shopper.client.post("/cart/items/1", data={"quantity": 1})
    assert response.status_code == 400
    assert "보안 토큰" in response.get_data(as_text=True)


def test_a_failing_prepare_keeps_no_order_and_says_what_to_do(app, shopper, monkeypatch):
    def refuse(*args, **kwargs):
        raise GatewayError("PortOne에 연결하지 못했습니다.")

    monkeypatch.setattr(app.extensions["portone"], "prepare", refuse)
    shopper.add_to_cart(1)
    response = shopper.client.post("/checkout", data=BUYER | {"csrf_token": shopper.csrf_token()})
    assert response.status_code == 200
    assert "결제 준비 중 문제가 생겼습니다" in response.get_data(as_text=True)
    assert order_count(app) == 0


def test_a_paid_order_has_no_pay_page(app, shopper):
    merchant_uid = shopper.buy()
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    response = shopper.client.get(f"/orders/{merchant_uid}/pay")
    assert response.headers["Location"] == f"/orders/{merchant_uid}"
