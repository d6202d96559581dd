"""One path for payment truth: every claim about a payment goes through here.

The browser callback, the mobile return URL, webhooks, reconciliation (and later the admin)
only say "look at this payment". The payment fetched from the gateway is the truth: the order
is found by the *gateway's* merchant_uid and locked, the payment row is stored (a stale fetch
never overwrites a newer one), the order's status is derived from all its payments
(shop.payments.states) and moved by a conditional update, and the move's side effects run once
(shop.payments.effects). Each claim is an event row, committed with the change it caused. Repeating a
sync, or running several at once, changes nothing more.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from shop.core.crash_points import crash_point
from shop.core.extensions import db
from shop.core.ledger import EventSource, Payment, PaymentEvent, Refund
from shop.core.models import Order, PaymentStatus
from shop.payments import refunds
from shop.payments.cash_receipts import is_cash, settle_receipt
from shop.payments.events import DATABASE_TROUBLE, new_event, record_claim
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.methods import providers
from shop.payments.moves import judge, locked_order, move, review
from shop.payments.outcomes import Outcome, SyncResult
from shop.payments.payloads import IMP_UID_SHAPE, checked_payment
from shop.payments.payment_rows import store_payment

log = logging.getLogger(__name__)


def sync_payment(
    gateway: PortOne,
    imp_uid: str,
    source: EventSource,
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
    source: EventSource,
    note: str | None = None,
    *,
    claim: str | None = None,
) -> SyncResult:
    """Sync the newest payment PortOne has for an order (when no imp_uid was given)."""
    event = new_event(source, None, merchant_uid, note, claim=claim)
    return _settle(gateway, event, lambda: gateway.find_payment(merchant_uid), merchant_uid)


def sync_fetched(
    gateway: PortOne, payment: dict[str, Any], source: EventSource, note: str | None = None
) -> SyncResult:
    """Apply a payment PortOne gave a moment ago (a cancel's or a revoke's answer)."""
    event = new_event(source, payment.get("imp_uid"), payment.get("merchant_uid"), note)
    return _settle(gateway, event, lambda: payment, None)


def sync_listing(
    gateway: PortOne, payments: list[dict[str, Any]], source: EventSource
) -> SyncResult:
    """Apply every payment PortOne lists for one order (newest first) in one move, so the
    order goes straight to where all of them point, never through a stale in-between."""
    newest = payments[0]
    event = new_event(source, newest.get("imp_uid"), newest.get("merchant_uid"), None)
    return _settle(gateway, event, lambda: newest, None, listing=payments[1:])


def _settle(
    gateway: PortOne,
    event: PaymentEvent,
    fetch: Callable[[], Any],
    claimed: str | None,
    listing: list[dict[str, Any]] | None = None,
) -> SyncResult:
    source = EventSource(event.source)  # read now: the commit below expires the event
    try:
        fetched = checked_payment(fetch())
        others = _fresh_others(gateway, fetched) if listing is None else listing
        others = [checked_payment(p) for p in others if p["imp_uid"] != fetched["imp_uid"]]
        result = _apply(event, fetched, claimed, others)
        due = MoneyBack.decide(result.order)
        crash_point("sync.before_commit")
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
    followups = due.carry_out(gateway)
    if result.order is not None and any(map(is_cash, [fetched, *others])):
        settle_receipt(gateway, fetched["merchant_uid"], source)
    return _latest_about(result, followups)


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
                followups.append(review(refund.order_id, f"자동 환불 실패: {refund.reason}"))
            else:
                followups.append(sync_fetched(gateway, payment, EventSource.REFUND, refund.cause))
        for imp_uid in self.to_revoke:
            if payment := refunds.revoke(gateway, imp_uid):
                followups.append(sync_fetched(gateway, payment, EventSource.REVOKE))
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


def _fresh_others(gateway: PortOne, fetched: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's other payments as PortOne has them now, when we stored any that held or
    awaited money: a second payment is refunded, or an account revoked, only on what PortOne
    says now (a cancel whose webhook was lost makes a stored `paid` stale)."""
    others = select(Payment.id).where(
        Payment.merchant_uid == fetched["merchant_uid"],
        Payment.imp_uid != fetched["imp_uid"],
        Payment.status.in_((PaymentStatus.PAID, PaymentStatus.CANCELLED, PaymentStatus.READY)),
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
            store_payment(order, other)
    payment = store_payment(order, fetched)
    move(order, event)
    if claimed is not None and claimed != order.merchant_uid:
        # What was claimed is in the event's claimed_merchant_uid, cut to its column.
        detail = f"PortOne: {order.merchant_uid}의 결제"
        return SyncResult(Outcome.MISMATCH, order, payment, detail)
    return SyncResult(judge(order, payment), order, payment)
