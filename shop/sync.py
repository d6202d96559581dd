"""One path for payment truth: every claim about a payment goes through `sync_payment`.

The browser callback, the mobile return URL (and later webhooks and reconciliation) only say
"look at imp_uid". The payment fetched from the gateway is the truth; the order is found by
the *gateway's* merchant_uid, checked against it, and moved along the allowed transitions.
Repeating a sync, or running two at once, applies each transition and its side effects once.
"""

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from shop.extensions import db
from shop.gateway import GatewayError, PortOne
from shop.models import Order, OrderStatus, Payment, PaymentEvent, Product

IMP_UID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

# Where an order may go from each status; anything else is refused (and recorded).
ALLOWED = {
    OrderStatus.PENDING: {
        OrderStatus.PAID,
        OrderStatus.VBANK_ISSUED,
        OrderStatus.FAILED,
        OrderStatus.FORGED,
    },
    OrderStatus.FAILED: {OrderStatus.PAID, OrderStatus.VBANK_ISSUED, OrderStatus.FORGED},
    OrderStatus.VBANK_ISSUED: {OrderStatus.PAID, OrderStatus.FORGED},
    OrderStatus.PAID: set(),
    OrderStatus.FORGED: set(),
}


class Outcome(enum.Enum):
    PAID = "paid"
    VBANK_ISSUED = "vbank_issued"
    FAILED = "failed"
    NOT_COMPLETED = "not_completed"  # the window was left without a result (status ready)
    CANCELLED = "cancelled"
    FORGED = "forged"
    MISMATCH = "mismatch"  # the payment belongs to another order than the one claimed
    UNKNOWN_PAYMENT = "unknown_payment"
    UNKNOWN_ORDER = "unknown_order"
    INVALID = "invalid"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class SyncResult:
    outcome: Outcome
    order: Order | None = None
    payment: Payment | None = None
    detail: str | None = None


def sync_payment(
    gateway: PortOne,
    imp_uid: str,
    source: str,
    claimed_merchant_uid: str | None = None,
    note: str | None = None,
) -> SyncResult:
    """Fetch the payment, apply what it means to its order, record the claim; commit once."""
    event = PaymentEvent(
        source=source, imp_uid=imp_uid, claimed_merchant_uid=claimed_merchant_uid, detail=note
    )
    if not IMP_UID_SHAPE.fullmatch(imp_uid or ""):
        return _record(event, SyncResult(Outcome.INVALID, detail="imp_uid 형식 오류"))
    result = _sync(lambda: gateway.get_payment(imp_uid), claimed_merchant_uid, event)
    return _record(event, result)


def sync_latest(
    gateway: PortOne, merchant_uid: str, source: str, note: str | None = None
) -> SyncResult:
    """Sync the newest payment PortOne has for an order (when no imp_uid was given)."""
    event = PaymentEvent(source=source, claimed_merchant_uid=merchant_uid, detail=note)
    result = _sync(lambda: gateway.find_payment(merchant_uid), merchant_uid, event)
    event.imp_uid = result.payment.imp_uid if result.payment else None
    return _record(event, result)


def _record(event: PaymentEvent, result: SyncResult) -> SyncResult:
    event.outcome = result.outcome.value
    _note(event, result.detail)
    db.session.add(event)
    db.session.commit()
    return result


def _sync(
    fetch: Callable[[], dict[str, Any]], claimed: str | None, event: PaymentEvent
) -> SyncResult:
    try:
        fetched = fetch()
    except GatewayError as error:
        outcome = Outcome.UNKNOWN_PAYMENT if error.not_found else Outcome.UNAVAILABLE
        return SyncResult(outcome, detail=error.message)
    event.gateway_status = fetched.get("status")
    event.gateway_amount = fetched.get("amount")

    order = db.session.execute(
        select(Order).where(Order.merchant_uid == fetched["merchant_uid"]).with_for_update()
    ).scalar_one_or_none()
    if order is None:
        detail = f"gateway merchant_uid {fetched['merchant_uid']}"
        return SyncResult(Outcome.UNKNOWN_ORDER, detail=detail)
    event.order_id = order.id
    payment = _store_payment(order, fetched)
    verdict = _judge(order, fetched)
    _apply(order, verdict, event)
    if claimed is not None and claimed != order.merchant_uid:
        detail = f"claimed {claimed}, gateway says {order.merchant_uid}"
        return SyncResult(Outcome.MISMATCH, order, payment, detail)
    return SyncResult(verdict, order, payment)


def _judge(order: Order, fetched: dict[str, Any]) -> Outcome:
    status = fetched["status"]
    if status == "failed":
        return Outcome.FAILED
    if status == "cancelled":
        return Outcome.CANCELLED
    takes_money = status == "paid" or (status == "ready" and fetched.get("vbank_num"))
    if not takes_money:
        return Outcome.NOT_COMPLETED
    if fetched["amount"] != order.amount or fetched["currency"] != order.currency:
        return Outcome.FORGED
    return Outcome.PAID if status == "paid" else Outcome.VBANK_ISSUED


TARGET = {
    Outcome.PAID: OrderStatus.PAID,
    Outcome.VBANK_ISSUED: OrderStatus.VBANK_ISSUED,
    Outcome.FAILED: OrderStatus.FAILED,
    Outcome.FORGED: OrderStatus.FORGED,
}


def _apply(order: Order, verdict: Outcome, event: PaymentEvent) -> None:
    """Move the order if the table allows it; side effects run only for the winning move."""
    event.order_status_before = order.status.value
    target = TARGET.get(verdict)
    if target is not None and target != order.status:
        sources = [status for status, targets in ALLOWED.items() if target in targets]
        moved = db.session.execute(
            update(Order)
            .where(Order.id == order.id, Order.status.in_(sources))
            .values(status=target, updated_at=datetime.now(UTC))
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.refresh(order)
        if moved and target == OrderStatus.PAID:
            _fulfil(order)
        elif not moved:
            _note(event, f"transition {order.status.value} → {target.value} refused")
    event.order_status_after = order.status.value


def _note(event: PaymentEvent, text: str | None) -> None:
    """Add to what the event says; its column holds 500 characters."""
    event.detail = "; ".join(filter(None, (event.detail, text)))[:500] or None


def _fulfil(order: Order) -> None:
    order.paid_at = datetime.now(UTC)
    for line in order.lines:
        if line.product_id is not None:
            db.session.execute(
                update(Product)
                .where(Product.id == line.product_id, Product.stock >= line.quantity)
                .values(stock=Product.stock - line.quantity)
            )


def _store_payment(order: Order, fetched: dict[str, Any]) -> Payment:
    payment = db.session.execute(
        select(Payment).where(Payment.imp_uid == fetched["imp_uid"])
    ).scalar_one_or_none()
    if payment is None:
        payment = Payment(imp_uid=fetched["imp_uid"])
        db.session.add(payment)
    payment.order = order
    payment.merchant_uid = fetched["merchant_uid"]
    payment.status = fetched["status"]
    payment.amount = fetched["amount"]
    payment.cancel_amount = fetched.get("cancel_amount") or 0
    payment.currency = fetched["currency"]
    for field in (
        "pay_method", "pg_provider", "pg_tid", "apply_num", "card_name", "receipt_url",
        "fail_reason", "vbank_name", "vbank_num", "vbank_holder",
    ):  # fmt: skip
        setattr(payment, field, fetched.get(field))
    payment.sandbox = bool(fetched.get("sandbox"))
    payment.started_at = from_unix(fetched.get("started_at"))
    payment.paid_at = from_unix(fetched.get("paid_at"))
    payment.failed_at = from_unix(fetched.get("failed_at"))
    payment.vbank_date = from_unix(fetched.get("vbank_date"))
    payment.fetched_at = datetime.now(UTC)
    db.session.flush()
    return payment


def from_unix(seconds: int | None) -> datetime | None:
    """PortOne sends UNIX seconds, with 0 meaning 'not set'."""
    return datetime.fromtimestamp(seconds, UTC) if seconds else None
