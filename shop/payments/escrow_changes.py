"""What an escrow status webhook (shop.payments.escrow_claims) does to an order's goods:
구매확인 (and 자동·강제 구매확인) → 구매확정; 구매거절 → the admin's queue, to be taken back as a
return; 배송등록 → the timeline (and the registration, when the shop had not heard PortOne's
answer); the rest → the timeline only.

PortOne V1 exposes no buyer's decision: GET /payments/{imp_uid} says whether the payment is an
escrow payment and holds money, GET /escrows/logis/{imp_uid} says which parcel is registered
(courier, invoice, sent_at, applied_at), and nothing says 구매확인 or 구매거절. So the decision
itself is trusted from the webhook, and only: from WEBHOOK_ALLOWED_IPS (checked by the route),
for an order whose fetched payment is a paid escrow payment, whose goods the shop shipped, and
whose invoice PortOne holds as registered; and the move is forward-only and made once. A
forged body for an unregistered or unshipped order, or a repeat, is recorded and moves nothing.
"""

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import EventSource, Payment, PaymentEvent
from shop.core.models import Order
from shop.payments.escrow import shipped
from shop.payments.escrow_claims import CONFIRMATIONS, EscrowChange, EscrowStatus
from shop.payments.events import column_text, new_event
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.outcomes import Outcome
from shop.payments.shipments import advance, locked
from shop.payments.states import holds_money
from shop.payments.sync import sync_payment

F = Fulfilment
SOURCE = EventSource.WEBHOOK
# A 구매거절 waits for the operator while the goods are out; a return (반품요청) settles it.
DENIAL_WAITS_IN = frozenset({F.SHIPPING, F.DELIVERED})


class Verdict(enum.Enum):
    """What the shop made of an escrow change; the value is its event's outcome."""

    CONFIRMED = "escrow_confirmed"
    DENIED = "escrow_denied"
    NOTED = "escrow_noted"
    IGNORED = "escrow_ignored"
    UNCHECKED = "escrow_unchecked"  # PortOne or the database did not answer: retry

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Verdict.CONFIRMED: "에스크로 구매확인 반영",
    Verdict.DENIED: "에스크로 구매거절 접수",
    Verdict.NOTED: "에스크로 상태 기록",
    Verdict.IGNORED: "에스크로 상태 무시",
    Verdict.UNCHECKED: "에스크로 상태 확인 못 함",
}


def handle_escrow_change(
    gateway: PortOne, imp_uid: str, claimed: str | None, change: EscrowChange
) -> Verdict:
    """Sync the payment as for any webhook, ask PortOne for the parcel, then judge; commits."""
    synced = sync_payment(gateway, imp_uid, SOURCE, claimed, claim=change.claim)
    if synced.outcome == Outcome.UNAVAILABLE:
        return Verdict.UNCHECKED
    if synced.order is None or synced.outcome == Outcome.MISMATCH:
        return Verdict.IGNORED  # the sync's event says why
    try:
        parcel = registered_parcel(gateway, imp_uid)
    except GatewayError:
        return Verdict.UNCHECKED
    return judged(synced.order.id, imp_uid, change, parcel)


def registered_parcel(gateway: PortOne, imp_uid: str) -> dict[str, Any] | None:
    """PortOne's record of the parcel; None when it holds none (409) or refuses to say."""
    try:
        return gateway.escrow_shipment(imp_uid)
    except GatewayError as error:
        if error.unavailable:
            raise
        return None
    finally:
        db.session.commit()  # what the sync read is not held while PortOne answers


def judged(
    order_id: int, imp_uid: str, change: EscrowChange, parcel: dict[str, Any] | None
) -> Verdict:
    order = locked(order_id)
    reason = unfit(order, payment_named(imp_uid), parcel) or unknown(change)
    verdict, note = (Verdict.IGNORED, reason) if reason else applied(order, change)
    db.session.add(verdict_event(order, imp_uid, change, verdict, note))
    db.session.commit()
    return verdict


def payment_named(imp_uid: str) -> Payment:
    query = select(Payment).where(Payment.imp_uid == imp_uid)
    return db.session.execute(query.execution_options(populate_existing=True)).scalar_one()


def unfit(order: Order, payment: Payment, parcel: dict[str, Any] | None) -> str | None:
    """Why PortOne's facts do not let an escrow change touch this order."""
    if not payment.escrow:
        return "에스크로 결제가 아닌 주문입니다"
    if not holds_money(payment):
        return "PortOne에서 결제 완료 상태가 아닌 결제입니다"
    if not shipped(order):
        return "배송을 시작하지 않은 주문입니다"
    if parcel is None or str(parcel.get("invoice")) != order.invoice_number:
        return "PortOne에 이 주문의 송장이 배송정보로 등록되어 있지 않습니다"
    return None


def unknown(change: EscrowChange) -> str | None:
    return None if change.status else f"알 수 없는 에스크로 상태입니다 ({change.raw_status!r})"


def applied(order: Order, change: EscrowChange) -> tuple[Verdict, str | None]:
    if change.status in CONFIRMATIONS:
        return confirmed(order, change)
    if change.status is EscrowStatus.PURCHASE_DENIED:
        return denied(order, change)
    if change.status is EscrowStatus.SHIPPING_REGISTERED:
        return registration_heard(order)
    return Verdict.NOTED, "기록만 합니다 (결제 상태는 결제 조회로 반영됩니다)"


def confirmed(order: Order, change: EscrowChange) -> tuple[Verdict, str | None]:
    """구매확인 means the goods arrived: 배송중 passes through 배송완료 to 구매확정."""
    if order.fulfilment is F.CONFIRMED:
        return Verdict.IGNORED, "이미 구매확정된 주문입니다"
    note = f"에스크로 {change.label}"
    refusal = None
    if order.fulfilment is F.SHIPPING:
        refusal = advance(order, F.DELIVERED, SOURCE, note)
    refusal = refusal or advance(order, F.CONFIRMED, SOURCE, note)
    if refusal:
        return Verdict.IGNORED, f"구매확정으로 바꾸지 못했습니다: {refusal.value}"
    return Verdict.CONFIRMED, None


def denied(order: Order, change: EscrowChange) -> tuple[Verdict, str | None]:
    if order.escrow_denied_at is not None:
        return Verdict.IGNORED, "이미 구매거절이 접수된 주문입니다"
    if order.fulfilment not in DENIAL_WAITS_IN:
        return Verdict.IGNORED, f"배송 상태가 {order.fulfilment.label}인 주문입니다"
    order.escrow_denied_at = datetime.now(UTC)
    order.escrow_denied_reason = column_text(change.denied_reason, 200)
    return Verdict.DENIED, change.denied_reason or None


def registration_heard(order: Order) -> tuple[Verdict, str | None]:
    """PortOne holds our invoice: a registration whose answer the shop lost is done."""
    if order.escrow_registered_at is not None:
        return Verdict.NOTED, None
    order.escrow_registered_at, order.escrow_error = datetime.now(UTC), None
    return Verdict.NOTED, "PortOne에 등록된 배송정보를 확인했습니다"


def verdict_event(
    order: Order, imp_uid: str, change: EscrowChange, verdict: Verdict, note: str | None
) -> PaymentEvent:
    said = f"{verdict.label}: {change.label}" + (f" — {note}" if note else "")
    event = new_event(SOURCE, imp_uid, order.merchant_uid, said, claim=change.claim)
    event.order_id, event.outcome = order.id, verdict.value
    event.order_status_before = event.order_status_after = order.status.value
    return event


def denial_waiting(order: Order) -> bool:
    """A 구매거절 the operator has not taken back as a return yet."""
    return order.escrow_denied_at is not None and order.fulfilment in DENIAL_WAITS_IN


def denials_waiting():
    """denial_waiting as a query condition."""
    return Order.escrow_denied_at.is_not(None) & Order.fulfilment.in_(DENIAL_WAITS_IN)
