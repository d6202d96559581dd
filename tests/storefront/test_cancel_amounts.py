"""주문 취소 of a paid order says what was paid, what went back already and what the cancel
gives back, and the cancel gives back exactly that (shop.payments.refunds.refund_source)."""

import re

import pytest

from tests.admin.test_admin import PASSWORD_HASH, operator, refund
from tests.conftest import DATABASES, order
from tests.payments.test_cancel import cancel
from tests.payments.test_refunds import paid

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)

LAMP = 5  # 45,500원 and 3,000원 shipping


def facts(shopper, merchant_uid: str) -> tuple[list[tuple[str, str]], str]:
    page = shopper.client.get(f"/orders/{merchant_uid}/cancel").get_data(as_text=True)
    listed = page[page.index('<dl class="facts">') :].split("</dl>")[0]
    pairs = re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", listed)
    return pairs[2:], page  # after 주문번호 and 상품


def test_after_a_partial_refund_the_page_shows_the_three_amounts_and_refunds_the_rest(
    app, shopper, sandbox
):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    merchant_uid, imp_uid = paid(shopper, product_id=LAMP)
    refund(operator(app), merchant_uid, "5000")

    amounts, page = facts(shopper, merchant_uid)

    assert amounts == [
        ("결제 금액", "48,500원"),
        ("환불된 금액", "5,000원"),
        ("환불될 금액", "43,500원"),
    ]
    assert "전액 환불" not in page
    assert "남은 결제 금액 43,500원이 환불됩니다" in page
    cancel(shopper, merchant_uid)
    history = sandbox.get_payment(imp_uid)["cancel_history"]
    assert [entry["amount"] for entry in history] == [5000, 43500]
    assert order(app, merchant_uid).status.value == "refunded"


def test_a_paid_order_is_refunded_in_full(app, shopper):
    merchant_uid, _ = paid(shopper)

    amounts, page = facts(shopper, merchant_uid)

    assert amounts == [
        ("결제 금액", "64,900원"),
        ("환불된 금액", "0원"),
        ("환불될 금액", "64,900원"),
    ]
    assert "결제하신 64,900원이 전액 환불됩니다" in page


def test_an_unpaid_order_shows_what_it_would_have_cost(app, shopper):
    merchant_uid = shopper.buy()

    amounts, page = facts(shopper, merchant_uid)

    assert amounts == [("주문 금액", "64,900원")]
    assert "환불" not in page.split("<form")[0].split("<h1>")[1]
