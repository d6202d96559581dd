"""The buyer's side of the sandbox: iamport.payment.js, the test payment window and receipts.

The window plays PortOne's part: it checks the request, records the payment as `ready`, lets
the tester approve, decline or close it, and sends the result back the way PortOne does, by
postMessage to the shop's page (iframe) or by a 302 to m_redirect_url (redirect). What each
decision does to the payment is the simulated PG's (pg.py). An approval and an issued virtual
account also send their webhook (webhooks.py); a failure sends none. Before either, a request
with confirm_url asks the merchant first (confirm.py).
"""

from datetime import datetime
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from . import pg, security, switchboard, webhooks
from .current import store
from .money import normalize_amount
from .pg import BUYER_FIELDS, KST, text
from .store.documents import is_decided

bp = Blueprint("window", __name__)

# PortOne documents none of these refusals; their codes and texts are the sandbox's. Those of an
# order (F1002, F1003) are in pg.py, as the API's virtual accounts make them too; F0015 (a
# notice_url or confirm_url outside the merchant's site) is in security.py.
UNKNOWN_MERCHANT = ("F0010", "등록되지 않은 가맹점 식별코드입니다.")
MISSING_MERCHANT_UID = ("F0011", "주문번호(merchant_uid)가 누락되었습니다.")
INVALID_AMOUNT = ("F0012", "결제금액(amount)은 0보다 큰 숫자여야 합니다(원화는 정수).")
INVALID_REDIRECT_URL = ("F0013", "m_redirect_url은 http(s)로 시작하는 절대 URL이어야 합니다.")
INVALID_VBANK_DUE = ("F0014", "가상계좌 입금기한(vbank_due) 형식이 올바르지 않습니다.")

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
        "notice_url": pg.notice_url(params.get("notice_url")),
        "vbank_due": text(params.get("vbank_due")),
        "confirm_url": text(params.get("confirm_url")),
    }
    refusal = malformed_request(params, checkout) or pg.order_refusal(params)
    if refusal:
        return deliver(refusal_rsp(params, *refusal), checkout)
    if switchboard.take(store(), "window_fails_to_open"):
        return pg_failure(params, checkout)
    payment = store().insert_payment(checkout=checkout, **requested_payment(params))
    return redirect(url_for(".show", imp_uid=payment["imp_uid"]), 303)


@bp.get("/window/<imp_uid>")
def show(imp_uid):
    payment, checkout = load(imp_uid)
    if is_decided(payment, checkout):
        return deliver(result_rsp(payment, checkout), checkout)
    return render_template("sandbox/window.html", payment=payment, declines=pg.DECLINES)


@bp.post("/window/<imp_uid>/<outcome>")
def decide(imp_uid, outcome):
    if outcome not in pg.OUTCOMES:
        abort(404)
    payment, checkout = load(imp_uid)
    if not is_decided(payment, checkout):
        if not pg.fits_pay_method(outcome, payment["pay_method"]):
            abort(400)
        changes, error_code = pg.OUTCOMES[outcome](payment, checkout, request.form)
        payment, checkout = store().settle(imp_uid, outcome, changes, error_code)
        # settle keeps only the first decision; this one was kept if its fresh pg_tid is stored.
        if payment["status"] != "failed" and payment["pg_tid"] == changes.get("pg_tid"):
            webhooks.notify(payment, payment["status"])
    return deliver(result_rsp(payment, checkout), checkout)


def load(imp_uid: str) -> tuple[dict, dict]:
    return store().payment_and_checkout(imp_uid) or abort(404)


def requested_params() -> dict:
    """The request_pay() parameters, which the script posts as one JSON field."""
    try:
        params = security.loads(request.form.get("params") or "{}")
    except ValueError:
        return {}
    return params if isinstance(params, dict) else {}


def is_web_url(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def malformed_request(params: dict, checkout: dict) -> tuple[str, str] | None:
    amount = normalize_amount(params.get("amount"))
    if request.form.get("merchant_code") != current_app.config["SANDBOX_MERCHANT_CODE"]:
        return UNKNOWN_MERCHANT
    if not params.get("merchant_uid"):
        return MISSING_MERCHANT_UID
    if amount is None or (pg.requested_currency(params) == "KRW" and not isinstance(amount, int)):
        return INVALID_AMOUNT
    if checkout["mode"] == "redirect" and not is_web_url(checkout["m_redirect_url"]):
        return INVALID_REDIRECT_URL
    if checkout["vbank_due"] and pg.parse_vbank_due(checkout["vbank_due"]) is None:
        return INVALID_VBANK_DUE
    return security.foreign_url_refusal(checkout["notice_url"], checkout["confirm_url"])


def requested_payment(params: dict) -> dict:
    """The payment's fields from the parameters and the browser that posted them."""
    return pg.payment_fields(params, request.form.get("channel"), request.user_agent.string)


def pg_failure(params: dict, checkout: dict):
    """The switched-on PG error: no window, and the attempt is kept as a failed payment.

    A guess: by the time a PG refuses, PortOne has already numbered the attempt, so the browser
    gets an imp_uid and the payment is `failed`. As for every failure, no webhook.
    """
    failure, code = pg.misconfigured()
    checkout |= {"outcome": "pg_error", "error_code": code}
    payment = store().insert_payment(checkout=checkout, **requested_payment(params), **failure)
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
