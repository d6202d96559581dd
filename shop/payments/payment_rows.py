"""The payment rows: PortOne's payments as last fetched, inserted once and never set back by
a stale fetch."""

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import String, select
from sqlalchemy.sql.elements import KeyedColumnElement

from shop.core.database import insert_once
from shop.core.extensions import db
from shop.core.ledger import Payment
from shop.core.models import Order, PaymentStatus, as_utc
from shop.payments.events import column_text

# How far along a payment is; a fetch that is behind the stored row is stale (it was made
# before a concurrent sync stored the newer one).
PROGRESS = {
    PaymentStatus.READY: 0,
    PaymentStatus.FAILED: 1,
    PaymentStatus.PAID: 2,
    PaymentStatus.CANCELLED: 3,
}
COPIED_FIELDS = (
    "pay_method", "pg_provider", "pg_tid", "apply_num", "card_name", "receipt_url",
    "fail_reason", "vbank_name", "vbank_num", "vbank_holder",
)  # fmt: skip
TIMES = ("started_at", "paid_at", "failed_at", "vbank_date")


def store_payment(order: Order, fetched: dict[str, Any]) -> Payment:
    """Insert or update the payment row; a fetch older than the stored row is ignored, and
    one that tells nothing new writes nothing."""
    row = _payment_row(order, fetched)
    payment = _known(order, row["imp_uid"]) or _inserted(order, row)
    if _progress(row["status"], row["cancel_amount"]) >= _progress(
        payment.status, payment.cancel_amount
    ):
        _copy_changes(payment, row)
    db.session.flush()
    return payment


def _known(order: Order, imp_uid: str) -> Payment | None:
    return next((p for p in order.payments if p.imp_uid == imp_uid), None)


def _inserted(order: Order, row: dict[str, Any]) -> Payment:
    insert_once(Payment, row, unique=["imp_uid"])  # a concurrent sync may have stored it
    db.session.refresh(order, ["payments"])
    stored = select(Payment).where(Payment.imp_uid == row["imp_uid"])
    return db.session.execute(stored).scalar_one()


def _copy_changes(payment: Payment, row: dict[str, Any]) -> None:
    changed = {
        field: value
        for field, value in row.items()
        if field != "fetched_at" and not _same(getattr(payment, field), value)
    }
    for field, value in changed.items():
        setattr(payment, field, value)
    if changed:
        payment.fetched_at = row["fetched_at"]


def _same(stored: Any, fetched: Any) -> bool:
    """SQLite gives back naive datetimes for the aware ones the shop wrote."""
    if isinstance(stored, datetime) and isinstance(fetched, datetime):
        return as_utc(stored) == as_utc(fetched)
    return stored == fetched


def _progress(status: PaymentStatus, cancel_amount: int | None) -> tuple[int, int]:
    return PROGRESS[status], cancel_amount or 0


def _length(column: KeyedColumnElement[Any]) -> int:
    return cast(String, column.type).length or 500


def _payment_row(order: Order, fetched: dict[str, Any]) -> dict[str, Any]:
    """The gateway's descriptive fields cut to their columns: a PG's long message must not
    keep the payment from being stored (PostgreSQL refuses text longer than its column)."""
    columns = Payment.__table__.c
    row: dict[str, Any] = {
        field: column_text(fetched.get(field), _length(columns[field])) for field in COPIED_FIELDS
    }
    row |= {field: from_unix(fetched.get(field)) for field in TIMES}
    return row | {
        "imp_uid": fetched["imp_uid"],
        "merchant_uid": fetched["merchant_uid"],
        "order_id": order.id,
        "status": PaymentStatus(fetched["status"]),
        "amount": fetched["amount"],
        "cancel_amount": fetched.get("cancel_amount") or 0,
        "card_quota": fetched.get("card_quota") or 0,
        "currency": fetched["currency"],
        "sandbox": bool(fetched.get("sandbox")),
        "escrow": bool(fetched.get("escrow")),
        "cash_receipt_issued": bool(fetched.get("cash_receipt_issued")),
        "fetched_at": datetime.now(UTC),
    }


def from_unix(seconds: int | None) -> datetime | None:
    """PortOne sends UNIX seconds, with 0 meaning 'not set'."""
    return datetime.fromtimestamp(seconds, UTC) if seconds else None
