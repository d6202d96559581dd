"""The order's moves: where its payments point, taken by a conditional update when the table
allows (shop.payments.states), with stock and notices following (shop.payments.effects)."""

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm.attributes import set_committed_value

from shop.core.extensions import db
from shop.core.ledger import EventSource, Payment, PaymentEvent, RefundCause, RefundState
from shop.core.models import Order, OrderStatus, PaymentStatus
from shop.payments import effects, states
from shop.payments.events import add_detail, new_event, record_claim
from shop.payments.outcomes import Outcome, SyncResult

S = OrderStatus


def locked_order(merchant_uid: str) -> Order | None:
    """The order, locked until commit on PostgreSQL (SQLite holds its write lock already)."""
    query = select(Order).where(Order.merchant_uid == merchant_uid).with_for_update()
    return db.session.execute(query).scalar_one_or_none()


def judge(order: Order, payment: Payment) -> Outcome:
    """What this payment means to whoever is waiting for it."""
    if order.status == OrderStatus.NEEDS_REVIEW:
        return Outcome.NEEDS_REVIEW
    if order.status == OrderStatus.FORGED:
        return Outcome.FORGED  # refunded or not, asked once or again
    if payment.status == PaymentStatus.FAILED:
        return Outcome.FAILED
    if payment.status == PaymentStatus.CANCELLED:
        return Outcome.CANCELLED
    if not (payment.status == PaymentStatus.PAID or states.open_vbank(payment)):
        return Outcome.NOT_COMPLETED
    if not states.fits(order, payment):
        return Outcome.FORGED
    return Outcome.PAID if payment.status == PaymentStatus.PAID else Outcome.VBANK_ISSUED


def move(order: Order, event: PaymentEvent) -> None:
    """Move the order where its payments point, if the table allows; then stock and notices
    follow the status (each once)."""
    before = order.status
    event.order_status_before = before.value
    wanted, reason = states.target(order, order.payments, datetime.now(UTC))
    step = states.next_status(before, wanted) if wanted else None
    if before == S.NEEDS_REVIEW and wanted in states.BACK_TO_PAID and duplicate_refunded(order):
        step = wanted
    if wanted and step is None and wanted != before:
        add_detail(event, refusal(before, wanted))
    if step is not None and conditional_move(order, step, reason):
        add_detail(event, review_exit(before, step))
    add_detail(event, "; ".join(effects.follow(order)))
    event.order_status_after = order.status.value


def review_exit(before: OrderStatus, after: OrderStatus) -> str | None:
    """The words of the named automatic way out of review just taken, for its event."""
    if before != S.NEEDS_REVIEW:
        return None
    return states.REVIEW_EXITS.get(after, states.DUPLICATE_REFUNDED)


def duplicate_refunded(order: Order) -> bool:
    """Paid before review, and all that came beyond refunded by the shop itself."""
    refunds = order.refunds
    return (
        entered_review_from(order) in states.BACK_TO_PAID
        and any(refund.cause == RefundCause.DUPLICATE for refund in refunds)
        and all(refund.state == RefundState.DONE for refund in refunds)
    )


def entered_review_from(order: Order) -> OrderStatus | None:
    query = (
        select(PaymentEvent.order_status_before)
        .where(
            PaymentEvent.order_id == order.id,
            PaymentEvent.order_status_after == S.NEEDS_REVIEW.value,
            PaymentEvent.order_status_before != S.NEEDS_REVIEW.value,
        )
        .order_by(PaymentEvent.id.desc())
        .limit(1)
    )
    found = db.session.execute(query).scalar()
    return OrderStatus(found) if found else None


def refusal(current: OrderStatus, wanted: OrderStatus) -> str:
    """Why the payments' word was not followed, for the event."""
    if current == S.NEEDS_REVIEW:
        return f"확인 필요: 관리자가 처리할 때까지 주문 상태를 바꾸지 않습니다 (결제 기준 {wanted.label})"
    return f"transition {current.value} → {wanted.value} refused"


def record_move(order: Order, step: OrderStatus, source: EventSource, note: str) -> bool:
    """A move someone asked for (a customer's cancel), with its event; False if the table
    does not allow it from where the locked order stands. The caller commits."""
    event = new_event(source, None, order.merchant_uid, note)
    event.order_id, event.order_status_before = order.id, order.status.value
    moved = states.allowed(order.status, step) and conditional_move(order, step, note)
    add_detail(event, "; ".join(effects.follow(order)))
    event.order_status_after, event.outcome = order.status.value, "requested"
    db.session.add(event)
    return moved


def conditional_move(order: Order, step: OrderStatus, reason: str) -> bool:
    """UPDATE ... WHERE status = the one we read: a concurrent move makes this a no-op."""
    values: dict[str, Any] = {"status": step, "updated_at": datetime.now(UTC)}
    if step == OrderStatus.NEEDS_REVIEW:
        values["review_reason"] = reason or "자동으로 판단할 수 없는 결제"
    statement = (
        update(Order)
        .where(Order.id == order.id, Order.status == order.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    moved = cast(CursorResult[Any], db.session.execute(statement)).rowcount
    if not moved:
        db.session.refresh(order)  # someone else moved it: see where to
        return False
    for field, value in values.items():
        set_committed_value(order, field, value)  # what the UPDATE wrote; no need to re-read
    return True


def review(order_id: int, reason: str) -> SyncResult:
    """Put an order in front of a person, if the table allows it from where it stands."""
    order = db.session.execute(
        select(Order).where(Order.id == order_id).with_for_update()
    ).scalar_one()
    event = new_event(EventSource.REFUND, None, order.merchant_uid, reason)
    event.order_id, event.order_status_before = order.id, order.status.value
    if states.allowed(order.status, OrderStatus.NEEDS_REVIEW):
        conditional_move(order, OrderStatus.NEEDS_REVIEW, reason)
    event.order_status_after = order.status.value
    return record_claim(event, SyncResult(Outcome.NEEDS_REVIEW, order, detail=reason))
