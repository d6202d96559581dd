"""The operator's side of a 반품: 반품승인 (회수중), 반품완료 (the arrival recorded), the refund of
what was paid less the return shipping, through the one refund service, never twice; or a
refusal the customer reads. The orders list shows each return's refund deadline and flags the
late ones."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import Notice, RefundState
from shop.core.models import Order, OrderStatus
from tests.admin.test_admin import PASSWORD_HASH, act, change, flashed, operator, refunds_of, text
from tests.conftest import DATABASES, notices, order
from tests.helpers import page_of
from tests.payments.test_refunds import gateway_payment
from tests.storefront.test_returns import CHAIR, CUSHION, ask_return, delivered, return_request

ON_BOTH_DATABASES = pytest.mark.parametrize("app", DATABASES, indirect=True)


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def letters(app) -> list[Notice]:
    with app.app_context():
        return list(db.session.execute(select(Notice).order_by(Notice.id)).scalars())


def asked(app, shopper, reason="changed_mind", product_id=CUSHION) -> str:
    merchant_uid = delivered(app, shopper, product_id=product_id, days_ago=2)
    assert ask_return(shopper, merchant_uid, reason).status_code == 302
    return merchant_uid


def back_with_the_shop(app, shopper, client, **kwargs) -> str:
    merchant_uid = asked(app, shopper, **kwargs)
    act(client, merchant_uid, "return/approve")
    act(client, merchant_uid, "return/arrive")
    return merchant_uid


@ON_BOTH_DATABASES
def test_approve_arrival_refund_gives_back_the_paid_less_the_way_back(app, shopper, sandbox):
    merchant_uid = asked(app, shopper)
    client = operator(app)
    page = flashed(client, merchant_uid)
    assert "반품 사유</dt><dd>단순 변심" in page and "16,800원" in page

    act(client, merchant_uid, "return/approve")
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_APPROVED
    assert "반품을 승인했습니다" in flashed(client, merchant_uid)
    act(client, merchant_uid, "return/arrive")
    arrived = order(app, merchant_uid)
    assert arrived.fulfilment == Fulfilment.RETURNED and arrived.returned_at is not None
    assert "환불 기한" in flashed(client, merchant_uid)

    act(client, merchant_uid, "return/refund")

    done = order(app, merchant_uid)
    assert (done.fulfilment, done.status) == (
        Fulfilment.RETURN_REFUNDED,
        OrderStatus.PARTIALLY_REFUNDED,
    )
    [refund] = refunds_of(app)
    assert (refund.amount, refund.cause, refund.state) == (16800, "return", RefundState.DONE)
    assert refund.reason == "반품 환불 (단순 변심, 왕복 배송비 6,000원 차감)"
    assert gateway_payment(sandbox, refund.imp_uid)["cancel_amount"] == 16800
    assert notices(app, merchant_uid)[-2:] == ["return_approved", "refunded"]
    approved, refunded = letters(app)[-2:]
    assert approved.subject.startswith("[반품 승인]")
    assert "왕복 배송비 6,000원을 뺀 금액을 환불해 드립니다." in approved.body
    assert "환불 사유: 반품 환불 (단순 변심, 왕복 배송비 6,000원 차감)" in refunded.body
    assert "반품 환불 16,800원을 마쳤습니다." in flashed(client, merchant_uid)


def test_a_defective_free_shipping_order_comes_back_whole(app, shopper, sandbox):
    client = operator(app)
    merchant_uid = back_with_the_shop(app, shopper, client, reason="defective", product_id=CHAIR)
    act(client, merchant_uid, "return/refund")
    assert [r.amount for r in refunds_of(app)] == [64900]
    assert order(app, merchant_uid).status == OrderStatus.REFUNDED


def test_a_refund_whose_move_was_lost_is_not_sent_again(app, shopper, sandbox):
    client = operator(app)
    merchant_uid = back_with_the_shop(app, shopper, client)
    act(client, merchant_uid, "return/refund")
    change(app, Order, Order.merchant_uid == merchant_uid, fulfilment=Fulfilment.RETURNED)

    act(client, merchant_uid, "return/refund")

    assert [r.amount for r in refunds_of(app)] == [16800]
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REFUNDED


def test_steps_out_of_order_are_refused_and_change_nothing(app, shopper):
    merchant_uid = asked(app, shopper)
    client = operator(app)
    act(client, merchant_uid, "return/arrive")
    assert "‘반품완료’ 단계로 바꾸지 못했습니다." in flashed(client, merchant_uid)
    act(client, merchant_uid, "return/refund")
    assert "반품완료(상품 도착)를 기록한 주문만 반품 환불을 할 수 있습니다." in flashed(
        client, merchant_uid
    )
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REQUESTED
    assert refunds_of(app) == []
    unconfirmed = act(client, merchant_uid, "return/approve", confirm="")
    assert unconfirmed.status_code == 302
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REQUESTED


@ON_BOTH_DATABASES
def test_a_refused_return_tells_the_customer_why(app, shopper):
    merchant_uid = asked(app, shopper)
    client = operator(app)
    act(client, merchant_uid, "return/refuse", refusal="")
    assert "거절 사유를 입력해 주세요." in flashed(client, merchant_uid)
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REQUESTED

    act(client, merchant_uid, "return/refuse", refusal="사용 흔적이 있어 반품할 수 없습니다")

    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REFUSED
    assert return_request(app, merchant_uid).refusal == "사용 흔적이 있어 반품할 수 없습니다"
    assert notices(app, merchant_uid)[-1] == "return_refused"
    page = page_of(shopper.client.get(f"/orders/{merchant_uid}"), 200)
    assert '거절 사유</dt><dd class="return-refusal">사용 흔적이 있어 반품할 수 없습니다' in page
    act(client, merchant_uid, "return/approve")  # forward only: a refusal stands
    assert order(app, merchant_uid).fulfilment == Fulfilment.RETURN_REFUSED


def test_the_list_shows_each_returns_refund_deadline_and_flags_the_late(app, shopper):
    client = operator(app)
    fresh = back_with_the_shop(app, shopper, client)
    late = back_with_the_shop(app, shopper, client)
    long_ago = datetime(2026, 2, 13, 6, 0, tzinfo=UTC)  # 15:00 in Seoul, before 설날
    change(app, Order, Order.merchant_uid == late, returned_at=long_ago)

    listed = text(client.get("/admin/"))

    assert "환불 기한 2026년 2월 23일 (월)" in row_of(listed, late)
    assert "기한 지남" in row_of(listed, late)
    assert "환불 기한" in row_of(listed, fresh) and "기한 지남" not in row_of(listed, fresh)
    act(client, late, "return/refund")
    assert "기한 지남" not in row_of(text(client.get("/admin/")), late)


def row_of(listed: str, merchant_uid: str) -> str:
    start = listed.index(f"/admin/orders/{merchant_uid}")
    return listed[start : listed.index("</tr>", start)]


def test_the_order_page_shows_the_deadline_past_설날_and_its_대체공휴일(app, shopper):
    client = operator(app)
    merchant_uid = back_with_the_shop(app, shopper, client)
    friday_in_seoul = datetime(2027, 2, 5, 1, 0, tzinfo=UTC)
    change(app, Order, Order.merchant_uid == merchant_uid, returned_at=friday_in_seoul)
    page = flashed(client, merchant_uid)
    assert "2027년 2월 12일 (금)까지 (도착 후 3영업일)" in page
    assert "기한 지남" not in page  # not yet in December 2026: the deadline is ahead


@ON_BOTH_DATABASES
def test_the_operator_takes_a_return_the_customer_asked_for_by_phone(app, shopper):
    merchant_uid = delivered(app, shopper, days_ago=30)  # past the customer's own 7 days
    client = operator(app)

    taken = act(client, merchant_uid, "return", reason="changed_mind", detail="전화 요청")
    again = act(client, merchant_uid, "return", reason="defective")

    assert taken.status_code == again.status_code == 302
    asked = return_request(app, merchant_uid)
    assert (asked.reason.value, asked.detail, asked.shipping_deduction) == (
        "changed_mind",
        "전화 요청",
        6000,
    )
    page = flashed(client, merchant_uid)
    assert "반품 접수</button>" not in page and "반품승인 (회수 시작)" in page
    assert "배송완료 → 반품요청 단순 변심" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "반품 사유를 골라 주세요."),
        ({"reason": "cheaper_elsewhere"}, "보기에 있는 반품 사유 중에서 골라 주세요."),
        ({"reason": "defective", "confirm": ""}, "확인란을 선택해 주세요."),
    ],
)
def test_a_return_taken_without_a_reason_or_confirmation_is_refused(app, shopper, fields, message):
    merchant_uid = delivered(app, shopper, days_ago=1)
    client = operator(app)

    act(client, merchant_uid, "return", **fields)

    assert message in flashed(client, merchant_uid)
    assert return_request(app, merchant_uid) is None


def test_an_order_still_with_the_shop_cannot_be_taken_back(app, shopper):
    merchant_uid = shopper.buy(product_id=CUSHION)
    client = operator(app)
    assert "반품 접수</button>" not in flashed(client, merchant_uid)

    act(client, merchant_uid, "return", reason="defective")

    assert "배송중이거나 배송완료된 주문만 반품을 접수할 수 있습니다" in flashed(
        client, merchant_uid
    )
    assert return_request(app, merchant_uid) is None
