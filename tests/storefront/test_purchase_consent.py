"""The purchase consent at checkout (구매조건 확인 및 결제진행 동의): no order without it, and it
sits between the order summary and the order button."""

from sqlalchemy import select

from shop.core.extensions import db
from shop.core.models import Order
from tests.conftest import BUYER


def test_checkout_without_the_purchase_consent_places_no_order(app, shopper):
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
