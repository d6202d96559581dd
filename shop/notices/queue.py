"""Queueing a notice: written in the transaction of the change that causes it, sent after the
commit by the outbox (shop.notices.outbox).

Each is queued once per key, whatever deliveries race (the unique order and key, and an INSERT
that does nothing on a conflict): the notice an order's status calls for once per order, the
notice of a refund once per refund.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import select

from shop.core.database import insert_once
from shop.core.extensions import db
from shop.core.ledger import CashReceipt, Notice, NoticeKind, Refund
from shop.core.models import Order
from shop.notices.goods_texts import GOODS_TEXTS
from shop.notices.return_texts import RETURN_TEXTS
from shop.notices.sender import wake_after_commit
from shop.notices.texts import NOTICE_TEXTS, SubjectAndBody, receipt_letter, refund_letter

LETTERS = NOTICE_TEXTS | GOODS_TEXTS | RETURN_TEXTS  # what each kind told once says


def queue_notice(order: Order, kind: NoticeKind) -> None:
    """The notice a status calls for; an order is told each of these once."""
    _queue_once(order, kind, kind.value, partial(LETTERS[kind], order))


def queue_refund_notice(order: Order, refund: Refund, paid: int) -> None:
    """A refund that went through: what came back this time, of the `paid` payment."""
    letter = partial(refund_letter, order, refund, paid)
    _queue_once(order, NoticeKind.REFUNDED, f"refund:{refund.id}", letter, refund_id=refund.id)


def queue_receipt_notice(order: Order, receipt: CashReceipt) -> None:
    """현금영수증 발급: once for each receipt (one issued again after a partial refund has a
    승인번호 of its own)."""
    key = f"cash_receipt:{receipt.apply_num or receipt.imp_uid}"[:40]
    _queue_once(order, NoticeKind.CASH_RECEIPT_ISSUED, key, partial(receipt_letter, order, receipt))


def _queue_once(
    order: Order,
    kind: NoticeKind,
    key: str,
    letter: Callable[[], SubjectAndBody],
    refund_id: int | None = None,
) -> None:
    queued = select(Notice.id).where(Notice.order_id == order.id, Notice.key == key)
    if db.session.execute(queued).first() is not None:
        return
    subject, body = letter()  # written only for a notice not queued yet
    row = {"order_id": order.id, "kind": kind, "key": key, "refund_id": refund_id}
    row |= {"recipient": order.buyer_email, "subject": subject, "body": body}
    insert_once(Notice, row | {"created_at": datetime.now(UTC)}, unique=["order_id", "key"])
    wake_after_commit(db.session())
