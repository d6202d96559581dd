"""The simulated PG behind the payment window: what a request_pay() call becomes as a payment,
and what each of the tester's decisions (approve, decline, issue a virtual account, close) does
to it, with the test card and bank data, the virtual account's deadline and the faults of the
switchboard's window group.

It also holds the order checks PortOne makes before any PG is asked (an order already paid, an
amount that differs from the prepared one), since POST /vbanks makes them too (vbanks.py).
The window (window.py) opens, takes the tester's decision and answers the browser; this module
carries the decision out.
"""

import json
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from flask import Flask, abort, current_app, url_for
from flask.globals import app_ctx

from . import confirm, switchboard, webhooks
from .current import store
from .money import normalize_amount
from .store.documents import random_digits

# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is exact.
KST = timezone(timedelta(hours=9), "KST")
VBANK_DUE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d", "%Y%m%d")
VBANK_DAYS = 3

DEFAULT_PG = "html5_inicis"
BUYER_FIELDS = ("buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode")
EASY_PAY_METHODS = {"kakaopay", "naverpay", "payco", "tosspay", "samsungpay", "ssgpay", "lpay"}
TEST_CARD = {"card_code": "366", "card_name": "신한카드", "card_type": 0, "card_quota": 0}
TEST_BANK = {"bank_code": "088", "bank_name": "신한은행"}
TEST_VBANK = {"vbank_code": "088", "vbank_name": "신한은행"}

# PortOne documents F1002; F1003's code and text are the sandbox's.
ALREADY_PAID = ("F1002", "이미 결제가 이루어진 거래건입니다.")
PREPARED_MISMATCH = ("F1003", "사전등록된 결제정보와 결제요청 금액 또는 통화가 일치하지 않습니다.")
# PortOne's text for a closed window; the code is the sandbox's.
WINDOW_CLOSED = ("F1000", "사용자가 결제를 취소하셨습니다")
# Faults the switchboard turns on. PortOne documents neither code nor text: both are guesses.
PG_MISCONFIGURED = (
    "F0020",
    "[PG] 상점아이디(MID) 설정 오류로 결제창을 열 수 없습니다. PG사 계약 정보를 확인해주세요.",
)
APPROVAL_PENDING = ("F1010", "PG사의 승인 확인이 늦어지고 있습니다. 승인되면 결제완료로 바뀝니다.")
# F1011 (the merchant's confirm_url stopped the payment) is in confirm.py: a guess as well.


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


# What a request becomes


def text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def notice_url(value: object) -> str | list[str] | None:
    """One webhook URL, or a list of them as the old SDK allowed."""
    if isinstance(value, list):
        return [str(url) for url in value if url] or None
    return text(value)


def pg_provider_and_id(params: dict) -> tuple[str, str | None]:
    """`pg` is `{provider}` or `{provider}.{MID}`."""
    provider, _, pg_id = str(params.get("pg") or DEFAULT_PG).partition(".")
    return provider, pg_id or None


def requested_currency(params: dict) -> str:
    """KRW unless given; PayPal takes no KRW, so it defaults to USD."""
    paypal = pg_provider_and_id(params)[0].startswith("paypal")
    return text(params.get("currency")) or ("USD" if paypal else "KRW")


def order_refusal(params: dict) -> tuple[str, str] | None:
    """PortOne refuses to open a window for a paid order or one prepared with another amount."""
    merchant_uid = str(params["merchant_uid"])
    if store().find_payment(merchant_uid, "paid"):
        return ALREADY_PAID
    prepared = store().prepared(merchant_uid)
    if prepared and not matches_prepared(prepared, params):
        return PREPARED_MISMATCH
    return None


def matches_prepared(prepared: dict, params: dict) -> bool:
    """A registration without a currency checks the amount only."""
    same_amount = prepared["amount"] == normalize_amount(params["amount"])
    return same_amount and prepared["currency"] in (None, requested_currency(params))


def payment_fields(params: dict, channel: str | None, user_agent: str | None) -> dict:
    """The payment's fields from request_pay()'s parameters and the browser that sent them."""
    pg_provider, pg_id = pg_provider_and_id(params)
    paypal = pg_provider.startswith("paypal")
    pay_method = text(params.get("pay_method")) or ("paypal" if paypal else "card")
    custom_data = params.get("custom_data")
    return {
        "merchant_uid": str(params["merchant_uid"]),
        "name": text(params.get("name")),
        "amount": normalize_amount(params["amount"]),
        "currency": requested_currency(params),
        "pay_method": pay_method,
        "pg_provider": pg_provider,
        "pg_id": pg_id,
        "emb_pg_provider": (
            pay_method if pay_method in EASY_PAY_METHODS and pay_method != pg_provider else None
        ),
        "channel": "mobile" if channel == "mobile" else "pc",
        "escrow": params.get("escrow") is True,
        **{field: text(params.get(field)) for field in BUYER_FIELDS},
        "custom_data": None if custom_data is None else json.dumps(custom_data, ensure_ascii=False),
        "user_agent": user_agent or None,
    }


def parse_vbank_due(vbank_due: str) -> datetime | None:
    """A deadline in one of PortOne's formats, in Korean time; a bare date means its last second."""
    for layout in VBANK_DUE_FORMATS:
        try:
            due = datetime.strptime(vbank_due, layout).replace(tzinfo=KST)
        except ValueError:
            continue
        return due if "%H" in layout else due.replace(hour=23, minute=59, second=59)
    return None


def vbank_deadline(vbank_due: str | None, now: int) -> int:
    due = parse_vbank_due(vbank_due) if vbank_due else None
    if due is None:
        today = datetime.fromtimestamp(now, KST).replace(hour=23, minute=59, second=59)
        due = today + timedelta(days=VBANK_DAYS)
    return int(due.timestamp())


def misconfigured() -> tuple[dict, str]:
    """The switched-on PG error (window_fails_to_open): the failed attempt's fields and code."""
    code, message = PG_MISCONFIGURED
    failure = {"status": "failed", "failed_at": store().now(), "fail_reason": f"[{code}] {message}"}
    return failure, code


# The outcomes: each takes the payment, its checkout and the form the tester sent (only a
# decline reads it, for its reason), and returns the changes to settle with the error code
# (None unless the payment failed).


def new_pg_tid() -> str:
    return f"sandbox{random_digits(16)}"


def approve(payment: dict, checkout: dict, form: Mapping[str, str]) -> tuple[dict, str | None]:
    refused = confirm.refusal(payment, checkout)  # before the PG is asked, and its switches
    if refused:
        return refused
    changes = {
        "status": "paid",
        "paid_at": store().now(),
        "pg_tid": new_pg_tid(),
        "receipt_url": url_for("window.receipt", imp_uid=payment["imp_uid"], _external=True),
    }
    if payment["pay_method"] == "card":
        changes |= TEST_CARD
        changes |= {"apply_num": random_digits(8), "card_number": f"536181******{random_digits(4)}"}
    elif payment["pay_method"] == "trans":
        changes |= TEST_BANK
    reported_amount = switchboard.take(store(), "window_reported_amount")
    if reported_amount:
        changes["amount"] = reported_amount
    late = switchboard.number(switchboard.take(store(), "window_late_approval_seconds"))
    if late:
        approve_later(payment["imp_uid"], changes, late)
        code, message = APPROVAL_PENDING
        failure = {"status": "failed", "failed_at": changes["paid_at"], "pg_tid": changes["pg_tid"]}
        return failure | {"fail_reason": f"[{code}] {message}"}, code
    return changes, None


def approve_later(imp_uid: str, approval: dict, seconds: int) -> None:
    app = app_ctx.app  # the app itself, not the proxy: the timer runs outside this context
    timer = threading.Timer(seconds, late_approval, (app, imp_uid, approval))
    timer.name, timer.daemon = f"sandbox-late-approval-{imp_uid}", True
    timer.start()


def late_approval(app: Flask, imp_uid: str, approval: dict) -> None:
    """The PG approves after the window reported a failure (PortOne documents this for
    PaymentWall): the payment turns paid and the paid webhook goes out. Keeping failed_at is a
    guess; fail_reason goes back to null, as the spec says it is outside `failed`."""

    def approved(payment: dict, checkout: dict) -> dict | None:
        if payment["status"] != "failed" or payment["pg_tid"] != approval["pg_tid"]:
            return None
        return approval | {"paid_at": store().now(), "fail_reason": None}

    with app.app_context():
        payment = store().update_payment(imp_uid, approved)
        if payment:
            webhooks.notify(payment, "paid")


def decline(payment: dict, checkout: dict, form: Mapping[str, str]) -> tuple[dict, str | None]:
    """The reason the tester picked (DECLINES); 400 for any other."""
    reason = DECLINES.get(form.get("reason", "")) or abort(400)
    changes = {
        "status": "failed",
        "failed_at": store().now(),
        "fail_reason": f"[{reason.code}] {reason.message}",
    }
    return changes, reason.code


def issue_vbank(payment: dict, checkout: dict, form: Mapping[str, str]) -> tuple[dict, str | None]:
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


def close(payment: dict, checkout: dict, form: Mapping[str, str]) -> tuple[dict, str | None]:
    code, message = WINDOW_CLOSED
    return {"status": "failed", "failed_at": store().now(), "fail_reason": message}, code


def fits_pay_method(outcome: str, pay_method: str) -> bool:
    """A virtual account is issued, not approved; every other method is approved, not issued."""
    if outcome == "approve":
        return pay_method != "vbank"
    if outcome == "vbank":
        return pay_method == "vbank"
    return True


OUTCOMES = {"approve": approve, "decline": decline, "vbank": issue_vbank, "close": close}
