"""The simulated PG behind the payment window: what each of the tester's decisions (approve,
decline, issue a virtual account, close) does to a payment, with the test card and bank data
and the faults of the switchboard's window group.

The window (window.py) opens, takes the tester's decision and answers the browser; this module
carries the decision out. What a request becomes as a payment is pay_request.py's.
"""

import threading
from collections.abc import Callable, Mapping
from typing import NamedTuple

from flask import Flask, abort, current_app, url_for
from flask.globals import app_ctx

from . import confirm, installments, switchboard, webhooks
from .current import store
from .deadlines import vbank_deadline
from .store.documents import random_digits
from .webguard import Payment, PaymentFields

TEST_CARD: PaymentFields = {
    "card_code": "366",
    "card_name": "신한카드",
    "card_type": 0,
}
TEST_BANK: PaymentFields = {"bank_code": "088", "bank_name": "신한은행"}
TEST_VBANK: PaymentFields = {"vbank_code": "088", "vbank_name": "신한은행"}

# PortOne's text for a closed window; the code is the sandbox's.
WINDOW_CLOSED = ("F1000", "사용자가 결제를 취소하셨습니다")
# Faults the switchboard turns on. PortOne documents neither code nor text: both are guesses.
PG_MISCONFIGURED = (
    "F0020",
    "[PG] 상점아이디(MID) 설정 오류로 결제창을 열 수 없습니다. PG사 계약 정보를 확인해주세요.",
)
APPROVAL_PENDING = ("F1010", "PG사의 승인 확인이 늦어지고 있습니다. 승인되면 결제완료로 바뀝니다.")
# F1011 (the merchant's confirm_url stopped the payment) is in confirm.py: a guess as well.

# The changes to settle a payment with, and the error code (None unless the payment failed).
Outcome = tuple[PaymentFields, str | None]


class Decline(NamedTuple):
    label: str
    code: str
    message: str


DECLINES = {
    "limit": Decline("한도초과", "F1006", "카드 한도초과"),
    "balance": Decline("잔액부족", "F1007", "잔액부족"),
    "mismatch": Decline("카드정보 불일치", "F1008", "카드정보 불일치"),
    "lost": Decline("분실·도난 카드", "F1009", "분실·도난 카드"),
}


def new_pg_tid() -> str:
    return f"sandbox{random_digits(16)}"


def misconfigured() -> tuple[PaymentFields, str]:
    """The switched-on PG error (window_fails_to_open): the failed attempt's fields and code."""
    code, message = PG_MISCONFIGURED
    failure: PaymentFields = {
        "status": "failed",
        "failed_at": store().now(),
        "fail_reason": f"[{code}] {message}",
    }
    return failure, code


# The outcomes: each takes the payment, its checkout and the form the tester sent (a decline
# reads its reason, an approval the card installment chosen).


def approve(payment: Payment, checkout: dict, form: Mapping[str, str]) -> Outcome:
    card_quota = installments.chosen_quota(payment, checkout, form)
    refused = confirm.refusal(payment, checkout)  # before the PG is asked, and its switches
    if refused:
        return refused
    changes: PaymentFields = {
        "status": "paid",
        "paid_at": store().now(),
        "pg_tid": new_pg_tid(),
        "receipt_url": url_for("window.slip", imp_uid=payment["imp_uid"], _external=True),
        **method_details(payment["pay_method"], card_quota),
    }
    reported_amount = switchboard.number(switchboard.take(store(), "window_reported_amount"))
    if reported_amount:
        changes["amount"] = reported_amount
    late = switchboard.number(switchboard.take(store(), "window_late_approval_seconds"))
    return fail_then_approve(payment["imp_uid"], changes, late) if late else (changes, None)


def method_details(pay_method: str, card_quota: int) -> PaymentFields:
    """What the PG reports of the means of payment: the test card, its installment and approval
    number, or the test bank; nothing for other methods."""
    if pay_method == "card":
        return TEST_CARD | {
            "apply_num": random_digits(8),
            "card_number": f"536181******{random_digits(4)}",
            "card_quota": card_quota,
        }
    return TEST_BANK if pay_method == "trans" else {}


def fail_then_approve(imp_uid: str, approval: PaymentFields, seconds: int) -> Outcome:
    """The window_late_approval_seconds fault: a failure now, the approval `seconds` later."""
    approve_later(imp_uid, approval, seconds)
    code, message = APPROVAL_PENDING
    failure: PaymentFields = {
        "status": "failed",
        "failed_at": approval["paid_at"],
        "pg_tid": approval["pg_tid"],
        "fail_reason": f"[{code}] {message}",
    }
    return failure, code


def approve_later(imp_uid: str, approval: PaymentFields, seconds: int) -> None:
    app = app_ctx.app  # the app itself, not the proxy: the timer runs outside this context
    timer = threading.Timer(seconds, late_approval, (app, imp_uid, approval))
    timer.name, timer.daemon = f"sandbox-late-approval-{imp_uid}", True
    timer.start()


def late_approval(app: Flask, imp_uid: str, approval: PaymentFields) -> None:
    """The PG approves after the window reported a failure (PortOne documents this for
    PaymentWall): the payment turns paid and the paid webhook goes out. Keeping failed_at is a
    guess; fail_reason goes back to null, as the spec says it is outside `failed`."""

    def approved(payment: Payment, checkout: dict) -> PaymentFields | None:
        if payment["status"] != "failed" or payment["pg_tid"] != approval["pg_tid"]:
            return None
        return approval | {"paid_at": store().now(), "fail_reason": None}

    with app.app_context():
        payment = store().update_payment(imp_uid, approved)
        if payment:
            webhooks.notify(payment, "paid")


def decline(payment: Payment, checkout: dict, form: Mapping[str, str]) -> Outcome:
    """The reason the tester picked (DECLINES); 400 for any other."""
    reason = DECLINES.get(form.get("reason", "")) or abort(400)
    changes: PaymentFields = {
        "status": "failed",
        "failed_at": store().now(),
        "fail_reason": f"[{reason.code}] {reason.message}",
    }
    return changes, reason.code


def issue_vbank(payment: Payment, checkout: dict, form: Mapping[str, str]) -> Outcome:
    refused = confirm.refusal(payment, checkout)
    if refused:
        return refused
    now = store().now()
    changes = TEST_VBANK | {
        "pg_tid": new_pg_tid(),
        "vbank_num": f"562{random_digits(11)}",
        "vbank_holder": current_app.config["SANDBOX_MERCHANT_NAME"],
        "vbank_issued_at": now,
        "vbank_date": vbank_deadline(checkout["vbank_due"], now),
    }
    return changes, None


def close(payment: Payment, checkout: dict, form: Mapping[str, str]) -> Outcome:
    code, message = WINDOW_CLOSED
    changes: PaymentFields = {
        "status": "failed",
        "failed_at": store().now(),
        "fail_reason": message,
    }
    return changes, code


def fits_pay_method(outcome: str, pay_method: str) -> bool:
    """A virtual account is issued, not approved; every other method is approved, not issued."""
    if outcome == "approve":
        return pay_method != "vbank"
    if outcome == "vbank":
        return pay_method == "vbank"
    return True


OUTCOMES: dict[str, Callable[[Payment, dict, Mapping[str, str]], Outcome]] = {
    "approve": approve,
    "decline": decline,
    "vbank": issue_vbank,
    "close": close,
}
