"""Review waits for a person: what the admin decides for an order in `needs_review`.

A sync never takes an order out of review but by a move the status table names
(shop.payments.states.REVIEW_EXITS); these resolutions are the rest. Each is an event with
source admin, each refunds through the one refund service (shop.payments.cancellation), and
each is refused in words (ReviewRefused) when the money does not allow it.
"""

import enum
from datetime import UTC, datetime

from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import EventSource, PaymentEvent, RefundCause
from shop.core.models import Order, OrderStatus
from shop.payments import cancellation, effects, refunds, states
from shop.payments.events import new_event
from shop.payments.gateway import PortOne
from shop.payments.moves import conditional_move, locked_order
from shop.payments.refunds import RefundRefused
from shop.payments.sync import MoneyBack, live_channels

S = OrderStatus
REFUND_REASON = "관리자 확인 후 환불"
NOT_IN_REVIEW = "확인 필요 상태의 주문이 아닙니다. 페이지를 새로 고쳐 주세요."
NOT_ONE_PAYMENT = (
    "진행하려면 주문 금액과 같은 결제 하나만 남아 있어야 합니다. 다른 결제를 먼저 환불해 주세요."
)
GOES_BACK = "자동 환불 대상인 결제(테스트 채널 등)가 있어 진행할 수 없습니다. 환불해 주세요."
IN_FLIGHT = "환불 결과를 기다리는 결제가 있습니다. 잠시 후 PortOne에 다시 확인해 주세요."
MONEY_LEFT = "아직 환불되지 않은 결제가 있어 주문을 취소하지 않았습니다."


class ReviewRefused(RefundRefused):
    """The resolution cannot be made now; the message says why, for the operator."""


class Resolution(enum.StrEnum):
    """The admin's decisions, as their events' outcome."""

    APPROVE = "review_approved"
    REFUND_ONE = "review_refund"
    CANCEL = "review_cancelled"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Resolution.APPROVE: "확인 후 진행",
    Resolution.REFUND_ONE: "결제 하나 환불",
    Resolution.CANCEL: "주문 취소",
}


def entry(order: Order) -> PaymentEvent | None:
    """The event that put the order in review: why it waits."""
    query = (
        select(PaymentEvent)
        .where(
            PaymentEvent.order_id == order.id,
            PaymentEvent.order_status_after == S.NEEDS_REVIEW.value,
            PaymentEvent.order_status_before != S.NEEDS_REVIEW.value,
        )
        .order_by(PaymentEvent.id.desc())
    )
    return db.session.execute(query).scalars().first()


def approve(gateway: PortOne, merchant_uid: str) -> Order:
    """확인 후 진행: keep the one payment that fits and let the order go on to paid."""
    order = _in_review(merchant_uid)
    step = _approvable(order)
    event = _event(order, Resolution.APPROVE, "관리자가 확인한 결제로 주문을 진행")
    conditional_move(order, step, "")
    notes = effects.follow(order)
    if not order.stock_taken:
        db.session.rollback()
        raise ReviewRefused(
            f"재고가 부족해 진행할 수 없습니다 ({', '.join(notes)}). 환불해 주세요."
        )
    return _record(gateway, order, event)


def refund_one(
    gateway: PortOne, merchant_uid: str, imp_uid: str, account: dict | None = None
) -> Order:
    """결제 하나 환불: all that is left of the payment named; the order stays in review unless
    that gave everything back (REVIEW_EXITS)."""
    order = _in_review(merchant_uid)
    db.session.add(_event(order, Resolution.REFUND_ONE, f"{imp_uid} 환불 요청", imp_uid))
    cancellation.refund(
        gateway, merchant_uid, REFUND_REASON, RefundCause.OPERATOR, None, account, imp_uid
    )
    return _reloaded(merchant_uid)


def cancel(gateway: PortOne, merchant_uid: str, account: dict | None = None) -> Order:
    """주문 취소: every payment that holds money refunded, one by one, then the order closed.
    All given back through a payment that fits, the sync has made it refunded already."""
    held = [p.imp_uid for p in _in_review(merchant_uid).payments if states.holds_money(p)]
    db.session.commit()  # no transaction stays open while PortOne is asked
    for imp_uid in held:
        if refunds.refund_source(_reloaded(merchant_uid), imp_uid) is not None:
            cancellation.refund(
                gateway, merchant_uid, REFUND_REASON, RefundCause.OPERATOR, None, account, imp_uid
            )
    order = _in_review(merchant_uid, also=(S.REFUNDED,))
    event = _event(order, Resolution.CANCEL, "관리자가 모든 결제를 환불하고 주문을 취소")
    if order.status == S.NEEDS_REVIEW:
        _close(order)
    return _record(gateway, order, event)


def _close(order: Order) -> None:
    if any(states.holds_money(p) for p in order.payments):
        db.session.rollback()
        raise ReviewRefused(MONEY_LEFT)
    conditional_move(order, S.CANCELLED, "")
    effects.follow(order)


def _in_review(merchant_uid: str, also: tuple[OrderStatus, ...] = ()) -> Order:
    order = locked_order(merchant_uid)
    if order is None or order.status not in (S.NEEDS_REVIEW, *also):
        db.session.rollback()
        raise ReviewRefused(NOT_IN_REVIEW)
    return order


def _reloaded(merchant_uid: str) -> Order:
    order = locked_order(merchant_uid)
    assert order is not None  # orders are never deleted
    db.session.refresh(order)
    return order


def _approvable(order: Order) -> OrderStatus:
    """Where the payments point, if that is somewhere an order keeps its money."""
    step, _ = states.target(order, order.payments, datetime.now(UTC))
    if step not in states.HOLDS_MONEY or not states.resolves(order.status, step):
        raise ReviewRefused(NOT_ONE_PAYMENT)
    if refunds.causes(order, live_channels()):
        raise ReviewRefused(GOES_BACK)
    if any(r.state in refunds.IN_FLIGHT for r in order.refunds):
        raise ReviewRefused(IN_FLIGHT)
    return step


def _event(
    order: Order, resolution: Resolution, note: str, imp_uid: str | None = None
) -> PaymentEvent:
    event = new_event(EventSource.ADMIN, imp_uid, order.merchant_uid, note)
    event.order_id, event.outcome = order.id, resolution.value
    event.order_status_before = event.order_status_after = order.status.value
    return event


def _record(gateway: PortOne, order: Order, event: PaymentEvent) -> Order:
    """The decision's event with where it left the order, committed; then the open virtual
    accounts it leaves behind are revoked (shop.payments.sync.MoneyBack)."""
    event.order_status_after = order.status.value
    due = MoneyBack.decide(order)
    db.session.add(event)
    db.session.commit()
    due.carry_out(gateway)
    return order
