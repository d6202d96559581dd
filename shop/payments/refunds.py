"""Refunds and revocations: the only ways the shop asks PortOne to give money back or to stop
taking it.

A refund is recorded first (in the transaction that decided it, under the order's lock, so a
double click or a repeated delivery finds it and asks for nothing more), then sent after the
commit with `checksum` = what our ledger says PortOne still holds of the payment. PortOne
refuses a cancel whose checksum is out of date, so a cancel repeated after a lost answer is
never executed twice; and a refund whose answer was lost is "unknown" until PortOne has been
asked what happened. The refund that is found to have gone through queues its notice to the
customer in the same transaction, once.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from shop.core.crash_points import crash_point
from shop.core.extensions import db
from shop.core.ledger import Payment, Refund, RefundCause, RefundState
from shop.core.models import Order, OrderStatus, as_utc
from shop.notices.queue import queue_refund_notice
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.states import CLOSED, HOLDS_MONEY, fits, holds_money, open_vbank

IN_FLIGHT = (RefundState.SENDING, RefundState.UNKNOWN)
STALLED_AFTER = timedelta(minutes=5)  # far longer than sending one may take (PortOne's timeouts)
REASONS = {
    RefundCause.FORGED: "결제 금액이 주문 금액과 달라 자동으로 환불했습니다.",
    RefundCause.DUPLICATE: "이미 결제된 주문에 들어온 중복 결제라 자동으로 환불했습니다.",
    RefundCause.OUT_OF_STOCK: "재고가 부족해 주문을 처리할 수 없어 자동으로 환불했습니다.",
    RefundCause.TEST_CHANNEL: "테스트 결제이거나 상점이 쓰지 않는 결제 채널로 들어온 결제라 자동으로 환불했습니다.",
    RefundCause.CANCELLED_ORDER: "이미 취소·환불된 주문에 들어온 결제라 자동으로 환불했습니다.",
}


class RefundRefused(Exception):
    """The refund cannot be asked for; the message says why, in words for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refund_source(order: Order, imp_uid: str | None = None) -> Payment | None:
    """The payment a refund gives money back from: the first that holds money, or the one
    named; what a refund of "all" gives back is its `refundable` (the customer's cancel page
    says so beforehand)."""
    held = (p for p in order.payments if holds_money(p))
    return next((p for p in held if imp_uid in (None, p.imp_uid)), None)


def request(
    order: Order, payment: Payment, reason: str, cause: RefundCause, amount: int | None = None
) -> Refund:
    """Record a refund to send after the commit; the caller holds the order's lock."""
    if _in_flight(payment.imp_uid):
        raise RefundRefused("이 결제의 환불을 이미 진행하고 있습니다. 잠시 후 다시 확인해 주세요.")
    left = payment.refundable
    amount = left if amount is None else amount
    if not 0 < amount <= left:
        raise RefundRefused(f"환불할 수 있는 금액은 1원부터 {left:,}원까지입니다.")
    refund = Refund(
        order_id=order.id,
        imp_uid=payment.imp_uid,
        amount=amount,
        checksum=left,
        reason=reason[:200],
        cause=cause,
    )
    db.session.add(refund)
    db.session.flush()
    return refund


def _in_flight(imp_uid: str) -> bool:
    query = select(Refund.id).where(Refund.imp_uid == imp_uid, Refund.state.in_(IN_FLIGHT))
    return db.session.execute(query).first() is not None


def automatic(order: Order, channels: set[str] | None) -> list[Refund]:
    """Refunds nobody should have to ask for: forged, duplicate, test-channel payments, money
    for goods the shop no longer has, money on a cancelled order. Once per payment."""
    return [r for p, cause in causes(order, channels) if (r := _once(order, p, cause))]


def causes(order: Order, channels: set[str] | None) -> list[tuple[Payment, RefundCause]]:
    """The payments of the order that should go back, with why; reads nothing more."""
    held = sorted((p for p in order.payments if holds_money(p)), key=_paid_first)
    found = [(p, _cause(order, p, channels, keeper=held[0])) for p in held]
    return [(p, cause) for p, cause in found if cause]


def _paid_first(payment: Payment) -> tuple:
    """The payment the order keeps: the first paid, and of two paid in the same second the one
    the shop stored first. Stable across syncs, so two syncs never keep different ones."""
    paid_at = as_utc(payment.paid_at) if payment.paid_at else datetime.max.replace(tzinfo=UTC)
    return (paid_at, payment.id)


def _cause(
    order: Order, payment: Payment, channels: set[str] | None, keeper: Payment
) -> RefundCause | None:
    """`channels`: the PG providers the live shop uses (None in sandbox mode: any)."""
    if channels is not None and (payment.sandbox or payment.pg_provider not in channels):
        return RefundCause.TEST_CHANNEL
    if not fits(order, payment):
        return RefundCause.FORGED
    if order.status in CLOSED:
        return RefundCause.CANCELLED_ORDER
    if payment is not keeper:
        return RefundCause.DUPLICATE
    if order.status in HOLDS_MONEY and not order.stock_taken:
        return RefundCause.OUT_OF_STOCK
    return None


def _once(order: Order, payment: Payment, cause: RefundCause) -> Refund | None:
    asked = select(Refund.id).where(Refund.imp_uid == payment.imp_uid, Refund.cause == cause)
    if db.session.execute(asked).first() is not None:
        return None
    try:
        return request(order, payment, REASONS[cause], cause)
    except RefundRefused:
        return None


def send(gateway: PortOne, refund: Refund, account: dict | None = None) -> dict[str, Any] | None:
    """Send a recorded refund (after its commit); the payment as PortOne now has it, or None.

    `account` (refund_holder, refund_bank, refund_account) is for virtual-account payments;
    it goes to PortOne and nowhere else.
    """
    if refund.state == RefundState.UNKNOWN:
        try:
            current = gateway.get_payment(refund.imp_uid)
        except GatewayError:
            return None
        if _went_through(refund, current):
            return _finish(refund, RefundState.DONE, current)
    crash_point("refund.before_send")
    try:
        payment = gateway.cancel(
            refund.imp_uid, refund.amount, refund.checksum, refund.reason, account
        )
    except GatewayError as error:
        state = RefundState.UNKNOWN if error.unavailable else RefundState.REFUSED
        _finish(refund, state, message=error.message)
        return None
    crash_point("refund.after_send")
    return _finish(refund, RefundState.DONE, payment)


def stalled() -> list[Refund]:
    """Refunds recorded long ago that never ended: the process sending them died before or
    after PortOne's answer, or the answer was lost. Each becomes "unknown", so that `send`
    asks PortOne what happened before it asks for anything again."""
    old = (Refund.state.in_(IN_FLIGHT), Refund.created_at <= datetime.now(UTC) - STALLED_AFTER)
    db.session.execute(update(Refund).where(*old).values(state=RefundState.UNKNOWN))
    found = list(db.session.execute(select(Refund).where(*old).order_by(Refund.id)).scalars())
    db.session.commit()
    return found


def _went_through(refund: Refund, payment: dict[str, Any]) -> bool:
    still_held = payment["amount"] - (payment.get("cancel_amount") or 0)
    return still_held <= refund.checksum - refund.amount


def _finish(
    refund: Refund, state: RefundState, payment: dict | None = None, message: str | None = None
) -> dict | None:
    """Record how it ended, unless someone else already did (the update is conditional)."""
    history = (payment or {}).get("cancel_history") or [{}]
    finishing = (
        update(Refund)
        .where(Refund.id == refund.id, Refund.state.in_(IN_FLIGHT))
        .values(
            state=state,
            message=(message or "")[:500] or None,
            cancellation_id=history[-1].get("cancellation_id"),
            finished_at=datetime.now(UTC),
        )
    )
    finished = cast(CursorResult[Any], db.session.execute(finishing)).rowcount
    if finished and state == RefundState.DONE:
        _tell_customer(refund)
    db.session.commit()
    return payment


def _tell_customer(refund: Refund) -> None:
    order = db.session.get_one(Order, refund.order_id)
    paid = select(Payment.amount).where(Payment.imp_uid == refund.imp_uid)
    queue_refund_notice(order, refund, db.session.execute(paid).scalar_one())


def vbanks_to_revoke(order: Order) -> list[str]:
    """Open virtual accounts of an order that is paid another way, or cancelled."""
    if order.status not in (*HOLDS_MONEY, OrderStatus.CANCELLED):
        return []
    return [p.imp_uid for p in order.payments if open_vbank(p)]


def revoke(gateway: PortOne, imp_uid: str) -> dict[str, Any] | None:
    try:
        return gateway.revoke_vbank(imp_uid)
    except GatewayError:
        return None  # reconciliation asks again; a deposit that still arrives is refunded
