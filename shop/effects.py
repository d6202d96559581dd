"""What a status change sets off: stock taken or put back, and notices to the customer.

Each runs inside the sync's transaction and at most once per order: stock through a
conditional update of `order.stock_taken`, notices through the outbox's unique
(order, kind). A repeated or concurrent delivery therefore changes nothing more.
"""

from datetime import UTC, datetime

from sqlalchemy import update

from shop.database import insert_once
from shop.extensions import db
from shop.formatting import seoul_time, won
from shop.models import Notice, Order, OrderStatus, Product
from shop.states import HOLDS_MONEY


def after_move(order: Order) -> list[str]:
    """Run the side effects of the order's new status; what happened, in words."""
    notes = []
    if order.status in HOLDS_MONEY:
        notes += take_stock(order)
        queue_notice(order, "payment_confirmed")
    elif order.status == OrderStatus.VBANK_ISSUED:
        queue_notice(order, "vbank_issued")
    elif order.status == OrderStatus.REFUNDED:
        notes += put_back_stock(order)
        queue_notice(order, "refunded")
    return notes


def take_stock(order: Order) -> list[str]:
    if not _flip_stock_taken(order, to=True):
        return []
    order.paid_at = order.paid_at or datetime.now(UTC)
    short = [line.name for line in order.lines if not _decrement(line.product_id, line.quantity)]
    return [f"재고 부족: {', '.join(short)}"] if short else []


def put_back_stock(order: Order) -> list[str]:
    if not _flip_stock_taken(order, to=False):
        return []
    for line in order.lines:
        if line.product_id is not None:
            _increment(line.product_id, line.quantity)
    return ["재고 복원"]


def _flip_stock_taken(order: Order, to: bool) -> bool:
    flipped = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.stock_taken.is_(not to))
        .values(stock_taken=to)
        .execution_options(synchronize_session=False)
    ).rowcount
    order.stock_taken = to if flipped else order.stock_taken
    return bool(flipped)


def _decrement(product_id: int | None, quantity: int) -> bool:
    """False when there was not enough left (the sale is not taken below zero)."""
    if product_id is None:
        return True
    taken = db.session.execute(
        update(Product)
        .where(Product.id == product_id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
    ).rowcount
    return bool(taken)


def _increment(product_id: int, quantity: int) -> None:
    db.session.execute(
        update(Product).where(Product.id == product_id).values(stock=Product.stock + quantity)
    )


def queue_notice(order: Order, kind: str) -> None:
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


def _confirmed(order: Order) -> tuple[str, str]:
    return (
        f"[주문 확인] {order.name} 결제가 완료되었습니다",
        f"{order.buyer_name}님, {won(order.amount)} 결제가 확인되었습니다.\n"
        f"주문 번호: {order.merchant_uid}",
    )


def _vbank_issued(order: Order) -> tuple[str, str]:
    payment = order.vbank_payment
    return (
        f"[입금 안내] {order.name} 가상계좌가 발급되었습니다",
        f"{order.buyer_name}님, 아래 계좌로 {won(order.amount)}을 입금해 주세요.\n"
        f"{payment.vbank_name} {payment.vbank_num} (예금주 {payment.vbank_holder or ''})\n"
        f"입금 기한: {seoul_time(payment.vbank_date)}까지\n"
        f"주문 번호: {order.merchant_uid}",
    )


def _refunded(order: Order) -> tuple[str, str]:
    return (
        f"[환불 완료] {order.name} 결제가 취소되었습니다",
        f"{order.buyer_name}님, {won(order.amount)} 결제가 취소되었습니다.\n"
        f"주문 번호: {order.merchant_uid}",
    )


NOTICE_TEXTS = {
    "payment_confirmed": _confirmed,
    "vbank_issued": _vbank_issued,
    "refunded": _refunded,
}
