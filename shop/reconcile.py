"""Reconciliation: orders the gateway may have moved without telling us (a lost callback and
a lost webhook, a late approval, a virtual account past its due date) are synced again.

Every payment PortOne lists for an order goes through the one sync, so running this from
cron on every host at once, or twice in a row, is safe: a second run changes nothing.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shop.extensions import db
from shop.gateway import GatewayError, PortOne
from shop.models import Order, OrderStatus
from shop.sync import Outcome, sync_fetched

UNSETTLED = (
    OrderStatus.PENDING,
    OrderStatus.FAILED,
    OrderStatus.VBANK_ISSUED,
    OrderStatus.NEEDS_REVIEW,
)


@dataclass(frozen=True)
class Checked:
    merchant_uid: str
    before: OrderStatus
    after: OrderStatus | None  # None: the gateway could not be asked

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before


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


def reconcile(gateway: PortOne, older_than: timedelta) -> list[Checked]:
    return [
        check(gateway, merchant_uid, status)
        for merchant_uid, status in unsettled_orders(older_than)
    ]


def check(gateway: PortOne, merchant_uid: str, before: OrderStatus) -> Checked:
    try:
        payments = gateway.payments_of(merchant_uid)
    except GatewayError:
        return Checked(merchant_uid, before, None)
    results = [sync_fetched(gateway, payment, "reconcile") for payment in reversed(payments)]
    if any(result.outcome == Outcome.UNAVAILABLE for result in results):
        return Checked(merchant_uid, before, None)
    after = db.session.execute(select(Order.status).where(Order.merchant_uid == merchant_uid))
    status = after.scalar_one()
    db.session.commit()
    return Checked(merchant_uid, before, status)
