"""Reconciliation: orders the gateway may have moved without telling us (a lost callback and
a lost webhook, a late approval, a virtual account past its due date, a cancel made in
PortOne's console whose webhook was lost) are synced again, stock held by the confirm
process for a payment that never came is given back, escrow parcels that left without
PortOne registering them are registered, and cash receipts PortOne refused or did not answer
for are asked for again (shop.payments.cash_receipts).

Every payment PortOne lists for an order goes through the one sync, so running this from
cron on every host at once, or twice in a row, is safe: a second run changes nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import EventSource, Payment, Refund, RefundState
from shop.core.models import Order, OrderStatus, PaymentStatus
from shop.payments import cash_receipts, refunds
from shop.payments.confirm import release_expired_holds
from shop.payments.escrow import Attempt, Registration, register_shipment, unregistered_shipments
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.outcomes import Outcome
from shop.payments.receipt_rules import unsettled_receipts
from shop.payments.sync import sync_fetched, sync_listing

UNSETTLED = (
    OrderStatus.PENDING,
    OrderStatus.FAILED,
    OrderStatus.VBANK_ISSUED,
    OrderStatus.NEEDS_REVIEW,
)


@dataclass(frozen=True)
class Checked:
    merchant_uid: str  # or what else was checked (PortOne's list of recent cancellations)
    before: OrderStatus | None
    after: OrderStatus | None  # None: the gateway could not be asked
    released_stock: bool = False  # a confirm process hold nobody paid for went back
    escrow: Attempt | None = None  # the registration of its escrow parcel, when one was tried
    receipts: tuple[cash_receipts.Attempt, ...] = ()  # its cash receipt's requests

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    @property
    def failed(self) -> bool:
        unregistered = self.escrow is not None and self.escrow.outcome is Registration.FAILED
        refused = any(a.outcome is cash_receipts.Receipting.FAILED for a in self.receipts)
        return self.after is None or unregistered or refused


def unsettled_orders(older_than: timedelta) -> list[tuple[str, OrderStatus]]:
    cutoff = datetime.now(UTC) - older_than
    query = (
        select(Order.merchant_uid, Order.status)
        .where(Order.status.in_(UNSETTLED), Order.created_at <= cutoff)
        .order_by(Order.id)
    )
    found = [tuple(row) for row in db.session.execute(query)]
    db.session.commit()  # end the read: no lock is held while PortOne is asked
    return found


CANCELS_LOOKED_AT = timedelta(days=2)
RECENT_CANCELS = "PortOne의 최근 취소 내역"


def reconcile(gateway: PortOne, older_than: timedelta) -> list[Checked]:
    # Holds first: an order synced below would give its hold back without saying so.
    checked = [released(merchant_uid) for merchant_uid in release_expired_holds()]
    checked += [resumed(gateway, refund) for refund in refunds.stalled()]
    checked += [
        check(gateway, merchant_uid, status)
        for merchant_uid, status in unsettled_orders(older_than)
    ]
    checked += cancellations(gateway, CANCELS_LOOKED_AT)
    checked += [registered(gateway, merchant_uid) for merchant_uid in unregistered_shipments()]
    return checked + [receipted(gateway, merchant_uid) for merchant_uid in unsettled_receipts()]


def resumed(gateway: PortOne, refund: Refund) -> Checked:
    """A stalled refund finished: sent only if PortOne says it never went through."""
    order = db.session.get_one(Order, refund.order_id)
    merchant_uid, before = order.merchant_uid, order.status
    answer = refunds.send(gateway, refund)
    if answer is not None:
        sync_fetched(gateway, answer, EventSource.REFUND, refund.cause)
    elif refund.state == RefundState.UNKNOWN:
        return Checked(merchant_uid, before, None)  # PortOne did not answer: next run
    return Checked(merchant_uid, before, status_of(merchant_uid))


def receipted(gateway: PortOne, merchant_uid: str) -> Checked:
    attempts = cash_receipts.settle_receipt(gateway, merchant_uid, EventSource.RECONCILE)
    status = status_of(merchant_uid)
    return Checked(merchant_uid, status, status, receipts=tuple(attempts))


def registered(gateway: PortOne, merchant_uid: str) -> Checked:
    attempt = register_shipment(gateway, merchant_uid, EventSource.RECONCILE)
    status = status_of(merchant_uid)
    tried = attempt if attempt.outcome is not Registration.NOTHING else None
    return Checked(merchant_uid, status, status, escrow=tried)


def released(merchant_uid: str) -> Checked:
    status = status_of(merchant_uid)
    return Checked(merchant_uid, status, status, released_stock=True)


def cancellations(gateway: PortOne, within: timedelta) -> list[Checked]:
    """Cancels of the last `within` that the shop has not seen (one listing, not one call per
    paid order)."""
    until = int(datetime.now(UTC).timestamp())
    since = until - int(within.total_seconds())
    try:
        listed = gateway.payments_in_status(PaymentStatus.CANCELLED, since, until)
    except GatewayError:
        return [Checked(RECENT_CANCELS, None, None)]
    orders = dict.fromkeys(p["merchant_uid"] for p in listed if unseen(p))
    return [check(gateway, merchant_uid, status_of(merchant_uid)) for merchant_uid in orders]


def unseen(payment: dict) -> bool:
    stored = db.session.execute(
        select(Payment.status, Payment.cancel_amount).where(Payment.imp_uid == payment["imp_uid"])
    ).first()
    known_order = db.session.execute(
        select(Order.id).where(Order.merchant_uid == payment["merchant_uid"])
    ).first()
    db.session.commit()
    now = (payment["status"], payment.get("cancel_amount") or 0)
    return known_order is not None and (stored is None or tuple(stored) != now)


def status_of(merchant_uid: str) -> OrderStatus:
    status = db.session.execute(select(Order.status).where(Order.merchant_uid == merchant_uid))
    found = status.scalar_one()
    db.session.commit()
    return found


def check(gateway: PortOne, merchant_uid: str, before: OrderStatus) -> Checked:
    try:
        payments = gateway.payments_of(merchant_uid)
    except GatewayError:
        return Checked(merchant_uid, before, None)
    if (
        payments
        and sync_listing(gateway, payments, EventSource.RECONCILE).outcome == Outcome.UNAVAILABLE
    ):
        return Checked(merchant_uid, before, None)
    return Checked(merchant_uid, before, status_of(merchant_uid))
