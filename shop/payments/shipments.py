"""Moving an order's goods (shop.core.fulfilment): under the order's lock, by an UPDATE that
names the state it moves from, and recorded on the order's timeline like every claim about its
payments.

Payment and fulfilment never contradict: goods are prepared, sent or sold for good only while
the order holds money and no refund of it is on its way (a customer's cancel may be); a
return is 환불 only once money went back. Goods that left arrive whatever became of the money.
The caller commits.
"""

import enum
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm.attributes import set_committed_value

from shop.core.couriers import Courier
from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment, may_move
from shop.core.ledger import EventSource, NoticeKind, PaymentEvent, Refund
from shop.core.models import Order, OrderStatus
from shop.notices.queue import queue_notice
from shop.payments.events import new_event
from shop.payments.refunds import IN_FLIGHT
from shop.payments.states import HOLDS_MONEY

F = Fulfilment

# The payment statuses a move into each state needs; a state not named needs none.
NEEDS: dict[Fulfilment, frozenset[OrderStatus]] = dict.fromkeys(
    (F.PREPARING, F.SHIPPING, F.CONFIRMED, F.RETURN_REQUESTED, F.RETURN_APPROVED, F.RETURNED),
    HOLDS_MONEY,
) | {F.RETURN_REFUNDED: frozenset({OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED})}
# The moves the customer is told of by e-mail, queued in the move's transaction.
TOLD = {F.SHIPPING: NoticeKind.SHIPPED, F.DELIVERED: NoticeKind.DELIVERED}
# The moment a move into each of these is written with it, on the order: the 반품 window runs
# from delivered_at, the refund's deadline from returned_at (shop.core.returns).
STAMPS = {F.DELIVERED: "delivered_at", F.RETURNED: "returned_at"}


class Refusal(enum.Enum):
    """Why the goods did not move; each value is what the operator reads."""

    NOT_ALLOWED = "이 주문의 배송 상태에서는 그렇게 바꿀 수 없습니다"
    NO_MONEY = "결제 완료 또는 부분 환불 상태의 주문만 가능합니다"
    REFUND_IN_FLIGHT = "환불을 진행하고 있는 주문입니다. 환불 결과를 확인한 뒤 다시 시도해 주세요"


def ship(
    order: Order, courier: Courier, invoice_number: str, source: EventSource
) -> Refusal | None:
    """배송중: handed to `courier` under `invoice_number` (digits), now."""
    values = {"shipped_at": datetime.now(UTC), "courier": courier, "invoice_number": invoice_number}
    return advance(order, F.SHIPPING, source, f"{courier.label} {invoice_number}", values)


def advance(
    order: Order,
    target: Fulfilment,
    source: EventSource,
    note: str = "",
    values: dict[str, Any] | None = None,
) -> Refusal | None:
    """Move the goods to `target` (writing `values` with the move) and record it; or say why
    not. Two requests at once move them once: the second finds them moved."""
    order = locked(order.id)
    before = order.fulfilment
    refusal = refusal_for(order, target)
    stamp = {STAMPS[target]: datetime.now(UTC)} if target in STAMPS else {}
    if refusal is None and not conditional_move(order, target, stamp | (values or {})):
        refusal = Refusal.NOT_ALLOWED
    if refusal is None:
        db.session.add(move_event(order, before, source, note))
        if target in TOLD:
            queue_notice(order, TOLD[target])
    return refusal


def open_moves(order: Order) -> list[Fulfilment]:
    """Where the goods may go from here, as far as the order's status allows."""
    return [target for target in Fulfilment if refusal_for(order, target, money_only=True) is None]


def locked(order_id: int) -> Order:
    """The order as committed now, locked until commit on PostgreSQL (SQLite holds its write
    lock already, and the UPDATE's conditions decide there)."""
    query = select(Order).where(Order.id == order_id).with_for_update()
    return db.session.execute(query.execution_options(populate_existing=True)).scalar_one()


def refusal_for(order: Order, target: Fulfilment, money_only: bool = False) -> Refusal | None:
    """Why the goods may not move to `target`; `money_only` leaves refunds on their way
    unasked."""
    if not may_move(order.fulfilment, target):
        return Refusal.NOT_ALLOWED
    needed = NEEDS.get(target)
    if needed is not None and order.status not in needed:
        return Refusal.NO_MONEY
    if needed is not None and not money_only and refund_in_flight(order.id):
        return Refusal.REFUND_IN_FLIGHT
    return None


def refund_in_flight(order_id: int) -> bool:
    query = select(Refund.id).where(Refund.order_id == order_id, Refund.state.in_(IN_FLIGHT))
    return db.session.execute(query).first() is not None


def conditional_move(order: Order, target: Fulfilment, values: dict[str, Any]) -> bool:
    """UPDATE ... WHERE fulfilment = the one we read (and the money still allows it): a
    concurrent move makes this a no-op."""
    conditions = [Order.id == order.id, Order.fulfilment == order.fulfilment]
    if (needed := NEEDS.get(target)) is not None:
        conditions.append(Order.status.in_(needed))
    written = {"fulfilment": target, "updated_at": datetime.now(UTC)} | values
    statement = (
        update(Order)
        .where(*conditions)
        .values(**written)
        .execution_options(synchronize_session=False)
    )
    if not cast(CursorResult[Any], db.session.execute(statement)).rowcount:
        return False
    for field, value in written.items():
        set_committed_value(order, field, value)  # what the UPDATE wrote; no need to re-read
    return True


def move_event(order: Order, before: Fulfilment, source: EventSource, note: str) -> PaymentEvent:
    """On the order's timeline: the goods' move, the money's status as it stands."""
    moved = f"{before.label} → {order.fulfilment.label}"
    event = new_event(source, None, order.merchant_uid, f"{moved} {note}".strip())
    event.order_id, event.outcome = order.id, order.fulfilment.event_outcome
    event.order_status_before = event.order_status_after = order.status.value
    return event
