"""What a customer or an operator may ask for: cancel an order, refund a payment.

Both lock the order first, so a double click or two operators at once ask PortOne once; the
answer PortOne gives goes through the one sync like any other delivery.
"""

from sqlalchemy import select

from shop.core.extensions import db
from shop.core.fulfilment import sent
from shop.core.ledger import EventSource, Refund, RefundCause, RefundState
from shop.core.models import OrderStatus
from shop.payments import refunds
from shop.payments.gateway import PortOne
from shop.payments.moves import locked_order, record_move
from shop.payments.outcomes import SyncResult
from shop.payments.refunds import RefundRefused
from shop.payments.states import HOLDS_MONEY, open_vbank
from shop.payments.sync import sync_fetched

CANCELLABLE = (
    OrderStatus.PENDING,
    OrderStatus.FAILED,
    OrderStatus.VBANK_ISSUED,
    OrderStatus.EXPIRED,
)
UNKNOWN_ANSWER = (
    "PortOne의 환불 결과를 확인하지 못했습니다. 다시 요청하면 PortOne에 먼저 확인한 뒤 "
    "필요할 때만 환불합니다."
)
GOODS_SENT = (
    "상품이 이미 발송되어 주문을 취소할 수 없습니다. 상품을 받으신 뒤 반품을 신청해 주세요."
)


def refund(
    gateway: PortOne,
    merchant_uid: str,
    reason: str,
    cause: RefundCause = RefundCause.OPERATOR,
    amount: int | None = None,
    account: dict | None = None,
    imp_uid: str | None = None,
) -> SyncResult:
    """Refund (all or `amount` of) the payment an order holds, or of the one named `imp_uid`;
    RefundRefused with the reason in words when it cannot be done or PortOne says no."""
    order = locked_order(merchant_uid)
    if order is None:
        raise RefundRefused("주문을 찾을 수 없습니다.")
    if cause == RefundCause.CUSTOMER and sent(order.fulfilment):
        raise RefundRefused(GOODS_SENT)  # the goods left while the customer was deciding
    payment = refunds.refund_source(order, imp_uid)
    if payment is None:
        raise RefundRefused("이 주문에는 환불할 결제가 없습니다.")
    pending = _unfinished(payment.imp_uid)
    ask = pending or refunds.request(order, payment, reason, cause, amount)
    db.session.commit()
    answer = refunds.send(gateway, ask, account)
    if answer is None:
        raise RefundRefused(_why_not(ask))
    return sync_fetched(gateway, answer, EventSource.REFUND, cause)


def _unfinished(imp_uid: str) -> Refund | None:
    """A refund whose answer was lost: sent again only after PortOne is asked (shop.payments.refunds)."""
    query = select(Refund).where(Refund.imp_uid == imp_uid, Refund.state == RefundState.UNKNOWN)
    return db.session.execute(query).scalars().first()


def _why_not(refund: Refund) -> str:
    db.session.refresh(refund)
    if refund.state == RefundState.REFUSED:
        return f"PortOne이 환불을 거절했습니다: {refund.message}"
    return UNKNOWN_ANSWER


def cancel_order(gateway: PortOne, merchant_uid: str, account: dict | None = None) -> None:
    """The customer's cancel: an unpaid order is closed (its open virtual account revoked), a
    paid one refunded of all that is left of it (refunds.refund_source). RefundRefused says
    why not."""
    order = locked_order(merchant_uid)
    if order is None:
        raise RefundRefused("주문을 찾을 수 없습니다.")
    if order.status in HOLDS_MONEY:
        db.session.rollback()
        refund(
            gateway,
            merchant_uid,
            "고객 요청에 따른 주문 취소",
            RefundCause.CUSTOMER,
            account=account,
        )
        return
    if order.status not in CANCELLABLE:
        raise RefundRefused(f"{order.status.label} 상태의 주문은 취소할 수 없습니다.")
    open_accounts = [p.imp_uid for p in order.payments if open_vbank(p)]
    record_move(order, OrderStatus.CANCELLED, EventSource.CUSTOMER, "고객 요청에 따른 주문 취소")
    db.session.commit()
    for imp_uid in open_accounts:
        if answer := refunds.revoke(gateway, imp_uid):
            sync_fetched(gateway, answer, EventSource.REVOKE)
