"""What an order's status sets off: stock taken, held or put back, and notices to the customer.

`follow` runs inside every sync's transaction and brings stock and notices in line with the
status; each happens at most once per order: stock through a conditional update of
`order.stock_taken` (a reservation made by the confirm process counts as taken), notices
through the outbox's unique (order, kind). A repeated or concurrent delivery changes nothing.
"""

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update

from shop.database import insert_once
from shop.extensions import db
from shop.mailer import wake_after_commit
from shop.models import Notice, Order, OrderStatus, Product
from shop.notices import NOTICE_TEXTS
from shop.states import HOLDS_MONEY

# Statuses in which the goods are no longer owed: stock taken or reserved goes back.
RELEASING = (
    OrderStatus.FAILED,
    OrderStatus.EXPIRED,
    OrderStatus.FORGED,
    OrderStatus.REFUNDED,
    OrderStatus.CANCELLED,
)
NOTICES = {
    OrderStatus.PAID: "payment_confirmed",
    OrderStatus.PARTIALLY_REFUNDED: "payment_confirmed",
    OrderStatus.VBANK_ISSUED: "vbank_issued",
    OrderStatus.REFUNDED: "refunded",
    OrderStatus.CANCELLED: "cancelled",
}


def follow(order: Order) -> list[str]:
    """Bring stock and notices in line with the order's status; what happened, in words."""
    notes = []
    if order.status in HOLDS_MONEY:
        order.paid_at = order.paid_at or datetime.now(UTC)
        notes += take_stock(order)
    elif order.status in RELEASING:
        notes += put_back_stock(order)
    kind = notice_kind(order)
    if kind is not None:
        queue_notice(order, kind)
    return notes


def notice_kind(order: Order) -> str | None:
    """The notice the status calls for; money that came in through a virtual account is told
    as the deposit the customer made."""
    kind = NOTICES.get(order.status)
    if kind == "payment_confirmed" and _paid_by_deposit(order):
        return "deposit_received"
    return kind


def _paid_by_deposit(order: Order) -> bool:
    # The payment, not order.pay_method: the pay page lets an order be paid another way.
    return any(payment.pay_method == "vbank" and payment.paid_at for payment in order.payments)


def take_stock(order: Order) -> list[str]:
    """All lines or none: without enough of every product nothing is taken, and the order's
    money is refunded (shop.refunds) instead of selling what the shop does not have."""
    if order.stock_taken:  # read under the order's lock
        return []
    savepoint = db.session.begin_nested()
    if not _flip_stock_taken(order, to=True):
        savepoint.commit()
        return []
    short = [line.name for line in order.lines if not _decrement(line.product_id, line.quantity)]
    if short:
        savepoint.rollback()
        db.session.refresh(order)
        return [f"재고 부족: {', '.join(short)}"]
    savepoint.commit()
    return []


def put_back_stock(order: Order) -> list[str]:
    if not order.stock_taken or not _flip_stock_taken(order, to=False):
        return []
    for line in order.lines:
        if line.product_id is not None:
            _increment(line.product_id, line.quantity)
    return ["재고 복원"]


def _flip_stock_taken(order: Order, to: bool) -> bool:
    flipped = _rows_updated(
        update(Order)
        .where(Order.id == order.id, Order.stock_taken.is_(not to))
        .values(stock_taken=to)
        .execution_options(synchronize_session=False)
    )
    order.stock_taken = to if flipped else order.stock_taken
    return bool(flipped)


def _decrement(product_id: int | None, quantity: int) -> bool:
    """False when there was not enough left (the sale is not taken below zero)."""
    if product_id is None:
        return True
    taken = _rows_updated(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
    )
    return bool(taken)


def _rows_updated(statement: Update) -> int:
    # An UPDATE's result is a CursorResult; Session.execute is typed for any statement.
    return cast(CursorResult[Any], db.session.execute(statement)).rowcount


def _increment(product_id: int, quantity: int) -> None:
    db.session.execute(
        update(Product).where(Product.id == product_id).values(stock=Product.stock + quantity)
    )


def queue_notice(order: Order, kind: str) -> None:
    queued = select(Notice.id).where(Notice.order_id == order.id, Notice.kind == kind)
    if db.session.execute(queued).first() is not None:
        return
    subject, body = NOTICE_TEXTS[kind](order)
    insert_once(
        Notice,
        {
            "order_id": order.id,
            "kind": kind,
            "recipient": order.buyer_email,
            "subject": subject,
            "body": body,
            "created_at": datetime.now(UTC),
        },
        unique=["order_id", "kind"],
    )
    wake_after_commit(db.session())
