"""PortOne's confirm process (confirm_url): asked right before PortOne approves a payment,
the shop checks the order and the amount and holds the order's stock, or says why not, which
stops the payment. The hold is released when the order fails, expires, is refunded or
cancelled (shop.effects)."""

import logging

from sqlalchemy.exc import DBAPIError

from shop import effects
from shop.extensions import db
from shop.models import Order, OrderStatus
from shop.sync import Outcome, SyncResult, locked_order, new_event, record_claim

CONFIRMABLE = (OrderStatus.PENDING, OrderStatus.FAILED, OrderStatus.VBANK_ISSUED)
TRY_AGAIN = "일시적인 오류로 결제를 진행할 수 없습니다. 잠시 후 다시 시도해 주세요."

log = logging.getLogger(__name__)


def confirm(imp_uid: str, merchant_uid: str, amount: object, currency: object) -> str | None:
    """None lets the payment go ahead (its stock is held); otherwise the reason it must not,
    in words for the customer. The call is recorded like any claim."""
    event = new_event("confirm", imp_uid, merchant_uid, f"amount={amount}")
    try:
        order = locked_order(merchant_uid)
        reason = refusal(order, amount, currency)
    except DBAPIError as error:
        db.session.rollback()
        log.warning("confirm of %s refused, database error: %s", merchant_uid, error)
        return TRY_AGAIN
    if order is not None:
        event.order_id, event.order_status_before = order.id, order.status.value
        event.order_status_after = order.status.value
    outcome = Outcome.CONFIRMED if reason is None else Outcome.REFUSED
    recorded = record_claim(event, SyncResult(outcome, order, detail=reason))
    if recorded.outcome == Outcome.UNAVAILABLE:
        return TRY_AGAIN
    return reason


def refusal(order: Order | None, amount: object, currency: object) -> str | None:
    if order is None:
        return "주문을 찾을 수 없습니다."
    if order.status not in CONFIRMABLE:
        return f"{order.status.label} 상태의 주문이라 결제할 수 없습니다."
    if amount != order.amount or (currency or "KRW") != order.currency:
        return "결제 금액이 주문 금액과 다릅니다."
    shortage = effects.take_stock(order)
    return "재고가 부족합니다. " + shortage[0].removeprefix("재고 부족: ") if shortage else None
