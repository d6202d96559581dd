"""PortOne's cash receipt API: a payment's receipt (GET, POST and DELETE /receipts/{imp_uid})
and that of cash taken outside PortOne (GET, POST and DELETE /receipts/external/{merchant_uid}).
What a request names is read by receipt_request.py; the receipts are kept by store/receipts.py.

The V1 spec's statuses: issuing answers 400 for a missing field, a payment not paid, or a
receipt already issued, and 501 for a PG without receipts (SUPPORTED_PGS); a lookup answers 404
when nothing was issued; cancelling a payment's receipt answers 400 when none was issued
through PortOne, cancelling an external one 404. A payment's receipt is for what is left of it
after partial cancels. Its answers are ReceiptAnnotation and ExternalReceiptAnnotation.

The sandbox's guesses: the texts; 404 for issuing to an unknown payment; only trans and vbank
payments (the spec's 현금성 거래) take one, others get 400; a cancelled receipt is still answered
with its cancelled_at (0 while in force, as the payment's times), a second cancel gets 400 and a
new issue replaces it; external receipts default to (and an unsupported `pg` falls back to)
html5_inicis, as the spec says of an invalid `pg`; apply_num has 9 digits; no webhook follows;
cancelling the payment leaves its receipt as it is (the spec notes only that smartro_v2 does
not cancel it with the payment, so others may: not played here).
"""

from collections.abc import Mapping
from typing import NoReturn

from flask import url_for
from flask.typing import ResponseReturnValue

from .api import PAYMENT_NOT_FOUND, bp
from .current import store
from .params import MISSING_FIELD, text_field
from .pay_request import DEFAULT_PG, pg_provider_and_id
from .pg import new_pg_tid
from .receipt_request import CashMethod, receipt_amounts, requested_holder, whole_amount
from .rest import Refusal, body, envelope
from .store import ReceiptKind
from .store.cancels import is_cancellable
from .store.documents import random_digits
from .webguard import Payment

# The spec's x-portone-supported-pgs of each operation.
SUPPORTED_PGS = {
    "issue": frozenset(
        {"html5_inicis", "kcp", "nice", "kicc", "settle", "daou", "tosspayments", "ksnet"}
        | {"smartro", "smartro_v2", "nice_v2", "welcome"}
    ),
    "revoke": frozenset(
        {"html5_inicis", "kcp", "settle", "nice", "daou", "tosspayments", "nice_v2", "ksnet"}
        | {"smartro_v2", "welcome"}
    ),
    "issue_external": frozenset(
        {"html5_inicis", "kcp", "settle", "nice", "kicc", "tosspayments", "nice_v2", "ksnet"}
        | {"smartro", "smartro_v2", "welcome"}
    ),
    "revoke_external": frozenset(
        {"html5_inicis", "kcp", "settle", "nice", "tosspayments", "nice_v2", "ksnet"}
        | {"smartro_v2", "welcome"}
    ),
}
ANSWERED = ("receipt_tid", "apply_num", "type", "amount", "vat", "receipt_url")
ANSWERED_TIMES = ("applied_at", "cancelled_at")

RECEIPT_NOT_FOUND = "현금영수증 발행내역이 존재하지 않습니다."
# The sandbox's own texts.
NOT_CASH = "현금성 결제건(계좌이체, 가상계좌)만 현금영수증을 발급할 수 있습니다(pay_method: {m})."
NOT_PAID = "결제완료(paid) 상태의 결제건만 현금영수증을 발급할 수 있습니다(현재: {state})."
ALREADY_ISSUED = "이미 현금영수증이 발급된 건입니다."
ALREADY_CANCELLED = "이미 발급취소된 현금영수증입니다."
NEVER_ISSUED = "포트원을 통해 현금영수증이 발급된 적 없는 건입니다."
UNSUPPORTED_PG = "현금영수증을 지원하지 않는 PG사입니다(pg_provider: {pg})."
NOT_POSITIVE = "amount 파라메터는 0보다 큰 정수여야 합니다."
CASH_METHODS = {method.value for method in CashMethod}


@bp.get("/receipts/<id:imp_uid>")
def get_receipt(imp_uid: str) -> ResponseReturnValue:
    return envelope(answer(kept(ReceiptKind.PAYMENT, imp_uid, RECEIPT_NOT_FOUND, 404)))


@bp.get("/receipts/external/<merchant_uid>")
def get_external_receipt(merchant_uid: str) -> ResponseReturnValue:
    return envelope(answer(kept(ReceiptKind.EXTERNAL, merchant_uid, RECEIPT_NOT_FOUND, 404)))


@bp.post("/receipts/<id:imp_uid>")
def issue_receipt(imp_uid: str) -> ResponseReturnValue:
    fields = body()

    def issued(found: Payment | None, receipt: dict | None) -> dict:
        payment = receivable(found, receipt)
        holder = requested_holder(fields, payment["pg_provider"])
        left = int(payment["amount"] - payment["cancel_amount"])
        amounts = receipt_amounts(fields, left)
        return new_receipt(holder, amounts, payment["pg_provider"]) | {"imp_uid": imp_uid}

    receipt = store().change_receipt(ReceiptKind.PAYMENT, imp_uid, issued)
    return envelope(answer(receipt))


@bp.post("/receipts/external/<merchant_uid>")
def issue_external_receipt(merchant_uid: str) -> ResponseReturnValue:
    fields = body()
    pg_provider = external_pg(fields)
    holder = requested_holder(fields, pg_provider)
    amounts = receipt_amounts(fields, requested_amount(fields))
    name = text_field(fields, "name") or refuse_missing("name")

    def issued(_: Payment | None, receipt: dict | None) -> dict:
        if receipt and not receipt["cancelled_at"]:
            raise Refusal(ALREADY_ISSUED, 400)
        return new_receipt(holder, amounts, pg_provider) | {
            "merchant_uid": merchant_uid,
            "name": name,
        }

    receipt = store().change_receipt(ReceiptKind.EXTERNAL, merchant_uid, issued)
    return envelope(answer(receipt))


@bp.delete("/receipts/<id:imp_uid>")
def revoke_receipt(imp_uid: str) -> ResponseReturnValue:
    return envelope(answer(revoke(ReceiptKind.PAYMENT, imp_uid, "revoke", 400)))


@bp.delete("/receipts/external/<merchant_uid>")
def revoke_external_receipt(merchant_uid: str) -> ResponseReturnValue:
    return envelope(answer(revoke(ReceiptKind.EXTERNAL, merchant_uid, "revoke_external", 404)))


def kept(kind: ReceiptKind, key: str, message: str, status: int) -> dict:
    return store().receipt(kind, key) or raise_refusal(message, status)


def answer(receipt: dict) -> dict:
    """ReceiptAnnotation (with imp_uid) or ExternalReceiptAnnotation (with merchant_uid)."""
    owner = {name: receipt[name] for name in ("imp_uid", "merchant_uid") if name in receipt}
    return owner | {name: receipt[name] for name in ANSWERED + ANSWERED_TIMES}


def receivable(payment: Payment | None, receipt: dict | None) -> Payment:
    """The payment, if it can take a receipt now; Refusal otherwise."""
    if payment is None:
        raise Refusal(PAYMENT_NOT_FOUND, 404)
    if payment["pg_provider"] not in SUPPORTED_PGS["issue"]:
        raise Refusal(UNSUPPORTED_PG.format(pg=payment["pg_provider"]), 501)
    if payment["pay_method"] not in CASH_METHODS:
        raise Refusal(NOT_CASH.format(m=payment["pay_method"]), 400)
    if not is_cancellable(payment):
        raise Refusal(NOT_PAID.format(state=payment["status"]), 400)
    if receipt and not receipt["cancelled_at"]:
        raise Refusal(ALREADY_ISSUED, 400)
    return payment


def new_receipt(holder: dict, amounts: dict[str, int], pg_provider: str) -> dict:
    """A receipt in force from now, with what it was issued to (kept for the console)."""
    receipt_tid = new_pg_tid()
    return {
        "receipt_tid": receipt_tid,
        "apply_num": random_digits(9),
        "type": holder["type"],
        **amounts,
        "receipt_url": url_for("window.cash_receipt", receipt_tid=receipt_tid, _external=True),
        "applied_at": store().now(),
        "cancelled_at": 0,
        "pg_provider": pg_provider,
        "issued_to": holder,
    }


def revoke(kind: ReceiptKind, key: str, operation: str, missing_status: int) -> dict:
    """Cancel a receipt in force; a payment's cash_receipt_issued turns false with it."""

    def revoked(_: Payment | None, receipt: dict | None) -> dict:
        if receipt is None:
            raise Refusal(NEVER_ISSUED, missing_status)
        if receipt["pg_provider"] not in SUPPORTED_PGS[operation]:
            raise Refusal(UNSUPPORTED_PG.format(pg=receipt["pg_provider"]), 501)
        if receipt["cancelled_at"]:
            raise Refusal(ALREADY_CANCELLED, 400)
        return receipt | {"cancelled_at": store().now()}

    return store().change_receipt(kind, key, revoked)


def external_pg(fields: Mapping[str, object]) -> str:
    """The PG `pg` names, or the default one when it names none that issues receipts."""
    pg_provider = pg_provider_and_id(fields)[0]
    return pg_provider if pg_provider in SUPPORTED_PGS["issue_external"] else DEFAULT_PG


def requested_amount(fields: Mapping[str, object]) -> int:
    amount = whole_amount(fields, "amount")
    if amount is None:
        refuse_missing("amount")
    if not amount:
        raise Refusal(NOT_POSITIVE, 400)
    return amount


def refuse_missing(name: str) -> NoReturn:
    raise Refusal(MISSING_FIELD.format(name=name), 400)


def raise_refusal(message: str, status: int) -> NoReturn:
    raise Refusal(message, status)
