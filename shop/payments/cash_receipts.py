"""현금영수증 of cash payments (계좌이체, 가상계좌): issued once the money is in (POST
/receipts/{imp_uid}), cancelled when all of it went back (DELETE), and after a partial refund
cancelled and issued again for what is left.

The partial-refund rule, from the V1 spec: PortOne issues a receipt "for the balance left" of a
partially cancelled payment (issueReceipt), and a PG does not cancel or shrink a receipt with
the payment (KSNET's cancel notes: cancel it by hand, and after a partial cancel cancel it and
issue one with the new amount; smartro_v2 likewise). So the shop never leaves a receipt for more
than PortOne still holds: it cancels it and issues one for the remainder.

Asked after the payment's change is committed, never inside a transaction, like escrow
registration (shop.payments.escrow): a refusal or no answer is kept on the receipt's row and
the order's timeline, and the operator's 다시 시도 or reconciliation asks again. A payment
whose PG issued a receipt itself (the fetched cash_receipt_issued, before the shop asked) is
left to the PG.
"""

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shop.core.cash_receipts import CASH_METHODS
from shop.core.extensions import db
from shop.core.ledger import CashReceipt, EventSource, PaymentEvent
from shop.core.models import Order
from shop.notices.queue import queue_receipt_notice
from shop.payments.events import column_text, new_event
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.payment_rows import from_unix
from shop.payments.receipt_rules import Step, holder_fields, next_step, purpose_of, receipt_of
from shop.payments.shipments import locked

STEPS_AT_MOST = 2  # a partial refund: cancel, then issue for what is left


class Receipting(enum.Enum):
    """What became of one request to PortOne; the value is its event's outcome."""

    ISSUED = "cash_receipt_issued"
    CANCELLED = "cash_receipt_cancelled"
    FAILED = "cash_receipt_failed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Receipting.ISSUED: "현금영수증 발급",
    Receipting.CANCELLED: "현금영수증 발급 취소",
    Receipting.FAILED: "현금영수증 요청 실패",
}
DONE = {Step.ISSUE: Receipting.ISSUED, Step.CANCEL: Receipting.CANCELLED}
STEP_WORDS = {Step.ISSUE: "발급", Step.CANCEL: "발급 취소"}


@dataclass(frozen=True)
class Attempt:
    step: Step
    outcome: Receipting
    error: str | None = None  # what PortOne said, or that it did not answer


@dataclass(frozen=True)
class Due:
    order_id: int
    imp_uid: str
    step: Step
    holder: dict[str, str]  # the spec's fields of an issue


def is_cash(payment: dict[str, Any]) -> bool:
    return payment.get("pay_method") in CASH_METHODS


def settle_receipt(gateway: PortOne, merchant_uid: str, source: EventSource) -> list[Attempt]:
    """Bring the order's receipt in line with its money; each request is one attempt."""
    attempts: list[Attempt] = []
    while len(attempts) < STEPS_AT_MOST:
        due = due_of(merchant_uid)
        db.session.commit()  # end the read: no transaction is open while PortOne is asked
        if due is None:
            break
        attempts.append(recorded(due, *sent(gateway, due), source))
        if attempts[-1].outcome is Receipting.FAILED:
            break
    return attempts


def due_of(merchant_uid: str) -> Due | None:
    order = db.session.execute(select(Order).where(Order.merchant_uid == merchant_uid)).scalar_one()
    for payment in order.payments:
        if payment.pay_method in CASH_METHODS:
            receipt = receipt_of(payment.imp_uid)
            step = next_step(order, payment, receipt)
            if step is not None:
                return Due(order.id, payment.imp_uid, step, holder_fields(order, payment, receipt))
    return None


def sent(gateway: PortOne, due: Due) -> tuple[dict[str, Any] | None, str | None]:
    """PortOne's receipt once the step is done, or what it said. A step whose answer was lost
    is done already: PortOne's receipt then says so."""
    try:
        if due.step is Step.ISSUE:
            return gateway.issue_receipt(due.imp_uid, due.holder), None
        return gateway.revoke_receipt(due.imp_uid), None
    except GatewayError as refused:
        return done_already(gateway, due), refused.message


def done_already(gateway: PortOne, due: Due) -> dict[str, Any] | None:
    try:
        kept = gateway.receipt(due.imp_uid)
    except GatewayError:
        return None
    in_force = not kept.get("cancelled_at")
    return kept if in_force == (due.step is Step.ISSUE) else None


def recorded(
    due: Due, answer: dict[str, Any] | None, error: str | None, source: EventSource
) -> Attempt:
    """Keep PortOne's answer on the receipt's row and the order's timeline."""
    order = locked(due.order_id)
    receipt = receipt_of(due.imp_uid) or new_receipt(due)
    attempt = Attempt(due.step, DONE[due.step], None) if answer else failed(due, error)
    if answer is None:
        receipt.error = column_text(error, 500)
    else:
        kept(receipt, answer)
    if attempt.outcome is Receipting.ISSUED:
        queue_receipt_notice(order, receipt)
    db.session.add(receipt_event(order, receipt, source, attempt))
    db.session.commit()
    return attempt


def failed(due: Due, error: str | None) -> Attempt:
    return Attempt(due.step, Receipting.FAILED, error or "PortOne이 답하지 않았습니다.")


def new_receipt(due: Due) -> CashReceipt:
    receipt = CashReceipt(
        order_id=due.order_id,
        imp_uid=due.imp_uid,
        purpose=purpose_of(due.holder),
        identifier=due.holder["identifier"],
        in_force=False,
    )
    db.session.add(receipt)
    return receipt


def kept(receipt: CashReceipt, answer: dict[str, Any]) -> None:
    """The spec's ReceiptAnnotation: cancelled_at is 0 while the receipt is in force."""
    receipt.in_force = not answer.get("cancelled_at")
    receipt.amount = answer.get("amount")
    receipt.apply_num = column_text(answer.get("apply_num"), 30)
    receipt.receipt_url = column_text(answer.get("receipt_url"), 500)
    receipt.issued_at = from_unix(answer.get("applied_at"))
    receipt.cancelled_at = from_unix(answer.get("cancelled_at"))
    receipt.error = None


def receipt_event(
    order: Order, receipt: CashReceipt, source: EventSource, attempt: Attempt
) -> PaymentEvent:
    amount = f" {receipt.amount:,}원" if receipt.amount else ""
    note = f"{attempt.outcome.label}{amount}"
    if attempt.outcome is Receipting.FAILED:
        note = f"{note} ({STEP_WORDS[attempt.step]}); PortOne: {attempt.error}"
    event = new_event(source, receipt.imp_uid, order.merchant_uid, note)
    event.order_id, event.outcome = order.id, attempt.outcome.value
    event.order_status_before = event.order_status_after = order.status.value
    return event
