"""What every Korean online shop shows: 사업자 정보, 이용약관, 개인정보처리방침, a purchase
consent at checkout, and a shipping fee that is part of the amount PortOne is told."""

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.models import Order
from tests.conftest import BUYER, Shopper, make_app, order


@pytest.mark.parametrize("path", ["/", "/cart", "/terms", "/privacy", "/orders/lookup"])
def test_every_page_shows_the_business_information(app, path):
    page = app.test_client().get(path).get_data(as_text=True)
    for name in ("상호", "대표자", "사업자등록번호", "통신판매업 신고번호", "개인정보보호책임자"):
        assert f"<dt>{name}</dt>" in page
    assert 'href="/terms"' in page and 'href="/privacy"' in page


def test_the_business_information_comes_from_configuration(tmp_path):
    info = {"상호": "주식회사 테스트", "사업자등록번호": "123-45-67890"}
    app = make_app(tmp_path, BUSINESS_INFO=info)
    page = app.test_client().get("/").get_data(as_text=True)
    assert "<dd>주식회사 테스트</dd>" in page and "123-45-67890" in page
    assert "예시" not in page


def test_terms_and_privacy_pages(app):
    client = app.test_client()
    terms = client.get("/terms").get_data(as_text=True)
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "<h1>이용약관</h1>" in terms and "청약철회" in terms and "3,000원" in terms
    assert "<h1>개인정보처리방침</h1>" in privacy and "보유 기간" in privacy


def test_checkout_requires_the_purchase_consent(app, shopper):
    shopper.add_to_cart(1)
    data = BUYER | {"csrf_token": shopper.csrf_token()}
    del data["agree"]

    page = shopper.client.post("/checkout", data=data).get_data(as_text=True)

    assert "구매조건 확인 및 결제진행에 동의해 주세요." in page
    assert 'id="error-summary"' in page and "autofocus" in page
    with app.app_context():
        assert db.session.execute(select(Order)).first() is None


def test_the_consent_sits_above_the_order_button_after_the_summary(app, shopper):
    shopper.add_to_cart(3)
    page = shopper.client.get("/checkout").get_data(as_text=True)
    assert page.index("주문 상품") < page.index("구매조건 확인") < page.index("주문하기</button>")


def test_below_fifty_thousand_won_the_shipping_fee_is_charged(app, shopper, sandbox):
    merchant_uid = shopper.buy(product_id=3)  # 19,800원
    placed = order(app, merchant_uid)
    assert (placed.amount, placed.shipping_fee, placed.goods_amount) == (22800, 3000, 19800)
    assert sandbox.prepared(merchant_uid)["amount"] == 22800
    assert shopper.pay_request(merchant_uid)["amount"] == 22800


def test_from_fifty_thousand_won_shipping_is_free(app, shopper):
    placed = order(app, shopper.buy(product_id=1))  # 64,900원
    assert (placed.amount, placed.shipping_fee) == (64900, 0)


def test_the_fee_and_threshold_are_configurable(tmp_path):
    app = make_app(tmp_path, SHIPPING_FEE=2500, FREE_SHIPPING_FROM=100_000)
    shopper = Shopper(app.test_client())
    placed = order(app, shopper.buy(product_id=1))
    assert (placed.amount, placed.shipping_fee) == (67400, 2500)


def test_the_fee_is_shown_in_checkout_pay_and_order_pages(app, shopper):
    shopper.add_to_cart(3)
    pages = [shopper.client.get("/checkout").get_data(as_text=True)]
    merchant_uid = shopper.checkout()
    pages.append(shopper.client.get(f"/orders/{merchant_uid}/pay").get_data(as_text=True))
    pages.append(shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True))
    for page in pages:
        assert "<dt>배송비</dt><dd>3,000원</dd>" in page
        assert "22,800원" in page
