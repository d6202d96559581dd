"""Where an order may go, and where the gateway's payments say it should be.

The order's status is decided from *all* of its payments as last fetched from PortOne, never
from the one delivery at hand, so deliveries arriving in any order reach the same status.
A move the table does not allow is refused; money the table cannot place goes to review, and
review waits for a person (shop.payments.review): a sync leaves it only by a move REVIEW_EXITS
names.
"""

from collections.abc import Iterable
from datetime import datetime

from shop.core.ledger import Payment
from shop.core.models import Order, OrderStatus, PaymentStatus, as_utc

S = OrderStatus

# The automatic ways out of review, each with the words its event records. PortOne reporting all
# of the order's money given back settles it: nothing is held, nothing is owed. Anything else a
# later sync finds (a duplicate refunded, a deposit that fits) is stored, and waits for a person.
REVIEW_EXITS: dict[OrderStatus, str] = {
    S.REFUNDED: "확인 필요 자동 해소: PortOne에서 이 주문의 결제가 모두 환불되었습니다",
}
# The one conditional way out: an order paid before review, whose money beyond its payment the
# shop refunded by itself (RefundCause.DUPLICATE), is paid again once every refund went through
# (shop.payments.moves.duplicate_refunded). A refusal, or a refund by a person, leaves it waiting.
DUPLICATE_REFUNDED = "확인 필요 자동 해소: 결제된 주문에 더 들어온 결제를 상점이 환불했습니다"
BACK_TO_PAID = frozenset({S.PAID, S.PARTIALLY_REFUNDED})
# What only a person decides for an order in review (shop.payments.review, source admin):
# keep the money and go on, or cancel once it is all given back.
RESOLUTIONS = frozenset({S.PAID, S.PARTIALLY_REFUNDED, S.CANCELLED})

# The only moves; anything else is refused and recorded. No move goes backwards: a stale
# `ready` after `paid`, or a `cancelled` claim for a paid order, changes nothing.
ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset(
        {S.PAID, S.VBANK_ISSUED, S.EXPIRED, S.FAILED, S.FORGED, S.NEEDS_REVIEW}
        | {S.PARTIALLY_REFUNDED, S.REFUNDED, S.CANCELLED}
    ),
    S.VBANK_ISSUED: frozenset(
        {S.PAID, S.EXPIRED, S.FORGED, S.NEEDS_REVIEW, S.PARTIALLY_REFUNDED, S.REFUNDED}
        | {S.CANCELLED}
    ),
    S.FAILED: frozenset(  # a late approval turns a failure into a payment
        {S.PAID, S.VBANK_ISSUED, S.FORGED, S.NEEDS_REVIEW, S.PARTIALLY_REFUNDED, S.REFUNDED}
        | {S.CANCELLED}
    ),
    S.EXPIRED: frozenset({S.NEEDS_REVIEW, S.CANCELLED}),  # money after the due date: review
    S.PAID: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED, S.NEEDS_REVIEW}),
    S.PARTIALLY_REFUNDED: frozenset({S.REFUNDED, S.NEEDS_REVIEW}),
    S.NEEDS_REVIEW: frozenset(REVIEW_EXITS),  # sticky: see RESOLUTIONS
    S.FORGED: frozenset({S.NEEDS_REVIEW}),
    S.REFUNDED: frozenset({S.NEEDS_REVIEW}),
    # Money that still arrives on a cancelled order is refunded (shop.payments.refunds); the order
    # goes to review only if that refund does not go through.
    S.CANCELLED: frozenset({S.NEEDS_REVIEW}),
}

HOLDS_MONEY = frozenset({S.PAID, S.PARTIALLY_REFUNDED})
# Orders whose money went back (refunded, cancelled): a payment that still arrives is refunded,
# so the order neither reopens nor waits in review for a person.
CLOSED = frozenset({S.REFUNDED, S.CANCELLED})
# Orders whose goods were owed at some point: a payment that does not fit them is reviewed,
# not called forged.
SETTLED = frozenset({S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED, S.NEEDS_REVIEW})


def allowed(current: OrderStatus, target: OrderStatus) -> bool:
    """A move the shop makes on its own (a sync, a customer's cancel)."""
    return target in ALLOWED[current]


def resolves(current: OrderStatus, target: OrderStatus) -> bool:
    """A move out of review that only an admin's decision makes."""
    return current == S.NEEDS_REVIEW and target in RESOLUTIONS


def next_status(current: OrderStatus, target: OrderStatus) -> OrderStatus | None:
    """The move to make towards `target`: the target itself, review when money would
    otherwise sit on an order that cannot take it, or None."""
    if target == current:
        return None
    if allowed(current, target):
        return target
    if target in HOLDS_MONEY and allowed(current, S.NEEDS_REVIEW):
        return S.NEEDS_REVIEW
    return None


def holds_money(payment: Payment) -> bool:
    """Paid, or partially cancelled (V1 reports that as `cancelled` with a remainder); a
    revoked virtual account is `cancelled` too, but was never paid into."""
    if payment.status == PaymentStatus.PAID:
        return True
    return payment.partly_cancelled and payment.paid_at is not None


def fully_cancelled(payment: Payment) -> bool:
    return payment.status == PaymentStatus.CANCELLED and payment.cancel_amount >= payment.amount


def open_vbank(payment: Payment) -> bool:
    return payment.status == PaymentStatus.READY and bool(payment.vbank_num)


def fits(order: Order, payment: Payment) -> bool:
    return payment.amount == order.amount and payment.currency == order.currency


def expired(payment: Payment, now: datetime) -> bool:
    return payment.vbank_date is not None and as_utc(payment.vbank_date) <= now


def target(order: Order, payments: Iterable[Payment], now: datetime) -> tuple[S | None, str]:
    """The status the payments call for, with the reason in words (for review and events)."""
    if order.status in CLOSED:
        return None, ""  # whatever arrives now is refunded (shop.payments.refunds), not sold
    payments = list(payments)
    held = [p for p in payments if holds_money(p)]
    vbanks = [p for p in payments if open_vbank(p)]
    if len(held) > 1:
        return S.NEEDS_REVIEW, f"결제 {len(held)}건이 한 주문에 들어왔습니다"
    if any(not fits(order, p) for p in held + vbanks):
        if order.status in SETTLED:
            return S.NEEDS_REVIEW, "주문 금액과 다른 결제가 들어왔습니다"
        return S.FORGED, "결제 금액 또는 통화가 주문과 다릅니다"
    if held:
        return (S.PARTIALLY_REFUNDED if held[0].cancel_amount else S.PAID), ""
    if any(fully_cancelled(p) and fits(order, p) for p in payments):
        return S.REFUNDED, ""
    if vbanks:
        return (S.EXPIRED if all(expired(p, now) for p in vbanks) else S.VBANK_ISSUED), ""
    if any(p.status == PaymentStatus.FAILED for p in payments):
        return S.FAILED, ""
    return None, ""
