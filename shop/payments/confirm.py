"""PortOne's confirm process (confirm_url): asked right before PortOne approves a payment,
the shop checks the order and the amount and holds the order's stock, or says why not, which
stops the payment.

The call itself is only a claim (anyone can POST it), so the payment it names is fetched from
PortOne: stock is held only for a payment PortOne has, still `ready`, for this order and its
amount (when PortOne cannot be asked, nothing is held and the payment goes on). A hold lasts
CONFIRM_HOLD_MINUTES; the payment's result normally arrives seconds later and makes it a sale
(or gives it back), and a hold nobody paid for is given back by the next sync of the order or
by reconciliation (shop.payments.effects, release_expired_holds).
"""

import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from shop.core.extensions import db
from shop.core.ledger import EventSource
from shop.core.models import Order, OrderStatus, PaymentStatus
from shop.payments import effects
from shop.payments.events import new_event, record_claim
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.moves import locked_order
from shop.payments.outcomes import Outcome, SyncResult
from shop.payments.payloads import IMP_UID_SHAPE, checked_payment

CONFIRMABLE = (OrderStatus.PENDING, OrderStatus.FAILED, OrderStatus.VBANK_ISSUED)
TRY_AGAIN = "일시적인 오류로 결제를 진행할 수 없습니다. 잠시 후 다시 시도해 주세요."
UNKNOWN_PAYMENT = "PortOne에서 결제 요청을 찾을 수 없습니다."
UNCHECKED = "PortOne에 결제를 확인하지 못해 재고를 잡지 않고 승인을 허용"

log = logging.getLogger(__name__)


def confirm(gateway: PortOne, imp_uid: str, merchant_uid: str, amount: object) -> str | None:
    """None lets the payment go ahead (its stock is held); otherwise the reason it must not,
    in words for the customer. The call is recorded like any claim."""
    event = new_event(EventSource.CONFIRM, imp_uid, merchant_uid, None, claim=f"amount={amount}")
    try:
        payment = known_payment(gateway, imp_uid)
    except GatewayError as error:
        # Nothing is held for a payment nobody could check; refusing would lose the sale
        # while PortOne is slow. The sync takes the stock, or refunds what is sold out.
        log.warning("confirm of %s let through unheld, PortOne did not answer: %s", imp_uid, error)
        event.detail = UNCHECKED
        return _recorded(event, None, None)
    try:
        order = locked_order(merchant_uid)
        reason = refusal(order, payment, merchant_uid)
    except DBAPIError as error:
        db.session.rollback()
        log.warning("confirm of %s refused, database error: %s", merchant_uid, error)
        return TRY_AGAIN
    return _recorded(event, order, reason)


def known_payment(gateway: PortOne, imp_uid: str) -> dict | None:
    """The payment as PortOne has it; None when it has none by that imp_uid."""
    if not IMP_UID_SHAPE.fullmatch(imp_uid):
        return None
    try:
        return checked_payment(gateway.get_payment(imp_uid))
    except GatewayError as error:
        if error.not_found:
            return None
        raise


def refusal(order: Order | None, payment: dict | None, merchant_uid: str) -> str | None:
    """Only a payment PortOne is about to approve, for the order named, can hold stock."""
    if payment is None or payment["merchant_uid"] != merchant_uid:
        return UNKNOWN_PAYMENT
    if payment["status"] != PaymentStatus.READY:
        return "승인을 기다리는 결제가 아닙니다."
    return order_refusal(order, payment)


def order_refusal(order: Order | None, payment: dict) -> str | None:
    if order is None:
        return "주문을 찾을 수 없습니다."
    if order.status not in CONFIRMABLE:
        return f"{order.status.label} 상태의 주문이라 결제할 수 없습니다."
    if payment["amount"] != order.amount or payment["currency"] != order.currency:
        return "결제 금액이 주문 금액과 다릅니다."
    shortage = effects.hold_stock(order, datetime.now(UTC) + hold_time())
    return "재고가 부족합니다. " + shortage[0].removeprefix("재고 부족: ") if shortage else None


def hold_time() -> timedelta:
    return timedelta(minutes=current_app.config["CONFIRM_HOLD_MINUTES"])


def _recorded(event, order: Order | None, reason: str | None) -> str | None:
    if order is not None:
        event.order_id, event.order_status_before = order.id, order.status.value
        event.order_status_after = order.status.value
    outcome = Outcome.CONFIRMED if reason is None else Outcome.REFUSED
    recorded = record_claim(event, SyncResult(outcome, order, detail=reason))
    if recorded.outcome == Outcome.UNAVAILABLE:
        return TRY_AGAIN
    return reason


def release_expired_holds() -> list[str]:
    """Give back the stock of holds that outlived CONFIRM_HOLD_MINUTES unpaid (for
    reconciliation: an order whose payment never reached the shop is never synced)."""
    now = datetime.now(UTC)
    expired = select(Order.merchant_uid).where(Order.stock_held_until <= now)
    released = [uid for uid in db.session.scalars(expired).all() if _release(uid)]
    db.session.commit()
    return released


def _release(merchant_uid: str) -> bool:
    event = new_event(EventSource.RECONCILE, None, merchant_uid, None)
    order = locked_order(merchant_uid)
    if order is None or not effects.hold_expired(order, datetime.now(UTC)):
        return False
    event.order_id, event.order_status_before = order.id, order.status.value
    notes = effects.follow(order)
    event.order_status_after = order.status.value
    record_claim(event, SyncResult(Outcome.HOLD_EXPIRED, order, detail="; ".join(notes)))
    return True
