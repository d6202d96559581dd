"""One order's page for the operator: the refund form that starts empty and asks apart for a
full refund, the amounts beside it, every payment attempt of the checkout, the delivery
details and phone numbers in one shape, and the customer's own return in the timeline."""

import re
from urllib.parse import quote

import pytest
from sqlalchemy import update

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus
from shop.storefront.consent import DOCUMENTS, ConsentItem
from tests.admin.test_admin import (
    PASSWORD_HASH,
    listed_numbers,
    operator,
    refund,
    refunds_of,
    text,
)
from tests.conftest import DATABASES, Shopper, order, order_status
from tests.payments.test_refunds import paid

ON_BOTH_DATABASES = pytest.mark.parametrize("app", DATABASES, indirect=True)
FULL_BOX = "‘전액 환불합니다’를 선택해 주세요"


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def page_of(client, merchant_uid: str) -> str:
    return text(client.get(f"/admin/orders/{merchant_uid}"))


def amounts(page: str) -> list[tuple[str, str]]:
    block = page[page.index('class="facts refund-amounts"') :].split("</dl>")[0]
    return re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", block)


def test_the_refund_form_starts_empty_beside_what_was_paid_refunded_and_is_left(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)

    page = page_of(client, merchant_uid)

    amount_input = re.search(r'<input[^>]*name="amount"[^>]*>', page).group(0)
    assert 'value=""' in amount_input or "value=" not in amount_input
    assert amounts(page) == [
        ("결제 금액", "64,900원"),
        ("환불된 금액", "0원"),
        ("환불할 수 있는 금액", "64,900원"),
    ]
    refund(client, merchant_uid, "10000")
    assert amounts(page_of(client, merchant_uid))[1:] == [
        ("환불된 금액", "10,000원"),
        ("환불할 수 있는 금액", "54,900원"),
    ]


@ON_BOTH_DATABASES
def test_a_full_refund_needs_its_own_box_and_the_box_only_a_full_refund(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)

    unticked = refund(client, merchant_uid, "64,900원")
    assert unticked.status_code == 200
    assert f"남은 64,900원을 모두 환불하려면 {FULL_BOX}" in text(unticked)
    ticked_for_part = refund(client, merchant_uid, "1000", full_refund="y")
    assert "전액 환불은 남은 금액 64,900원을 그대로 입력해야 합니다" in text(ticked_for_part)
    assert refunds_of(app) == []
    assert order_status(app, merchant_uid) == OrderStatus.PAID

    assert refund(client, merchant_uid, "64900", full_refund="y").status_code == 302

    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert [r.amount for r in refunds_of(app)] == [64900]


def test_after_a_partial_refund_the_rest_is_a_full_refund_too(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)
    refund(client, merchant_uid, "10000")

    assert FULL_BOX in text(refund(client, merchant_uid, "54900"))
    assert refund(client, merchant_uid, "54900", full_refund="y").status_code == 302
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED


def test_every_payment_attempt_of_the_checkout_is_listed_in_its_order(app, shopper):
    merchant_uid = shopper.buy()
    declined = shopper.pay_in_window(merchant_uid, "decline")
    shopper.complete(declined, merchant_uid)
    approved = shopper.pay_in_window(merchant_uid)
    shopper.complete(approved, merchant_uid)
    client = operator(app)

    page = page_of(client, merchant_uid)

    attempts = page[page.index("admin-attempts") :].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", attempts, re.S)[1:]
    assert len(rows) == 2
    assert "실패" in rows[0] and "64,900원" in rows[0] and "한도" in rows[0]
    assert "결제됨" in rows[1] and "신용·체크카드" in rows[1]
    assert f'href="#payment-{declined}"' in rows[0]
    assert "결제 시도 2건" in text(client.get("/admin/"))


def test_the_delivery_details_and_phones_are_shown_in_one_shape(app, shopper):
    elsewhere = shopper.buy(
        buyer_tel="01012345678",
        same_as_buyer="",
        recipient_name="김철수",
        recipient_tel="0212345678",
        address_detail="101동 202호",
        delivery_memo="경비실에 맡겨 주세요",
    )
    as_buyer = Shopper(app.test_client()).buy(product_id=2)
    with app.app_context():
        db.session.execute(
            update(Order)
            .where(Order.merchant_uid == as_buyer)
            .values(recipient_name="", recipient_tel="", buyer_tel="010 4242 4242")
        )
        db.session.commit()
    client = operator(app)

    page = page_of(client, elsewhere)
    side = page[page.index("주문자 · 배송지") : page.index('id="refund"')]
    for shown in ("010-1234-5678", "김철수", "02-1234-5678", "06236"):
        assert shown in side
    assert "서울특별시 강남구 테헤란로 123 101동 202호" in side
    assert "경비실에 맡겨 주세요" in side
    same = page_of(client, as_buyer)
    assert same.count("주문자와 같음") == 2
    assert "010-4242-4242" in same and "010 4242 4242" not in same
    assert "010-4242-4242" in text(client.get("/admin/"))


@ON_BOTH_DATABASES
def test_a_phone_typed_either_way_finds_it_stored_either_way(app):
    stored = {"01012345678": Shopper(app.test_client()).buy(buyer_tel="01012345678")}
    stored["010-9876-5432"] = Shopper(app.test_client()).buy(buyer_tel="010-9876-5432")
    numbers = {tel: order(app, uid).number for tel, uid in stored.items()}
    client = operator(app)

    for typed in ("010-1234-5678", "01012345678", "+82 10-1234-5678", "1234-5678"):
        assert listed_numbers(client, f"?q={quote(typed)}") == [numbers["01012345678"]], typed
    for typed in ("010-9876-5432", "01098765432", "+82 10 9876 5432"):
        assert listed_numbers(client, f"?q={quote(typed)}") == [numbers["010-9876-5432"]], typed


def test_the_customers_callback_after_the_webhook_is_in_the_timeline(app, shopper, webhooks):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    webhooks()
    for _ in range(2):  # the customer's callback, then a reload
        shopper.complete(imp_uid, merchant_uid)

    page = page_of(operator(app), merchant_uid)

    timeline = page[page.index("처리 기록") :]
    assert timeline.index("웹훅") < timeline.index("결제창 콜백 (PC)")
    assert timeline.count("결제창 콜백 (PC)") == 1
    assert "변경 없음" in timeline


def test_each_refund_notice_is_listed_with_its_subject(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)
    refund(client, merchant_uid, "10000")
    refund(client, merchant_uid, "54900", full_refund="y")

    notices = page_of(client, merchant_uid)
    notices = notices[notices.index("고객 알림") :]
    assert notices.count("환불 안내") == 2
    assert "10,000원이 환불되었습니다" in notices
    assert "결제가 취소되었습니다" in notices


def test_the_consents_are_shown_with_their_versions_and_times(app, shopper):
    merchant_uid = shopper.buy()
    page = page_of(operator(app), merchant_uid)
    side = page[page.index("동의 기록") : page.index('id="refund"')]
    for item in ConsentItem:
        assert item.document.label in side
    assert side.count(f"{DOCUMENTS[ConsentItem.PURCHASE].version} 판 · ") == len(ConsentItem)
