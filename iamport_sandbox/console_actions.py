"""What the console does by hand to one payment, as a PG's console does: deposit into a virtual
account, expire or revoke it, cancel all or part, resend the webhook; and the rules that say
when each makes sense. A refusal says why, in Korean (Refused), and changes nothing.
"""

from flask import abort, request, url_for

from . import webhooks
from .current import store
from .labels import payment_status
from .money import normalize_amount
from .store import CancelRefused, VbankRevokeRefused
from .store.cancels import REFUND_FIELDS, is_revoked
from .webguard import Payment, PaymentFields

CONSOLE_CANCEL_REASON = "관리자 콘솔 취소"


class Refused(Exception):
    """An action that makes no sense for this payment; the message says why, in Korean."""


def account_problem(payment: Payment, now: int) -> str | None:
    """Why a virtual account cannot take a deposit (or be expired) now; None when it can."""
    if payment["pay_method"] != "vbank" or not payment["vbank_num"]:
        return "가상계좌가 발급된 결제건이 아닙니다."
    if is_revoked(payment):
        return "발급취소된 가상계좌입니다. 이 계좌로는 입금할 수 없습니다."
    if payment["status"] != "ready":
        return f"입금을 기다리는 가상계좌가 아닙니다(현재 {payment_status(payment)})."
    if now >= payment["vbank_date"]:
        return "입금기한이 이미 지난 가상계좌입니다."
    return None


def deposit_into(imp_uid: str) -> None:
    """The buyer pays the issued account in full: `ready` → `paid`, and the paid webhook."""
    now = store().now()
    receipt_url = url_for("window.slip", imp_uid=imp_uid, _external=True)

    def deposited(payment: Payment, checkout: dict) -> PaymentFields:
        refuse_unless_open(payment, now)
        return {"status": "paid", "paid_at": now, "receipt_url": receipt_url}

    webhooks.notify(store().update_payment(imp_uid, deposited) or abort(404), "paid")


def expire_account(imp_uid: str) -> None:
    """Bring the deadline to now. What PortOne does at the deadline is not documented; the
    guess here: the account stops taking deposits, the payment stays `ready` with its
    vbank_date in the past, and no webhook goes out."""
    now = store().now()

    def expired(payment: Payment, checkout: dict) -> PaymentFields:
        refuse_unless_open(payment, now)
        return {"vbank_date": now}

    store().update_payment(imp_uid, expired)


def refuse_unless_open(payment: Payment, now: int) -> None:
    problem = account_problem(payment, now)
    if problem:
        raise Refused(problem)


def revoke_account(imp_uid: str) -> None:
    """The console's 발급 취소, the same revoke as DELETE /vbanks/{imp_uid}: no webhook."""
    try:
        store().revoke_vbank(imp_uid)
    except VbankRevokeRefused as refusal:
        raise Refused(refusal.message) from None


def cancel_as_console(imp_uid: str) -> None:
    """A cancel from the PG console: all that is left, or the amount typed; the console always
    sends the cancelled webhook."""
    amount = requested_amount(request.form.get("amount", ""))
    reason = request.form.get("reason", "").strip() or CONSOLE_CANCEL_REASON
    refund = {field: request.form.get(field, "").strip() for field in REFUND_FIELDS}
    try:
        payment, cancellation_id = store().cancel(
            imp_uid, amount=amount, reason=reason, refund=refund
        )
    except CancelRefused as refusal:
        raise Refused(refusal.message) from None
    webhooks.notify(payment, "cancelled", cancellation_id)


def requested_amount(raw: str) -> int | float | None:
    """None (cancel all that is left) for an empty field, else a positive number."""
    raw = raw.replace(",", "").replace("원", "").strip()
    if not raw:
        return None
    try:
        amount = normalize_amount(float(raw))
    except ValueError:
        amount = None
    if amount is None:
        raise Refused(
            "취소 금액은 0보다 큰 숫자로 입력하세요. 비워 두면 남은 금액 전부를 취소합니다."
        )
    return amount


def resend_webhook(imp_uid: str) -> None:
    payment = store().get_payment(imp_uid) or abort(404)
    if payment["status"] == "failed":
        raise Refused("결제실패 건에는 웹훅을 보내지 않습니다. PortOne은 실패를 알리지 않습니다.")
    if payment["status"] == "ready" and not payment["vbank_num"]:
        raise Refused("결제창에서 아직 결정되지 않은 결제건이라 보낼 웹훅이 없습니다.")
    if is_revoked(payment):
        raise Refused("가상계좌 발급취소에는 웹훅을 보내지 않습니다(샌드박스의 추정).")
    webhooks.resend(payment)
