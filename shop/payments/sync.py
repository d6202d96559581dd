"""One path for payment truth: every claim about a payment goes through here.

The browser callback, the mobile return URL, webhooks, reconciliation (and later the admin)
only say "look at this payment". The payment fetched from the gateway is the truth: the order
is found by the *gateway's* merchant_uid and locked, the payment row is stored (a stale fetch
never overwrites a newer one), the order's status is derived from all its payments
(shop.payments.states) and moved by a conditional update, and the move's side effects run once
(shop.payments.effects). Each claim is an event row, committed with the change it caused. Repeating a
sync, or running several at once, changes nothing more.
"""

import enum
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, String, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import KeyedColumnElement

from shop.core.database import insert_once
from shop.core.extensions import db
from shop.core.logs import claim_line, log_claim
from shop.core.models import Order, OrderStatus, Payment, PaymentEvent, Refund, as_utc
from shop.payments import effects, refunds, states
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.methods import providers

IMP_UID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")  # no longer than Payment.imp_uid
PAYMENT_STATUSES = ("ready", "paid", "failed", "cancelled")
# How far along a payment is; a fetch that is behind the stored row is stale (it was made
# before a concurrent sync stored the newer one).
PROGRESS = {"ready": 0, "failed": 1, "paid": 2, "cancelled": 3}
COPIED_FIELDS = (
    "pay_method", "pg_provider", "pg_tid", "apply_num", "card_name", "receipt_url",
    "fail_reason", "vbank_name", "vbank_num", "vbank_holder",
)  # fmt: skip
TIMES = ("started_at", "paid_at", "failed_at", "vbank_date")
DATABASE_TROUBLE = "데이터베이스에 접근하지 못해 반영하지 못했습니다."

log = logging.getLogger(__name__)


class Outcome(enum.Enum):
    PAID = "paid"
    VBANK_ISSUED = "vbank_issued"
    FAILED = "failed"
    NOT_COMPLETED = "not_completed"  # the window was left without a result (status ready)
    CANCELLED = "cancelled"
    FORGED = "forged"
    NEEDS_REVIEW = "needs_review"  # the order needs a person (e.g. a second payment)
    MISMATCH = "mismatch"  # the payment belongs to another order than the one claimed
    UNKNOWN_PAYMENT = "unknown_payment"
    UNKNOWN_ORDER = "unknown_order"
    INVALID = "invalid"
    UNAVAILABLE = "unavailable"  # the gateway or our database could not be reached
    CONFIRMED = "confirmed"  # confirm process: the order may be paid, its stock is held
    REFUSED = "refused"  # confirm process: the order must not be paid now
    HOLD_EXPIRED = "hold_expired"  # confirm process: a hold nobody paid for was given back


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
    *,
    claim: str | None = None,
) -> SyncResult:
    """Fetch the payment, apply what it means to its order, record the claim; commit once."""
    event = new_event(source, imp_uid, claimed_merchant_uid, note, claim=claim)
    if not IMP_UID_SHAPE.fullmatch(imp_uid or ""):
        return record_claim(event, SyncResult(Outcome.INVALID, detail="imp_uid 형식 오류"))
    return _settle(gateway, event, lambda: gateway.get_payment(imp_uid), claimed_merchant_uid)


def sync_latest(
    gateway: PortOne,
    merchant_uid: str,
    source: str,
    note: str | None = None,
    *,
    claim: str | None = None,
) -> SyncResult:
    """Sync the newest payment PortOne has for an order (when no imp_uid was given)."""
    event = new_event(source, None, merchant_uid, note, claim=claim)
    return _settle(gateway, event, lambda: gateway.find_payment(merchant_uid), merchant_uid)


def sync_fetched(
    gateway: PortOne, payment: dict[str, Any], source: str, note: str | None = None
) -> SyncResult:
    """Apply a payment PortOne gave a moment ago (a cancel's or a revoke's answer)."""
    event = new_event(source, payment.get("imp_uid"), payment.get("merchant_uid"), note)
    return _settle(gateway, event, lambda: payment, None)


def sync_listing(gateway: PortOne, payments: list[dict[str, Any]], source: str) -> SyncResult:
    """Apply every payment PortOne lists for one order (newest first) in one move, so the
    order goes straight to where all of them point, never through a stale in-between."""
    newest = payments[0]
    event = new_event(source, newest.get("imp_uid"), newest.get("merchant_uid"), None)
    return _settle(gateway, event, lambda: newest, None, listing=payments[1:])


def new_event(source: str, imp_uid, claimed, note, *, claim: object = None) -> PaymentEvent:
    """Claims are stored as text cut to their columns, whatever arrived: `claimed` and
    `claim` are the sender's, `note` the shop's."""
    return PaymentEvent(
        source=source,
        imp_uid=_text(imp_uid, 100),
        claimed_merchant_uid=_text(claimed, 100),
        claim=_text(claim, 200),
        detail=_text(note, 500),
    )


def _text(value: object, limit: int) -> str | None:
    """Text any database stores: a lone surrogate becomes "?" and NUL (which PostgreSQL
    refuses) U+FFFD; cut to `limit` characters (what VARCHAR(n) counts on PostgreSQL)."""
    if value is None:
        return None
    text = str(value).encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "\ufffd")[:limit]


def _settle(
    gateway: PortOne,
    event: PaymentEvent,
    fetch: Callable[[], Any],
    claimed: str | None,
    listing: list[dict[str, Any]] | None = None,
) -> SyncResult:
    try:
        fetched = checked_payment(fetch())
        others = _fresh_others(gateway, fetched) if listing is None else listing
        others = [checked_payment(p) for p in others if p["imp_uid"] != fetched["imp_uid"]]
        result = _apply(event, fetched, claimed, others)
        due = MoneyBack.decide(result.order)
        result = record_claim(event, result)
    except GatewayError as error:
        db.session.rollback()
        outcome = Outcome.UNKNOWN_PAYMENT if error.not_found else Outcome.UNAVAILABLE
        return record_claim(event, SyncResult(outcome, detail=error.message))
    except DBAPIError as error:
        db.session.rollback()
        log.warning("payment %s not synced, database error: %s", event.imp_uid, error)
        event.order_status_before = event.order_status_after = None
        return record_claim(event, SyncResult(Outcome.UNAVAILABLE, detail=DATABASE_TROUBLE))
    if result.outcome == Outcome.UNAVAILABLE:
        return result
    return _latest_about(result, due.carry_out(gateway))


@dataclass(frozen=True)
class MoneyBack:
    """Refunds and revocations decided with a move, carried out after its commit."""

    to_refund: list[Refund]
    to_revoke: list[str]

    @classmethod
    def decide(cls, order: Order | None) -> "MoneyBack":
        if order is None:
            return cls([], [])
        channels = live_channels()
        return cls(refunds.automatic(order, channels), refunds.vbanks_to_revoke(order))

    @staticmethod
    def due(order: Order) -> bool:
        """Whether deciding now would give anything back (reads only what is loaded)."""
        return bool(refunds.causes(order, live_channels()) or refunds.vbanks_to_revoke(order))

    def carry_out(self, gateway: PortOne) -> list[SyncResult]:
        """Each answer goes through the sync like any delivery; a refund that did not go
        through puts the order in front of a person."""
        followups = []
        for refund in self.to_refund:
            payment = refunds.send(gateway, refund)
            if payment is None:
                followups.append(_review(refund.order_id, f"자동 환불 실패: {refund.reason}"))
            else:
                followups.append(sync_fetched(gateway, payment, "refund", refund.cause))
        for imp_uid in self.to_revoke:
            if payment := refunds.revoke(gateway, imp_uid):
                followups.append(sync_fetched(gateway, payment, "revoke"))
        return followups


def live_channels() -> set[str] | None:
    """The PG providers a live shop accepts money through; None in sandbox mode (any)."""
    config = current_app.config
    return providers(config) if config["PAYMENT_MODE"] == "live" else None


def _latest_about(result: SyncResult, followups: list[SyncResult]) -> SyncResult:
    """What the caller is told: the last word about the payment it asked about (a forgery
    stays a forgery, refunded or not)."""
    if not followups or result.outcome in (Outcome.FORGED, Outcome.MISMATCH):
        return result  # a mismatch must never hand the caller the other order
    imp_uid = result.payment.imp_uid if result.payment else None
    same = [r for r in followups if r.payment is not None and r.payment.imp_uid == imp_uid]
    return same[-1] if same else result


def checked_payment(fetched: Any) -> dict[str, Any]:
    """A payment the shop can act on, or GatewayError (as for any garbled answer)."""
    fields = fetched if isinstance(fetched, dict) else {}
    shaped = (
        isinstance(fields.get("imp_uid"), str)
        and IMP_UID_SHAPE.fullmatch(fields["imp_uid"])
        and isinstance(fields.get("merchant_uid"), str)
        and "\x00" not in fields["merchant_uid"]  # no table could hold it
        and fields.get("status") in PAYMENT_STATUSES
        and type(fields.get("amount")) is int
        and isinstance(fields.get("currency"), str)
        and len(fields["currency"]) == 3  # an ISO code; never cut to fit its column
    )
    if not shaped:
        raise GatewayError("PortOne이 알 수 없는 형식의 결제 정보를 보냈습니다.")
    return fields


def record_claim(event: PaymentEvent, result: SyncResult) -> SyncResult:
    event.outcome = result.outcome.value
    _note(event, result.detail)
    line = claim_line(event)  # now: the commit expires what the event holds
    try:
        db.session.add(event)
        db.session.commit()
    except DBAPIError as error:
        db.session.rollback()
        log.warning("claim %s %s not recorded: %s", event.source, event.imp_uid, error)
        return SyncResult(Outcome.UNAVAILABLE, detail=DATABASE_TROUBLE)
    log_claim(result.outcome.value, line)
    return result


def _fresh_others(gateway: PortOne, fetched: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's other payments as PortOne has them now, when we stored any that held or
    awaited money: a second payment is refunded, or an account revoked, only on what PortOne
    says now (a cancel whose webhook was lost makes a stored `paid` stale)."""
    others = select(Payment.id).where(
        Payment.merchant_uid == fetched["merchant_uid"],
        Payment.imp_uid != fetched["imp_uid"],
        Payment.status.in_(("paid", "cancelled", "ready")),
    )
    known = db.session.execute(others).first() is not None
    db.session.commit()  # no transaction is kept open while PortOne is asked
    return gateway.payments_of(fetched["merchant_uid"]) if known else []


def _apply(
    event: PaymentEvent,
    fetched: dict[str, Any],
    claimed: str | None,
    others: list[dict[str, Any]],
) -> SyncResult:
    event.imp_uid = fetched["imp_uid"]
    event.gateway_status = fetched["status"]
    event.gateway_amount = fetched["amount"]
    order = locked_order(fetched["merchant_uid"])
    if order is None:
        detail = f"gateway merchant_uid {fetched['merchant_uid']}"
        return SyncResult(Outcome.UNKNOWN_ORDER, detail=detail)
    event.order_id = order.id
    for other in others:
        if other["merchant_uid"] == order.merchant_uid:
            _store_payment(order, other)
    payment = _store_payment(order, fetched)
    _move(order, event)
    if claimed is not None and claimed != order.merchant_uid:
        # What was claimed is in the event's claimed_merchant_uid, cut to its column.
        detail = f"PortOne: {order.merchant_uid}의 결제"
        return SyncResult(Outcome.MISMATCH, order, payment, detail)
    return SyncResult(judge(order, payment), order, payment)


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
    if payment.status == "failed":
        return Outcome.FAILED
    if payment.status == "cancelled":
        return Outcome.CANCELLED
    if not (payment.status == "paid" or states.open_vbank(payment)):
        return Outcome.NOT_COMPLETED
    if not states.fits(order, payment):
        return Outcome.FORGED
    return Outcome.PAID if payment.status == "paid" else Outcome.VBANK_ISSUED


def _move(order: Order, event: PaymentEvent) -> None:
    """Move the order where its payments point, if the table allows; then stock and notices
    follow the status (each once)."""
    event.order_status_before = order.status.value
    wanted, reason = states.target(order, order.payments, datetime.now(UTC))
    step = states.next_status(order.status, wanted) if wanted else None
    if wanted and step is None and wanted != order.status:
        _note(event, f"transition {order.status.value} → {wanted.value} refused")
    if step is not None:
        _conditional_move(order, step, reason)
    _note(event, "; ".join(effects.follow(order)))
    event.order_status_after = order.status.value


def record_move(order: Order, step: OrderStatus, source: str, note: str) -> bool:
    """A move someone asked for (a customer's cancel), with its event; False if the table
    does not allow it from where the locked order stands. The caller commits."""
    event = new_event(source, None, order.merchant_uid, note)
    event.order_id, event.order_status_before = order.id, order.status.value
    moved = states.allowed(order.status, step) and _conditional_move(order, step, note)
    _note(event, "; ".join(effects.follow(order)))
    event.order_status_after, event.outcome = order.status.value, "requested"
    db.session.add(event)
    return moved


def _conditional_move(order: Order, step: OrderStatus, reason: str) -> bool:
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


def _review(order_id: int, reason: str) -> SyncResult:
    """Put an order in front of a person, if the table allows it from where it stands."""
    order = db.session.execute(
        select(Order).where(Order.id == order_id).with_for_update()
    ).scalar_one()
    event = new_event("refund", None, order.merchant_uid, reason)
    event.order_id, event.order_status_before = order.id, order.status.value
    if states.allowed(order.status, OrderStatus.NEEDS_REVIEW):
        _conditional_move(order, OrderStatus.NEEDS_REVIEW, reason)
    event.order_status_after = order.status.value
    return record_claim(event, SyncResult(Outcome.NEEDS_REVIEW, order, detail=reason))


def _note(event: PaymentEvent, text: str | None) -> None:
    """Add to what the event says; its column holds 500 characters."""
    event.detail = "; ".join(filter(None, (event.detail, text)))[:500] or None


def _store_payment(order: Order, fetched: dict[str, Any]) -> Payment:
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


def _progress(status: str, cancel_amount: int | None) -> tuple[int, int]:
    return PROGRESS[status], cancel_amount or 0


def _length(column: KeyedColumnElement[Any]) -> int:
    return cast(String, column.type).length or 500


def _payment_row(order: Order, fetched: dict[str, Any]) -> dict[str, Any]:
    """The gateway's descriptive fields cut to their columns: a PG's long message must not
    keep the payment from being stored (PostgreSQL refuses text longer than its column)."""
    columns = Payment.__table__.c
    row: dict[str, Any] = {
        field: _text(fetched.get(field), _length(columns[field])) for field in COPIED_FIELDS
    }
    row |= {field: from_unix(fetched.get(field)) for field in TIMES}
    return row | {
        "imp_uid": fetched["imp_uid"],
        "merchant_uid": fetched["merchant_uid"],
        "order_id": order.id,
        "status": fetched["status"],
        "amount": fetched["amount"],
        "cancel_amount": fetched.get("cancel_amount") or 0,
        "currency": fetched["currency"],
        "sandbox": bool(fetched.get("sandbox")),
        "fetched_at": datetime.now(UTC),
    }


def from_unix(seconds: int | None) -> datetime | None:
    """PortOne sends UNIX seconds, with 0 meaning 'not set'."""
    return datetime.fromtimestamp(seconds, UTC) if seconds else None
