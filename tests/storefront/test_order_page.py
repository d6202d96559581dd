"""The customer's order page tells the order's story: the steps it has reached, how it was paid
(card and 할부, or the account to deposit into), where it goes, and, after a decline, that the
decline is final and the order may be paid again."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shop.core.couriers import Courier
from shop.core.extensions import db
from shop.core.formatting import account_groups, installments
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import Payment
from shop.core.models import Order, OrderStatus, PaymentStatus
from tests.conftest import BUYER, order
from tests.helpers import page_of

STEP = re.compile(
    r'<li class="order-steps__step order-steps__step--(\w+)"( aria-current="step")?>([^<]+)'
)
WAIT_NOTE = "결제 결과가 바뀌면 이 화면이 자동으로 바뀝니다"
CARD_STEPS = ["결제완료", "상품준비중", "배송중", "배송완료"]
DEPOSIT_STEPS = ["입금대기", *CARD_STEPS]


def steps_on(page: str) -> list[tuple[str, str]]:
    """(label, state) of each step shown; the current one must carry aria-current."""
    found = STEP.findall(page)
    assert all((state == "current") == bool(current) for state, current, _ in found)
    return [(label.strip(), state) for state, _, label in found]


def current_step(page: str) -> str | None:
    return next((label for label, state in steps_on(page) if state == "current"), None)


def change(app, merchant_uid: str, **columns) -> None:
    """What the gateway or the operator did to the order, written straight into it."""
    with app.app_context():
        found = db.session.scalars(select(Order).where(Order.merchant_uid == merchant_uid))
        placed = found.one()
        for name, value in columns.items():
            setattr(placed, name, value)
        db.session.commit()


def page_for(shopper, merchant_uid: str) -> str:
    return page_of(shopper.client.get(f"/orders/{merchant_uid}"), 200)


def paid(shopper, merchant_uid: str, outcome: str = "approve") -> str:
    imp_uid = shopper.pay_in_window(merchant_uid, outcome)
    shopper.complete(imp_uid, merchant_uid)
    return imp_uid


def shipped(app, merchant_uid: str, fulfilment=Fulfilment.SHIPPING) -> None:
    """As the operator's 배송 시작 leaves it (tests/admin/test_shipping.py goes through it)."""
    change(
        app,
        merchant_uid,
        fulfilment=fulfilment,
        shipped_at=datetime.now(UTC),
        courier=Courier.CJ,
        invoice_number="123456789012",
    )


def cancel_link(merchant_uid: str) -> str:
    return f'href="/orders/{merchant_uid}/cancel"'


def test_a_paid_card_order_has_reached_payment_and_awaits_preparation(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)

    assert steps_on(page_for(shopper, merchant_uid)) == [
        ("결제완료", "current"),
        ("상품준비중", "ahead"),
        ("배송중", "ahead"),
        ("배송완료", "ahead"),
    ]


def test_a_shipped_order_is_on_its_way(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    shipped(app, merchant_uid)

    page = page_for(shopper, merchant_uid)

    assert steps_on(page) == [
        ("결제완료", "done"),
        ("상품준비중", "done"),
        ("배송중", "current"),
        ("배송완료", "ahead"),
    ]
    assert '<ol class="order-steps" aria-label="주문 진행 단계">' in page


def test_a_virtual_account_waits_for_the_deposit_before_payment(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    paid(shopper, merchant_uid, "vbank")

    page = page_for(shopper, merchant_uid)

    assert [label for label, _ in steps_on(page)] == DEPOSIT_STEPS
    assert current_step(page) == "입금대기"


def test_a_deposit_moves_the_account_order_to_payment(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    shopper.complete(imp_uid, merchant_uid)

    page = page_for(shopper, merchant_uid)

    assert steps_on(page)[:2] == [("입금대기", "done"), ("결제완료", "current")]
    assert "입금 기한" not in page and "복사" not in page  # the account is paid into


@pytest.mark.parametrize(
    "status",
    [
        OrderStatus.PENDING,
        OrderStatus.FAILED,
        OrderStatus.CANCELLED,
        OrderStatus.REFUNDED,
        OrderStatus.FORGED,
        OrderStatus.EXPIRED,
        OrderStatus.NEEDS_REVIEW,
    ],
)
def test_an_order_off_the_way_shows_its_status_instead_of_steps(app, shopper, status):
    merchant_uid = shopper.buy()
    change(app, merchant_uid, status=status)

    page = page_for(shopper, merchant_uid)

    assert "order-steps" not in page
    assert f'<span class="status status--{status.value}">{status.label}</span>' in page


def test_the_card_and_its_installments_are_shown(app, shopper):
    merchant_uid = shopper.buy()  # 64,900원: 할부 may be chosen
    imp_uid = shopper.opened_payment(merchant_uid)
    shopper.client.post(f"/sandbox/window/{imp_uid}/approve", data={"card_quota": "3"})
    shopper.complete(imp_uid, merchant_uid)

    page = page_for(shopper, merchant_uid)

    assert "<dt>결제 수단</dt><dd>신용·체크카드</dd>" in page
    assert "<dt>카드</dt><dd>신한카드</dd>" in page
    assert "<dt>할부</dt><dd>3개월 할부</dd>" in page
    assert "영수증 보기" in page


def test_a_card_paid_at_once_reads_as_a_lump_sum(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    assert "<dt>할부</dt><dd>일시불</dd>" in page_for(shopper, merchant_uid)


def test_the_account_number_is_grouped_for_reading_and_copied_as_digits(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    paid(shopper, merchant_uid, "vbank")
    number = order(app, merchant_uid).vbank_payment.vbank_num

    page = page_for(shopper, merchant_uid)

    assert f'<span class="account__number mono">{account_groups(number)}</span>' in page
    assert "-" in account_groups(number)
    assert f'data-copy="{number}"' in page
    assert 'role="status"' in page and "js/copy-account.js" in page
    assert "<dt>결제 수단</dt><dd>가상계좌 (무통장입금)</dd>" in page
    assert '<dt>입금 금액</dt><dd class="amount">64,900원</dd>' in page
    assert "입금 기한" in page


@pytest.mark.parametrize(
    ("number", "read"),
    [
        ("56212345678901", "5621-2345-678-901"),
        ("1234567890", "1234-567-890"),
        ("123456789012", "1234-5678-9012"),
        ("123456", "123-456"),
        ("562-123-456789", "562-123-456789"),  # the bank's own layout, as the PG sent it
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_account_numbers_read_in_groups_of_four_and_three(number, read):
    assert account_groups(number) == read


@pytest.mark.parametrize(
    ("months", "said"), [(0, "일시불"), (2, "2개월 할부"), (12, "12개월 할부")]
)
def test_installments_read_as_on_the_card_slip(months, said):
    assert installments(months) == said


def test_the_delivery_shows_the_recipient_the_full_address_and_the_memo(app, shopper):
    merchant_uid = shopper.buy()
    change(
        app,
        merchant_uid,
        recipient_name="김철수",
        recipient_tel="010-1111-2222",
        address_detail="5층 501호",
        delivery_memo="문 앞에 놓아 주세요",
    )

    page = page_for(shopper, merchant_uid)

    assert "<dt>받는 분</dt><dd>김철수</dd>" in page
    assert "<dt>연락처</dt><dd>010-1111-2222</dd>" in page
    assert f"<dd>(06236) {BUYER['buyer_addr']} 5층 501호</dd>" in page
    assert "<dt>배송 메모</dt><dd>문 앞에 놓아 주세요</dd>" in page


def test_without_a_recipient_the_buyer_receives_and_no_memo_is_shown(app, shopper):
    merchant_uid = shopper.buy()
    change(app, merchant_uid, recipient_name="", recipient_tel="", delivery_memo="")

    page = page_for(shopper, merchant_uid)

    assert f"<dt>받는 분</dt><dd>{BUYER['buyer_name']}</dd>" in page
    assert f"<dt>연락처</dt><dd>{BUYER['buyer_tel']}</dd>" in page
    assert "배송 메모" not in page


@pytest.mark.parametrize("outcome", ["decline", "close"])
def test_a_decline_is_final_and_offers_paying_again_but_no_cancel(app, shopper, outcome):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid, outcome)
    assert order(app, merchant_uid).status == OrderStatus.FAILED

    page = page_for(shopper, merchant_uid)

    assert WAIT_NOTE not in page
    assert f'href="/orders/{merchant_uid}/pay">다시 결제하기</a>' in page
    assert cancel_link(merchant_uid) not in page and "주문 취소" not in page
    assert re.search(r'<p id="order-watch" class="watch-note" hidden ', page)  # a late approval


def test_an_unpaid_order_offers_no_cancel(app, shopper):
    merchant_uid = shopper.buy()
    page = page_for(shopper, merchant_uid)
    assert cancel_link(merchant_uid) not in page
    assert WAIT_NOTE in page  # the window may still be open elsewhere


def test_an_issued_account_may_be_cancelled_before_the_deposit(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    paid(shopper, merchant_uid, "vbank")

    page = page_for(shopper, merchant_uid)

    assert f"{cancel_link(merchant_uid)}>주문 취소 (입금 전)</a>" in page
    assert WAIT_NOTE in page


def test_a_paid_order_may_be_cancelled(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    assert f"{cancel_link(merchant_uid)}>주문 취소</a>" in page_for(shopper, merchant_uid)


@pytest.mark.parametrize(
    "fulfilment", [Fulfilment.SHIPPING, Fulfilment.DELIVERED, Fulfilment.CONFIRMED]
)
def test_shipped_goods_are_not_offered_a_cancel(app, shopper, fulfilment):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    shipped(app, merchant_uid, fulfilment)
    assert cancel_link(merchant_uid) not in page_for(shopper, merchant_uid)


def test_goods_being_prepared_may_still_be_cancelled(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    change(app, merchant_uid, fulfilment=Fulfilment.PREPARING)
    assert f"{cancel_link(merchant_uid)}>주문 취소</a>" in page_for(shopper, merchant_uid)


@pytest.mark.parametrize(
    ("fulfilment", "step"),
    [
        (Fulfilment.ORDERED, "결제완료"),
        (Fulfilment.PREPARING, "상품준비중"),
        (Fulfilment.SHIPPING, "배송중"),
        (Fulfilment.DELIVERED, "배송완료"),
        (Fulfilment.CONFIRMED, "배송완료"),
    ],
)
def test_the_step_follows_where_the_goods_are(app, shopper, fulfilment, step):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    change(app, merchant_uid, fulfilment=fulfilment)
    assert current_step(page_for(shopper, merchant_uid)) == step


def test_a_shipped_order_shows_its_courier_invoice_and_tracking_link(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    before = page_for(shopper, merchant_uid)
    shipped(app, merchant_uid)

    page = page_for(shopper, merchant_uid)

    assert "배송 조회" not in before
    assert "<dt>택배사</dt><dd>CJ대한통운</dd>" in page
    assert '<span class="mono">123456789012</span>' in page
    tracking = 'href="https://trace.cjlogistics.com/next/tracking.html?wblNo=123456789012"'
    assert f'<a class="tracking-link" {tracking} target="_blank" rel="noopener noreferrer">' in page


def test_a_stranger_sees_no_invoice(app, shopper, client):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    shipped(app, merchant_uid)
    page = page_of(app.test_client().get(f"/orders/{merchant_uid}"), 200)
    assert current_step(page) == "배송중"
    assert "123456789012" not in page


def test_the_cancel_route_refuses_shipped_goods_and_points_to_a_return(app, shopper):
    merchant_uid = shopper.buy()
    paid(shopper, merchant_uid)
    shipped(app, merchant_uid)

    answer = shopper.client.get(f"/orders/{merchant_uid}/cancel", follow_redirects=True)
    posted = shopper.client.post(
        f"/orders/{merchant_uid}/cancel",
        data={"csrf_token": shopper.csrf_token(), "confirm": "y"},
        follow_redirects=True,
    )

    for page in (page_of(answer, 200), page_of(posted, 200)):
        assert "상품이 이미 발송되어 주문을 취소할 수 없습니다" in page
        assert "반품을 신청해 주세요" in page
    assert order(app, merchant_uid).status == OrderStatus.PAID


def test_a_partly_refunded_payment_still_shows_its_card(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = paid(shopper, merchant_uid)
    with app.app_context():
        payment = db.session.scalars(select(Payment).where(Payment.imp_uid == imp_uid)).one()
        payment.status, payment.cancel_amount = PaymentStatus.CANCELLED, 10_000
        db.session.commit()
    change(app, merchant_uid, status=OrderStatus.PARTIALLY_REFUNDED)

    page = page_for(shopper, merchant_uid)

    assert "<dt>카드</dt><dd>신한카드</dd>" in page
    assert current_step(page) == "결제완료"


def test_a_stranger_sees_the_steps_but_not_the_payment_or_the_address(app, shopper):
    merchant_uid = shopper.buy(pay_method="vbank")
    paid(shopper, merchant_uid, "vbank")
    stranger = app.test_client()

    page = page_of(stranger.get(f"/orders/{merchant_uid}"), 200)

    assert current_step(page) == "입금대기"
    assert "결제 정보" not in page and "data-copy" not in page and "받는 분" not in page
    assert "주문 취소" not in page
