"""The buyer's side of the sandbox: iamport.payment.js, the test payment window and receipts.

The window plays both PortOne and the PG: it checks the request, records the payment as `ready`,
lets the tester approve, decline or close it, and sends the result back the way PortOne does,
by postMessage to the shop's page (iframe) or by a 302 to m_redirect_url (redirect). An approval
and an issued virtual account also send their webhook (webhooks.py); a failure sends none.
Before either, a request with confirm_url asks the merchant first (confirm.py).
"""

import json
import threading
from datetime import datetime, timedelta, timezone
from typing import NamedTuple
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, url_for

from . import confirm, switchboard, webhooks
from .store import SandboxStore, is_decided, normalize_amount, random_digits

bp = Blueprint("window", __name__)

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

# Of these refusals PortOne documents only F1002; the other codes and texts are the sandbox's.
UNKNOWN_MERCHANT = ("F0010", "등록되지 않은 가맹점 식별코드입니다.")
MISSING_MERCHANT_UID = ("F0011", "주문번호(merchant_uid)가 누락되었습니다.")
INVALID_AMOUNT = ("F0012", "결제금액(amount)은 0보다 큰 숫자여야 합니다(원화는 정수).")
INVALID_REDIRECT_URL = ("F0013", "m_redirect_url은 http(s)로 시작하는 절대 URL이어야 합니다.")
INVALID_VBANK_DUE = ("F0014", "가상계좌 입금기한(vbank_due) 형식이 올바르지 않습니다.")
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

PAY_METHOD_LABELS = {
    "card": "신용카드",
    "trans": "실시간 계좌이체",
    "vbank": "가상계좌",
    "phone": "휴대폰 소액결제",
    "kakaopay": "카카오페이",
    "naverpay": "네이버페이",
    "payco": "페이코",
    "tosspay": "토스페이",
    "samsungpay": "삼성페이",
    "ssgpay": "SSG페이",
    "lpay": "L페이",
    "applepay": "애플페이",
    "paypal": "PayPal",
}
STATUS_LABELS = {
    "ready": "미결제",
    "paid": "결제완료",
    "cancelled": "결제취소",
    "failed": "결제실패",
}

RSP_FIELDS = (
    "imp_uid",
    "merchant_uid",
    "pay_method",
    "status",
    "name",
    "pg_provider",
    "emb_pg_provider",
    "pg_tid",
    *BUYER_FIELDS,
    "custom_data",
    "paid_at",
    "receipt_url",
    "currency",
    "card_name",
    "card_number",
    "card_quota",
    "bank_name",
    "apply_num",
    "vbank_num",
    "vbank_name",
    "vbank_holder",
    "vbank_date",
)


def store() -> SandboxStore:
    return current_app.extensions["sandbox"]


@bp.app_context_processor
def merchant():
    return {"merchant_name": current_app.config["SANDBOX_MERCHANT_NAME"]}


@bp.app_template_filter("money")
def format_money(amount: float, currency: str = "KRW") -> str:
    return f"{amount:,}원" if currency == "KRW" else f"{amount:,} {currency}"


@bp.app_template_filter("kst")
def format_kst(timestamp: int) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, KST).strftime("%Y-%m-%d %H:%M:%S")


@bp.app_template_filter("pay_method_label")
def pay_method_label(pay_method: str) -> str:
    return PAY_METHOD_LABELS.get(pay_method, pay_method)


@bp.app_template_filter("status_label")
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@bp.get("/iamport.payment.js")
def script():
    return current_app.send_static_file("sandbox/iamport.payment.js")


@bp.get("/receipts/<imp_uid>")
def receipt(imp_uid):
    payment = store().get_payment(imp_uid) or abort(404)
    return render_template("sandbox/receipt.html", payment=payment)


@bp.post("/window")
def open_window():
    params = requested_params()
    checkout = {
        "mode": "redirect" if request.form.get("mode") == "redirect" else "iframe",
        "origin": request.form.get("origin"),
        "m_redirect_url": text(params.get("m_redirect_url")),
        "notice_url": notice_url(params.get("notice_url")),
        "vbank_due": text(params.get("vbank_due")),
        "confirm_url": text(params.get("confirm_url")),
    }
    refusal = malformed_request(params, checkout) or order_refusal(params)
    if refusal:
        return deliver(refusal_rsp(params, *refusal), checkout)
    if switchboard.take(store(), "window_fails_to_open"):
        return pg_failure(params, checkout)
    payment = store().insert_payment(checkout=checkout, **payment_fields(params))
    return redirect(url_for(".show", imp_uid=payment["imp_uid"]), 303)


@bp.get("/window/<imp_uid>")
def show(imp_uid):
    payment, checkout = load(imp_uid)
    if is_decided(payment, checkout):
        return deliver(result_rsp(payment, checkout), checkout)
    return render_template("sandbox/window.html", payment=payment, declines=DECLINES)


@bp.post("/window/<imp_uid>/<outcome>")
def decide(imp_uid, outcome):
    if outcome not in OUTCOMES:
        abort(404)
    payment, checkout = load(imp_uid)
    if not is_decided(payment, checkout):
        if not fits_pay_method(outcome, payment["pay_method"]):
            abort(400)
        changes, error_code = OUTCOMES[outcome](payment, checkout)
        payment, checkout = store().settle(imp_uid, outcome, changes, error_code)
        # settle keeps only the first decision; this one was kept if its fresh pg_tid is stored.
        if payment["status"] != "failed" and payment["pg_tid"] == changes.get("pg_tid"):
            webhooks.notify(payment, payment["status"])
    return deliver(result_rsp(payment, checkout), checkout)


def load(imp_uid: str) -> tuple[dict, dict]:
    return store().payment_and_checkout(imp_uid) or abort(404)


def text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def notice_url(value: object) -> str | list[str] | None:
    """One webhook URL, or a list of them as the old SDK allowed."""
    if isinstance(value, list):
        return [str(url) for url in value if url] or None
    return text(value)


def requested_params() -> dict:
    """The request_pay() parameters, which the script posts as one JSON field."""
    try:
        params = json.loads(request.form.get("params") or "{}")
    except json.JSONDecodeError:
        return {}
    return params if isinstance(params, dict) else {}


def pg_provider_and_id(params: dict) -> tuple[str, str | None]:
    """`pg` is `{provider}` or `{provider}.{MID}`."""
    provider, _, pg_id = str(params.get("pg") or DEFAULT_PG).partition(".")
    return provider, pg_id or None


def requested_currency(params: dict) -> str:
    """KRW unless given; PayPal takes no KRW, so it defaults to USD."""
    paypal = pg_provider_and_id(params)[0].startswith("paypal")
    return text(params.get("currency")) or ("USD" if paypal else "KRW")


def is_web_url(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def malformed_request(params: dict, checkout: dict) -> tuple[str, str] | None:
    amount = normalize_amount(params.get("amount"))
    if request.form.get("merchant_code") != current_app.config["SANDBOX_MERCHANT_CODE"]:
        return UNKNOWN_MERCHANT
    if not params.get("merchant_uid"):
        return MISSING_MERCHANT_UID
    if amount is None or (requested_currency(params) == "KRW" and not isinstance(amount, int)):
        return INVALID_AMOUNT
    if checkout["mode"] == "redirect" and not is_web_url(checkout["m_redirect_url"]):
        return INVALID_REDIRECT_URL
    if checkout["vbank_due"] and parse_vbank_due(checkout["vbank_due"]) is None:
        return INVALID_VBANK_DUE
    return None


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


def payment_fields(params: dict) -> dict:
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
        "channel": "mobile" if request.form.get("channel") == "mobile" else "pc",
        "escrow": params.get("escrow") is True,
        **{field: text(params.get(field)) for field in BUYER_FIELDS},
        "custom_data": None if custom_data is None else json.dumps(custom_data, ensure_ascii=False),
        "user_agent": request.user_agent.string or None,
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


def new_pg_tid() -> str:
    return f"sandbox{random_digits(16)}"


def approve(payment: dict, checkout: dict) -> tuple[dict, str | None]:
    refused = confirm.refusal(payment, checkout)  # before the PG is asked, and its switches
    if refused:
        return refused
    changes = {
        "status": "paid",
        "paid_at": store().now(),
        "pg_tid": new_pg_tid(),
        "receipt_url": url_for(".receipt", imp_uid=payment["imp_uid"], _external=True),
    }
    if payment["pay_method"] == "card":
        changes |= TEST_CARD
        changes |= {"apply_num": random_digits(8), "card_number": f"536181******{random_digits(4)}"}
    elif payment["pay_method"] == "trans":
        changes |= TEST_BANK
    reported_amount = switchboard.take(store(), "window_reported_amount")
    if reported_amount:
        changes["amount"] = reported_amount
    late = switchboard.take(store(), "window_late_approval_seconds")
    if late:
        approve_later(payment["imp_uid"], changes, late)
        code, message = APPROVAL_PENDING
        failure = {"status": "failed", "failed_at": changes["paid_at"], "pg_tid": changes["pg_tid"]}
        return failure | {"fail_reason": f"[{code}] {message}"}, code
    return changes, None


def approve_later(imp_uid: str, approval: dict, seconds: int) -> None:
    app = current_app._get_current_object()
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


def decline(payment: dict, checkout: dict) -> tuple[dict, str | None]:
    reason = DECLINES.get(request.form.get("reason", "")) or abort(400)
    changes = {
        "status": "failed",
        "failed_at": store().now(),
        "fail_reason": f"[{reason.code}] {reason.message}",
    }
    return changes, reason.code


def issue_vbank(payment: dict, checkout: dict) -> tuple[dict, str | None]:
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


def close(payment: dict, checkout: dict) -> tuple[dict, str | None]:
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


def pg_failure(params: dict, checkout: dict):
    """The switched-on PG error: no window, and the attempt is kept as a failed payment.

    A guess: by the time a PG refuses, PortOne has already numbered the attempt, so the browser
    gets an imp_uid and the payment is `failed`. As for every failure, no webhook.
    """
    code, message = PG_MISCONFIGURED
    checkout |= {"outcome": "pg_error", "error_code": code}
    payment = store().insert_payment(
        checkout=checkout,
        **payment_fields(params),
        status="failed",
        failed_at=store().now(),
        fail_reason=f"[{code}] {message}",
    )
    return deliver(result_rsp(payment, checkout), checkout)


def refusal_rsp(params: dict, code: str, message: str) -> dict:
    """What the callback gets when no window was opened: there is no payment, so no imp_uid."""
    return {
        "success": False,
        "imp_uid": None,
        "merchant_uid": text(params.get("merchant_uid")),
        "error_code": code,
        "error_msg": message,
    }


def result_rsp(payment: dict, checkout: dict) -> dict:
    """The object request_pay() hands to the shop's callback."""
    failed = payment["status"] == "failed"
    return {field: payment[field] for field in RSP_FIELDS} | {
        "success": payment["status"] in ("paid", "ready"),
        "paid_amount": payment["amount"],
        "pg_type": "payment",
        "error_code": checkout["error_code"] if failed else None,
        "error_msg": payment["fail_reason"] if failed else None,
    }


def deliver(rsp: dict, checkout: dict):
    """Send the result the way the window was opened: postMessage, redirect, or a plain page."""
    if checkout["mode"] == "redirect" and is_web_url(checkout["m_redirect_url"]):
        return redirect(result_url(checkout["m_redirect_url"], rsp), 302)
    origin = checkout["origin"] if checkout["mode"] == "iframe" else None
    return render_template("sandbox/result.html", rsp=rsp, origin=origin)


def result_url(m_redirect_url: str, rsp: dict) -> str:
    """m_redirect_url with PortOne's result query added after any query it already has."""
    result = {
        "imp_uid": rsp["imp_uid"],
        "merchant_uid": rsp["merchant_uid"],
        "imp_success": "true" if rsp["success"] else "false",
        "error_code": rsp["error_code"],
        "error_msg": rsp["error_msg"],
    }
    query = urlencode(
        {key: value for key, value in result.items() if value is not None}, quote_via=quote
    )
    parts = urlsplit(m_redirect_url)
    return urlunsplit(parts._replace(query=f"{parts.query}&{query}" if parts.query else query))
