"""반품 (청약철회): the customer asks within the reason's window; the operator approves (the
courier collects: 회수중), records the goods' arrival (반품완료) and refunds what was paid less
the return shipping the reason charges; or refuses, saying why.

Each step is a move of shop.payments.shipments (under the order's lock, once, on the timeline),
the refund goes through the one refund service (shop.payments.cancellation), and the customer
is told when the return is approved, refused and refunded. The caller commits but for refund,
which commits as the refund service does.
"""

from datetime import datetime

from shop.core.extensions import db
from shop.core.formatting import won
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import (
    EventSource,
    NoticeKind,
    Refund,
    RefundCause,
    RefundState,
    ReturnRequest,
)
from shop.core.models import Order
from shop.core.queries import return_of
from shop.core.returns import ReturnReason, seoul_date, shipping_deduction, within_window
from shop.notices.queue import queue_notice
from shop.payments import cancellation, shipments
from shop.payments.gateway import PortOne
from shop.payments.refunds import refund_source

F = Fulfilment


class ReturnRefused(Exception):
    """The return cannot go on; the message says why, in words for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ask(order: Order, reason: ReturnReason, detail: str, now: datetime, fee_each_way: int) -> None:
    """The customer's 반품 신청, `now` being when they asked."""
    order = shipments.locked(order.id)
    if order.fulfilment is not F.DELIVERED or order.delivered_at is None:
        raise ReturnRefused(not_delivered(order))
    if not within_window(reason, order.delivered_at, now):
        raise ReturnRefused(too_late(order.delivered_at, reason))
    opened(order, reason, detail, fee_each_way, EventSource.CUSTOMER)


def take(order: Order, reason: ReturnReason, detail: str, fee_each_way: int) -> None:
    """반품 접수 by the operator, for a customer who asked another way (a call, an escrow
    구매거절): goods that left, whatever the window; the operator has judged the case."""
    order = shipments.locked(order.id)
    if not sent_out(order):
        raise ReturnRefused(
            f"배송중이거나 배송완료된 주문만 반품을 접수할 수 있습니다 (배송 상태: {order.fulfilment.label})."
        )
    opened(order, reason, detail, fee_each_way, EventSource.ADMIN)


def sent_out(order: Order) -> bool:
    return order.fulfilment in (F.SHIPPING, F.DELIVERED)


def opened(
    order: Order, reason: ReturnReason, detail: str, fee_each_way: int, source: EventSource
) -> None:
    move(order, F.RETURN_REQUESTED, source, reason.label)
    deduction = shipping_deduction(reason, order.shipping_fee, fee_each_way)
    db.session.add(
        ReturnRequest(order_id=order.id, reason=reason, detail=detail, shipping_deduction=deduction)
    )


def not_delivered(order: Order) -> str:
    if order.fulfilment is F.DELIVERED:  # delivered before the shop kept the moment
        return "배송완료 일자를 확인할 수 없어 온라인으로 반품을 신청할 수 없습니다. 고객센터로 문의해 주세요."
    if order.fulfilment in (F.RETURN_REQUESTED, F.RETURN_APPROVED, F.RETURNED, F.RETURN_REFUNDED):
        return "이미 반품을 신청하신 주문입니다."
    return f"배송완료된 주문만 반품을 신청할 수 있습니다 (배송 상태: {order.fulfilment.label})."


def too_late(delivered_at: datetime, reason: ReturnReason) -> str:
    delivered_on = seoul_date(delivered_at)
    last = reason.last_day(delivered_on)
    if reason.customer_pays_shipping:
        longer = ReturnReason.NOT_AS_DESCRIBED.last_day(delivered_on)
        return (
            f"반품 신청 기간이 지났습니다. 단순 변심 반품은 배송완료일({delivered_on:%Y-%m-%d})부터 "
            f"7일 안({last:%Y-%m-%d}까지)에 신청할 수 있습니다. 받으신 상품이 불량이거나 설명·주문과 "
            f"다르면 {longer:%Y-%m-%d}까지 그 사유로 신청해 주세요."
        )
    return (
        f"반품 신청 기간이 지났습니다. 불량이거나 설명·주문과 다른 상품은 배송완료일부터 3개월 "
        f"안({last:%Y-%m-%d}까지)에 신청할 수 있습니다. 고객센터로 문의해 주세요."
    )


def approve(order: Order) -> None:
    """반품승인: the courier is sent for the goods (회수중)."""
    move(order, F.RETURN_APPROVED, EventSource.ADMIN)
    queue_notice(order, NoticeKind.RETURN_APPROVED)


def refuse(order: Order, why: str) -> None:
    """반품거절: the goods stay with the customer, who reads `why` on the order's page."""
    move(order, F.RETURN_REFUSED, EventSource.ADMIN, why)
    asked = return_of(order)
    if asked is not None:
        asked.refusal = why
    queue_notice(order, NoticeKind.RETURN_REFUSED)


def arrive(order: Order) -> None:
    """반품완료: the goods are back; the refund's deadline runs from now (order.returned_at)."""
    move(order, F.RETURNED, EventSource.ADMIN)


def move(order: Order, target: Fulfilment, source: EventSource, note: str = "") -> None:
    refusal = shipments.advance(order, target, source, note)
    if refusal is not None:
        raise ReturnRefused(f"‘{target.label}’ 단계로 바꾸지 못했습니다. {refusal.value}.")


def refund_amount(order: Order) -> int:
    """What goes back: what the payment still holds, less the return shipping deducted."""
    payment, asked = refund_source(order), return_of(order)
    if payment is None or asked is None:
        return 0
    return max(payment.refundable - asked.shipping_deduction, 0)


def refund(gateway: PortOne, order: Order, account: dict | None = None) -> int:
    """Refund a return that came back, then move it to 반품 환불; the amount refunded. Asked
    again after the money went back (a lost move), it only moves the goods."""
    if order.fulfilment is not F.RETURNED:
        raise ReturnRefused("반품완료(상품 도착)를 기록한 주문만 반품 환불을 할 수 있습니다.")
    amount = already_refunded(order) or send_refund(gateway, order, account)
    order = db.session.get_one(Order, order.id)
    move(order, F.RETURN_REFUNDED, EventSource.ADMIN, won(amount))
    db.session.commit()
    return amount


def already_refunded(order: Order) -> int:
    done = [r.amount for r in order.refunds if refunded_return(r)]
    return sum(done)


def refunded_return(refund: Refund) -> bool:
    return refund.cause == RefundCause.RETURN and refund.state == RefundState.DONE


def send_refund(gateway: PortOne, order: Order, account: dict | None) -> int:
    amount, asked = refund_amount(order), return_of(order)
    if not amount or asked is None:
        raise ReturnRefused("돌려드릴 금액이 없습니다 (왕복 배송비가 남은 결제 금액보다 큽니다).")
    reason = f"반품 환불 ({asked.reason.label}"
    reason += (
        f", 왕복 배송비 {won(asked.shipping_deduction)} 차감)" if asked.shipping_deduction else ")"
    )
    cancellation.refund(gateway, order.merchant_uid, reason, RefundCause.RETURN, amount, account)
    return amount
