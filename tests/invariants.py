"""What "nothing lost" means, checked after fault, concurrency and state-machine tests.

The gateway's side is read through the shop's own PortOne client (the sandbox's REST API),
the shop's side from its tables. Each check returns the broken promises in words.
"""

from collections import Counter

from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import EventSource, Notice, PaymentEvent
from shop.core.models import Order, OrderStatus, Product
from shop.payments import states
from shop.storefront.demo import DEMO_PRODUCTS

HOLDING_OR_REVIEW = (*states.HOLDS_MONEY, OrderStatus.NEEDS_REVIEW)


def broken_promises(app, reconciled: bool = True) -> list[str]:
    """Every invariant at once; `reconciled` adds those that hold once reconciliation ran."""
    with app.app_context():
        orders = db.session.execute(select(Order)).scalars().all()
        gateway = {
            o.merchant_uid: app.extensions["portone"].payments_of(o.merchant_uid) for o in orders
        }
        found = once_only(orders) + truth(orders) + legal_moves() + stock_balance(orders)
        if reconciled:
            found += completeness(orders, gateway) + visibility(orders, gateway)
        db.session.rollback()
        return found


def once_only(orders: list[Order]) -> list[str]:
    """I2: one notice per key and order (of each kind, and of each refund); stock taken at most
    once (the flag)."""
    rows = db.session.execute(select(Notice.order_id, Notice.key, Notice.kind)).all()
    keys = Counter((oid, key) for oid, key, _ in rows)
    found = [
        f"notice {key} sent {n} times for order {oid}" for (oid, key), n in keys.items() if n > 1
    ]
    confirmed = {oid for oid, _, kind in rows if kind in ("payment_confirmed", "deposit_received")}
    found += [
        f"{o.merchant_uid} is {o.status.value} without a payment notice"
        for o in orders
        if o.status in states.HOLDS_MONEY and o.id not in confirmed
    ]
    return found


def stock_balance(orders: list[Order]) -> list[str]:
    """I2: each product's stock is its start less what orders holding stock took."""
    taken = Counter()
    for order in orders:
        if order.stock_taken:
            for line in order.lines:
                taken[line.product_id] += line.quantity
    start = {item["slug"]: item["stock"] for item in DEMO_PRODUCTS}
    products = db.session.execute(select(Product)).scalars()
    return [
        f"{p.slug}: stock {p.stock}, expected {start[p.slug] - taken[p.id]}"
        for p in products
        if p.slug in start
        and start[p.slug] - taken[p.id] >= 0
        and p.stock != start[p.slug] - taken[p.id]
    ]


def truth(orders: list[Order]) -> list[str]:
    """I3: a paid order has exactly one stored payment holding money that fits it."""
    found = []
    for order in orders:
        held = [p for p in order.payments if states.holds_money(p)]
        if order.status in states.HOLDS_MONEY and not (
            len(held) == 1 and states.fits(order, held[0])
        ):
            found.append(f"{order.merchant_uid} is {order.status.value} on payments {held}")
    return found


def legal_moves() -> list[str]:
    """I5: every change of status recorded, and allowed by the table; out of review only by an
    admin's resolution or by an automatic move the table names (states.REVIEW_EXITS)."""
    events = db.session.execute(select(PaymentEvent)).scalars()
    return [
        f"event {e.id} ({e.source}): {e.order_status_before} → {e.order_status_after} "
        "is not allowed"
        for e in events
        if e.order_status_before
        and e.order_status_after
        and e.order_status_before != e.order_status_after
        and not legal(e)
    ]


def legal(event: PaymentEvent) -> bool:
    before, after = OrderStatus(event.order_status_before), OrderStatus(event.order_status_after)
    if event.source == EventSource.ADMIN and states.resolves(before, after):
        return True
    named = states.DUPLICATE_REFUNDED in (event.detail or "") and after in states.BACK_TO_PAID
    return states.allowed(before, after) or (before == OrderStatus.NEEDS_REVIEW and named)


def left_review(before: dict[str, OrderStatus], after: dict[str, OrderStatus]) -> list[str]:
    """I8: an order seen in review is, a step later, still in review, or where only an admin's
    resolution or a named automatic move takes it, with the event that did."""
    moved = {
        uid: status
        for uid, status in after.items()
        if before.get(uid) == OrderStatus.NEEDS_REVIEW and status != OrderStatus.NEEDS_REVIEW
    }
    found = []
    for merchant_uid, status in moved.items():
        exits = review_exits(merchant_uid)
        if status not in exits:
            found.append(f"{merchant_uid} left review for {status.value} by {exits or 'nothing'}")
    return found


def review_exits(merchant_uid: str) -> dict[OrderStatus, str]:
    """Where the order's events took it out of review, legally, and from which source."""
    query = select(PaymentEvent).join(Order, Order.id == PaymentEvent.order_id)
    query = query.where(
        Order.merchant_uid == merchant_uid,
        PaymentEvent.order_status_before == OrderStatus.NEEDS_REVIEW.value,
        PaymentEvent.order_status_after != OrderStatus.NEEDS_REVIEW.value,
    )
    events = db.session.execute(query).scalars()
    return {OrderStatus(e.order_status_after): e.source for e in events if legal(e)}


def completeness(orders: list[Order], gateway: dict[str, list[dict]]) -> list[str]:
    """I1: every payment the gateway holds money for is stored, linked to its order, and no
    stored payment is behind the gateway (a failure nobody reported may stay unknown)."""
    stored = {p.imp_uid: p for o in orders for p in o.payments}
    found = []
    for merchant_uid, payments in gateway.items():
        for payment in payments:
            mine = stored.get(payment["imp_uid"])
            if mine is None and gateway_holds_money(payment):
                found.append(
                    f"{payment['imp_uid']} ({payment['status']}) of {merchant_uid} is not stored"
                )
            elif mine is not None and mine.status != payment["status"]:
                found.append(
                    f"{payment['imp_uid']} stored {mine.status}, gateway {payment['status']}"
                )
    return found


def visibility(orders: list[Order], gateway: dict[str, list[dict]]) -> list[str]:
    """I7 (and I6): money the gateway holds for an order is paid or under review in the shop;
    an order the shop calls paid is backed by money the gateway holds."""
    found = []
    for order in orders:
        holding = [p for p in gateway[order.merchant_uid] if gateway_holds_money(p)]
        if holding and order.status not in (*HOLDING_OR_REVIEW, OrderStatus.FORGED):
            found.append(
                f"{order.merchant_uid}: gateway holds money, shop says {order.status.value}"
            )
        if order.status in states.HOLDS_MONEY and not holding:
            found.append(
                f"{order.merchant_uid}: shop says {order.status.value}, gateway holds nothing"
            )
    return found


def gateway_holds_money(payment: dict) -> bool:
    """Paid, or partly cancelled; a revoked virtual account (cancelled, never paid) is not."""
    if payment["status"] == "paid":
        return True
    partly = payment["status"] == "cancelled" and payment["cancel_amount"] < payment["amount"]
    return partly and bool(payment.get("paid_at"))
