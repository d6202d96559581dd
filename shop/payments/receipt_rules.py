"""Which cash receipt a cash payment is owed now (the rules shop.payments.cash_receipts
carries out), and which orders reconciliation should look at for one."""

import enum

from sqlalchemy import and_, not_, or_, select

from shop.core.cash_receipts import CASH_METHODS, MANDATORY_FROM, NTS_NUMBER, ReceiptPurpose
from shop.core.extensions import db
from shop.core.ledger import CashReceipt, Payment
from shop.core.models import Order, PaymentStatus
from shop.payments.states import HOLDS_MONEY, holds_money

MONEY_STATES = (PaymentStatus.PAID, PaymentStatus.CANCELLED)  # a partial cancel is cancelled


class Step(enum.Enum):
    ISSUE = "issue"
    CANCEL = "cancel"


def receipt_of(imp_uid: str) -> CashReceipt | None:
    found = db.session.execute(select(CashReceipt).where(CashReceipt.imp_uid == imp_uid))
    return found.scalar_one_or_none()


def receipts_of(order: Order) -> list[CashReceipt]:
    query = select(CashReceipt).where(CashReceipt.order_id == order.id).order_by(CashReceipt.id)
    return list(db.session.execute(query).scalars())


def owed(order: Order) -> bool:
    """Whether a request to PortOne is due for one of the order's cash payments."""
    return any(
        next_step(order, payment, receipt_of(payment.imp_uid)) is not None
        for payment in order.payments
        if payment.pay_method in CASH_METHODS
    )


def next_step(order: Order, payment: Payment, receipt: CashReceipt | None) -> Step | None:
    """A receipt for other than what PortOne holds is cancelled; money held without one gets
    one, when the buyer asked or the law asks (MANDATORY_FROM) and the PG issued none."""
    held = payment.refundable if holds_money(payment) else 0
    if receipt is not None and receipt.in_force:
        return Step.CANCEL if receipt.amount != held else None
    if not held or order.status not in HOLDS_MONEY or holder_of(order, payment) is None:
        return None
    issued_by_pg = receipt is None and payment.cash_receipt_issued
    return None if issued_by_pg else Step.ISSUE


def holder_of(order: Order, payment: Payment) -> tuple[ReceiptPurpose, str] | None:
    """Whom the receipt is for: the buyer's number, else 국세청 지정번호 from MANDATORY_FROM."""
    purpose, number = order.cash_receipt_purpose, order.cash_receipt_number
    if purpose not in (None, ReceiptPurpose.NONE) and number:
        return purpose, number
    if payment.amount >= MANDATORY_FROM:
        return ReceiptPurpose.INCOME_DEDUCTION, NTS_NUMBER
    return None


def holder_fields(order: Order, payment: Payment, receipt: CashReceipt | None) -> dict[str, str]:
    """The spec's fields; a receipt issued again goes to whom the first one went."""
    if receipt is not None:
        purpose, number = receipt.purpose, receipt.identifier
    else:
        purpose, number = holder_of(order, payment) or (ReceiptPurpose.NONE, "")
    return {
        "identifier": number,
        "identifier_type": purpose.identifier_type,
        "type": purpose.receipt_type,
        "buyer_name": order.buyer_name,
        "buyer_email": order.buyer_email,
        "buyer_tel": order.buyer_tel,
    }


def purpose_of(holder: dict[str, str]) -> ReceiptPurpose:
    expense = holder["type"] == ReceiptPurpose.EXPENSE_PROOF.receipt_type
    return ReceiptPurpose.EXPENSE_PROOF if expense else ReceiptPurpose.INCOME_DEDUCTION


def unsettled_receipts() -> list[str]:
    """Orders whose cash receipt may be owed a step: a failure kept, a receipt for other than
    what PortOne holds, or money held by a cash payment that never had one asked for. Each is
    looked at again by next_step, which has the last word."""
    held = Payment.amount - Payment.cancel_amount
    money_in = and_(held > 0, Order.status.in_(HOLDS_MONEY), Payment.status.in_(MONEY_STATES))
    wanted = or_(Order.cash_receipt_number.is_not(None), Payment.amount >= MANDATORY_FROM)
    never_asked = and_(CashReceipt.id.is_(None), not_(Payment.cash_receipt_issued), wanted)
    query = (
        select(Order.merchant_uid)
        .join(Payment, Payment.order_id == Order.id)
        .outerjoin(CashReceipt, CashReceipt.imp_uid == Payment.imp_uid)
        .where(
            Payment.pay_method.in_(CASH_METHODS),
            or_(
                and_(CashReceipt.in_force, CashReceipt.amount != held),
                and_(money_in, or_(never_asked, not_(CashReceipt.in_force))),
            ),
        )
        .distinct()
    )
    found = list(db.session.execute(query).scalars())
    db.session.commit()
    return sorted(found)
