"""A settled payment verified again: answered from what the shop stored, without asking
PortOne and without writing.

The pay page's callback and the phone's return come again on every reload, Back button and
second tab, and often after the webhook has settled the payment already. A payment PortOne
reported paid or cancelled, on an order that already stands where its payments point
with nothing to give back, would come out of a sync unchanged: what is stored is the answer.
Anything else (a payment not stored yet, an open virtual account, another order's payment,
money to refund or review) goes through the sync (shop.payments.sync). A cancel made later in
PortOne's console reaches the shop by webhook or reconciliation, not by a customer's reload.

The customer's return is still a fact the operator's timeline shows: when no callback or return
of the payment is recorded yet (the webhook settled it first), its answer from storage is
written as one event that changed nothing. Reloads after that write nothing.
"""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from shop.core.database import reading
from shop.core.extensions import db
from shop.core.ledger import EventSource, Payment, PaymentEvent
from shop.core.logs import claim_line, log_claim
from shop.core.models import Order, PaymentStatus
from shop.payments import states
from shop.payments.events import new_event, record_answered
from shop.payments.moves import judge
from shop.payments.outcomes import Outcome, SyncResult
from shop.payments.payloads import IMP_UID_SHAPE
from shop.payments.sync import MoneyBack

# At PortOne only a cancel follows these, and it comes by webhook; a failed payment may
# still be approved late.
FINAL = (PaymentStatus.PAID, PaymentStatus.CANCELLED)
ANSWERED = (Outcome.PAID, Outcome.CANCELLED)
CUSTOMER_RETURNS = (EventSource.CALLBACK, EventSource.REDIRECT)
NO_CHANGE = "저장된 결제로 응답 (PortOne에 다시 묻지 않음, 변경 없음)"


def stored_answer(imp_uid: str, claimed: str, source: EventSource) -> SyncResult | None:
    """The outcome a sync would give, when the stored state alone settles it; else None."""
    if not IMP_UID_SHAPE.fullmatch(imp_uid):
        return None
    try:
        with reading():
            payment = _stored(imp_uid)
            result = _settled(payment, claimed) if payment else None
            returned_before = result is not None and _customer_returned(result)
    except DBAPIError:
        result = None  # the sync says what it can with the database down
    if result is None:
        db.session.rollback()  # the sync that follows takes its own (writing) transaction
        return None
    event = answered_event(source, claimed, result)
    if returned_before:
        log_claim(event.outcome, claim_line(event) + " stored")  # the usual line; no row
    else:
        db.session.rollback()  # the row is written in a transaction of its own
        record_answered(event)
    return result


def answered_event(source: EventSource, claimed: str, result: SyncResult) -> PaymentEvent:
    """The claim as a sync would have recorded it, had it changed nothing."""
    assert result.order is not None and result.payment is not None
    event = new_event(source, result.payment.imp_uid, claimed, NO_CHANGE)
    event.order_id, event.outcome = result.order.id, result.outcome.value
    event.order_status_before = event.order_status_after = result.order.status.value
    return event


def _customer_returned(result: SyncResult) -> bool:
    """A callback or return of this payment is recorded already (the timeline shows one)."""
    assert result.order is not None and result.payment is not None
    recorded = select(PaymentEvent.id).where(
        PaymentEvent.order_id == result.order.id,
        PaymentEvent.imp_uid == result.payment.imp_uid,
        PaymentEvent.source.in_(CUSTOMER_RETURNS),
    )
    return db.session.execute(recorded.limit(1)).first() is not None


def _stored(imp_uid: str) -> Payment | None:
    query = (
        select(Payment)
        .where(Payment.imp_uid == imp_uid)
        .options(joinedload(Payment.order).selectinload(Order.payments))
    )
    return db.session.execute(query).scalar_one_or_none()


def _settled(payment: Payment, claimed: str) -> SyncResult | None:
    order = payment.order
    if order is None or payment.merchant_uid != claimed or payment.status not in FINAL:
        return None
    if not _standing_still(order):
        return None
    outcome = judge(order, payment)
    return SyncResult(outcome, order, payment) if outcome in ANSWERED else None


def _standing_still(order: Order) -> bool:
    """The order is where its stored payments point, and nothing of it is to be given back."""
    wanted, _ = states.target(order, order.payments, datetime.now(UTC))
    return wanted in (None, order.status) and not MoneyBack.due(order)
