"""What an order's status sets off: stock taken, held or put back, and notices to the customer.

`follow` runs inside every sync's transaction and brings stock and notices in line with the
status; each happens at most once per order: stock through a conditional update of
`order.stock_taken` (a hold made by the confirm process counts as taken), notices through the
outbox's unique (order, key) (shop.notices.queue). A repeated or concurrent delivery changes
nothing.

A hold lasts until `order.stock_held_until`: paid for, or with a virtual account issued, it
becomes the sale's; still unpaid after that moment, it goes back.
"""

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Update, case, select, update

from shop.core.extensions import db
from shop.core.ledger import NoticeKind, RefundState
from shop.core.models import Order, OrderStatus, Product, as_utc
from shop.notices.queue import queue_notice
from shop.payments.states import HOLDS_MONEY

# Statuses in which the goods are no longer owed: stock taken or reserved goes back.
RELEASING = (
    OrderStatus.FAILED,
    OrderStatus.EXPIRED,
    OrderStatus.FORGED,
    OrderStatus.REFUNDED,
    OrderStatus.CANCELLED,
)
NOTICES = {
    OrderStatus.PAID: NoticeKind.PAYMENT_CONFIRMED,
    OrderStatus.PARTIALLY_REFUNDED: NoticeKind.PAYMENT_CONFIRMED,
    OrderStatus.VBANK_ISSUED: NoticeKind.VBANK_ISSUED,
    OrderStatus.REFUNDED: NoticeKind.REFUNDED,
    OrderStatus.CANCELLED: NoticeKind.CANCELLED,
}


# Statuses that keep a hold for good: the money came, or a virtual account waits for it (until
# its due date, when the order expires).
KEEPS_HOLD = HOLDS_MONEY | {OrderStatus.VBANK_ISSUED}


def follow(order: Order) -> list[str]:
    """Bring stock and notices in line with the order's status; what happened, in words."""
    notes = []
    if order.status in KEEPS_HOLD:
        order.stock_held_until = None
    if order.status in HOLDS_MONEY:
        order.paid_at = order.paid_at or datetime.now(UTC)
        notes += take_stock(order)
    elif order.status in RELEASING:
        notes += put_back_stock(order)
    elif hold_expired(order, datetime.now(UTC)):
        notes += ["결제되지 않은 재고 확보 만료", *put_back_stock(order)]
    kind = notice_kind(order)
    if kind is not None:
        queue_notice(order, kind)
    return notes


def notice_kind(order: Order) -> NoticeKind | None:
    """The notice the status calls for; money that came in through a virtual account is told
    as the deposit the customer made."""
    kind = NOTICES.get(order.status)
    if kind == NoticeKind.PAYMENT_CONFIRMED and _paid_by_deposit(order):
        return NoticeKind.DEPOSIT_RECEIVED
    if kind == NoticeKind.REFUNDED and _told_by_its_refund(order):
        return None
    return kind


def _told_by_its_refund(order: Order) -> bool:
    """The shop gave back all that was left itself: that refund tells the customer, as each of
    its refunds does (shop.payments.refunds). Only money PortOne gave back alone (its console)
    is told by the status."""
    return any(r.amount == r.checksum and r.state != RefundState.REFUSED for r in order.refunds)


def _paid_by_deposit(order: Order) -> bool:
    # The payment, not order.pay_method: the pay page lets an order be paid another way.
    return any(payment.pay_method == "vbank" and payment.paid_at for payment in order.payments)


def take_stock(order: Order) -> list[str]:
    """All lines or none: without enough of every product nothing is taken, and the order's
    money is refunded (shop.payments.refunds) instead of selling what the shop does not have."""
    if order.stock_taken:  # read under the order's lock
        return []
    savepoint = db.session.begin_nested()
    if not _flip_stock_taken(order, to=True):
        savepoint.commit()
        return []
    wanted = quantities(order)
    if wanted and _rows_updated(_taking(wanted)) < len(wanted):
        savepoint.rollback()
        db.session.refresh(order)
        return [f"재고 부족: {', '.join(_short_of(order, wanted))}"]
    savepoint.commit()
    return []


def hold_stock(order: Order, until: datetime) -> list[str]:
    """Take the stock for a payment about to be approved, until `until` (shop.payments.confirm); a
    hold or a sale already made stays as it is."""
    if order.stock_taken:
        return []
    shortage = take_stock(order)
    if not shortage:
        order.stock_held_until = until
    return shortage


def hold_expired(order: Order, now: datetime) -> bool:
    return order.stock_held_until is not None and as_utc(order.stock_held_until) <= now


def put_back_stock(order: Order) -> list[str]:
    order.stock_held_until = None
    if not order.stock_taken or not _flip_stock_taken(order, to=False):
        return []
    wanted = quantities(order)
    if wanted:
        db.session.execute(_moving(wanted, Product.stock + _per_product(wanted)))
    return ["재고 복원"]


def quantities(order: Order) -> dict[int, int]:
    """What the order takes of each product still in the catalogue."""
    wanted: dict[int, int] = {}
    for line in order.lines:
        if line.product_id is not None:
            wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    return wanted


def _per_product(wanted: dict[int, int]):
    return case(wanted, value=Product.id)


def _moving(wanted: dict[int, int], stock) -> Update:
    """One UPDATE for every product of the order, whatever the number of lines."""
    moving = update(Product).where(Product.id.in_(wanted)).values(stock=stock)
    return moving.execution_options(synchronize_session=False)


def _taking(wanted: dict[int, int]) -> Update:
    """Each product only if enough is left: the sale is never taken below zero."""
    taking = _moving(wanted, Product.stock - _per_product(wanted))
    return taking.where(Product.stock >= _per_product(wanted))


def _short_of(order: Order, wanted: dict[int, int]) -> list[str]:
    short = select(Product.id).where(Product.id.in_(wanted), Product.stock < _per_product(wanted))
    missing = set(db.session.scalars(short))
    return [line.name for line in order.lines if line.product_id in missing]


def _flip_stock_taken(order: Order, to: bool) -> bool:
    flipped = _rows_updated(
        update(Order)
        .where(Order.id == order.id, Order.stock_taken.is_(not to))
        .values(stock_taken=to)
        .execution_options(synchronize_session=False)
    )
    order.stock_taken = to if flipped else order.stock_taken
    return bool(flipped)


def _rows_updated(statement: Update) -> int:
    # An UPDATE's result is a CursorResult; Session.execute is typed for any statement.
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount
