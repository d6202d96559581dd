"""The customer's 반품 신청 from the order's page: within 7 days of delivery for a change of
mind (the 8th day is refused in words), within 3 months for goods not as described, with the
return shipping each reason costs shown before asking; once, and only by who placed the order.

"Now" is the test's: delivered_at is moved back as the vbank tests move a due date."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import ReturnRequest
from shop.core.models import Order
from shop.core.returns import ReturnReason
from tests.admin.test_admin import PASSWORD_HASH, act, change, operator
from tests.conftest import DATABASES, Shopper, events, order
from tests.helpers import page_of
from tests.payments.test_refunds import paid

CUSHION, CHAIR, CANDLE = 3, 1, 6  # 19,800원 + 배송비 3,000원; 64,900원 배송비 무료; 반품 제한


def delivered(app, shopper, product_id: int = CUSHION, days_ago: float = 0) -> str:
    """A paid order the operator shipped and marked 배송완료, `days_ago` days before now."""
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    merchant_uid, _ = paid(shopper, product_id=product_id)
    client = operator(app)
    act(client, merchant_uid, "ship", courier="CJGLS", invoice_number="123456789012")
    act(client, merchant_uid, "fulfilment/delivered")
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    change(app, Order, Order.merchant_uid == merchant_uid, delivered_at=moment)
    return merchant_uid


def ask_return(shopper, merchant_uid: str, reason: str = "changed_mind", **fields):
    data = {"csrf_token": shopper.csrf_token(), "reason": reason, "detail": ""} | fields
    return shopper.client.post(f"/orders/{merchant_uid}/return", data=data)


def return_request(app, merchant_uid: str) -> ReturnRequest | None:
    with app.app_context():
        query = select(ReturnRequest).join(Order).where(Order.merchant_uid == merchant_uid)
        return db.session.execute(query).scalar_one_or_none()


def test_marking_delivery_records_when(app, shopper):
    before = datetime.now(UTC)
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    merchant_uid, _ = paid(shopper, product_id=CUSHION)
    client = operator(app)
    act(client, merchant_uid, "ship", courier="CJGLS", invoice_number="123456789012")
    assert order(app, merchant_uid).delivered_at is None
    act(client, merchant_uid, "fulfilment/delivered")
    stamped = order(app, merchant_uid).delivered_at
    assert stamped is not None and stamped.replace(tzinfo=UTC) >= before - timedelta(seconds=1)


@pytest.mark.parametrize("app", DATABASES, indirect=True)
def test_a_change_of_mind_on_day_7_is_taken_with_the_way_back_deducted(app, shopper):
    merchant_uid = delivered(app, shopper, days_ago=7)
    page = page_of(shopper.client.get(f"/orders/{merchant_uid}"), 200)
    assert "단순 변심 반품" in page and "반품 신청</a>" in page
    form = page_of(shopper.client.get(f"/orders/{merchant_uid}/return"), 200)
    assert "왕복 배송비 6,000원 차감" in form and "반품 배송비 상점 부담" in form

    answer = ask_return(shopper, merchant_uid, detail="색이 생각과 달라요")

    assert answer.status_code == 302
    asked = return_request(app, merchant_uid)
    assert (asked.reason, asked.shipping_deduction, asked.detail) == (
        ReturnReason.CHANGED_MIND,
        6000,
        "색이 생각과 달라요",
    )
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REQUESTED
    [move] = [e for e in events(app, "customer") if e.outcome == "fulfilment_return_requested"]
    assert move.detail == "배송완료 → 반품요청 단순 변심"
    shown = page_of(shopper.client.get(f"/orders/{merchant_uid}"), 200)
    assert "반품요청" in shown and "왕복 6,000원 (환불 금액에서 뺍니다)" in shown


@pytest.mark.parametrize("app", DATABASES, indirect=True)
def test_a_change_of_mind_on_day_8_is_refused_in_words_and_changes_nothing(app, shopper):
    merchant_uid = delivered(app, shopper, days_ago=8)

    answer = ask_return(shopper, merchant_uid)

    assert answer.status_code == 422
    assert "반품 신청 기간이 지났습니다. 단순 변심 반품은 배송완료일(" in page_of(answer)
    assert "7일 안(" in page_of(answer)
    assert order(app, merchant_uid).fulfilment == Fulfilment.DELIVERED
    assert return_request(app, merchant_uid) is None
    assert events(app, "customer") == []


def test_goods_not_as_described_may_come_back_for_three_months(app, shopper):
    merchant_uid = delivered(app, shopper, product_id=CHAIR, days_ago=80)
    assert ask_return(shopper, merchant_uid, "not_as_described").status_code == 302
    asked = return_request(app, merchant_uid)
    assert (asked.reason, asked.shipping_deduction) == (ReturnReason.NOT_AS_DESCRIBED, 0)


def test_goods_not_as_described_past_three_months_are_refused(app, shopper):
    merchant_uid = delivered(app, shopper, days_ago=93)
    page = page_of(shopper.client.get(f"/orders/{merchant_uid}"), 200)
    assert "반품 신청 기간이 지났습니다" in page and "반품 신청</a>" not in page
    answer = ask_return(shopper, merchant_uid, "not_as_described")
    assert answer.status_code == 422
    assert "불량이거나 설명·주문과 다른 상품은 배송완료일부터 3개월" in page_of(answer)
    assert return_request(app, merchant_uid) is None


def test_a_free_shipping_order_pays_both_ways_on_a_change_of_mind(app, shopper):
    merchant_uid = delivered(app, shopper, product_id=CHAIR, days_ago=1)
    assert ask_return(shopper, merchant_uid).status_code == 302
    assert return_request(app, merchant_uid).shipping_deduction == 6000


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "반품 사유를 골라 주세요."),
        ({"reason": "too_expensive"}, "보기에 있는 반품 사유 중에서 골라 주세요."),
        ({"detail": "가" * 501}, "자세한 내용은 500자 안으로 입력해 주세요."),
    ],
)
def test_a_bad_return_form_says_why_and_asks_nothing(app, shopper, fields, message):
    merchant_uid = delivered(app, shopper)
    answer = ask_return(shopper, merchant_uid, **fields)
    assert answer.status_code == 400
    assert message in page_of(answer)
    assert return_request(app, merchant_uid) is None


def test_a_return_is_asked_once(app, shopper):
    merchant_uid = delivered(app, shopper)
    ask_return(shopper, merchant_uid)
    again = ask_return(shopper, merchant_uid, "defective")
    assert again.status_code == 302  # the form is gone: back to the order, which says so
    assert "배송완료된 주문만 반품을 신청할 수 있습니다 (배송 상태: 반품요청)" in page_of(
        shopper.client.get(again.headers["Location"])
    )
    assert return_request(app, merchant_uid).reason == ReturnReason.CHANGED_MIND


def test_only_who_placed_the_order_may_ask_and_only_once_delivered(app, shopper):
    merchant_uid = delivered(app, shopper)
    stranger = Shopper(app.test_client())
    answer = ask_return(stranger, merchant_uid)
    assert answer.headers["Location"] == "/orders/lookup"
    assert return_request(app, merchant_uid) is None

    waiting, _ = paid(shopper, product_id=CUSHION)
    refused = ask_return(shopper, waiting)
    assert refused.status_code == 302
    assert order(app, waiting).fulfilment == Fulfilment.ORDERED


def test_a_product_that_cannot_be_returned_once_opened_says_so_before_purchase(app, shopper):
    note = "포장 비닐(실링)을 뜯었거나 한 번이라도 태운 캔들은"
    assert note in page_of(shopper.client.get("/products/soy-candle"), 200)
    assert "청약철회(반품) 제한" not in page_of(shopper.client.get("/products/swivel-chair"), 200)

    shopper.add_to_cart(CANDLE)
    shopper.add_to_cart(CHAIR)
    checkout = page_of(shopper.client.get("/checkout"), 200)
    assert "청약철회(반품) 제한 안내" in checkout
    assert f"소이 캔들 라벤더: {note}" in checkout
    assert "노르웨이 회전 의자:" not in checkout


def test_the_terms_say_who_pays_the_return_shipping_and_when_money_comes_back(client):
    terms = page_of(client.get("/terms"), 200)
    assert "편도 3,000원" in terms and "보통 6,000원" in terms
    assert "3영업일(토요일·일요일·공휴일·대체공휴일 제외" in terms
    assert "배송완료일부터 3개월을 기준으로" in terms
