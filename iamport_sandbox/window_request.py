"""What the payment window reads from the SDK's POST: request_pay()'s parameters, how the window
was opened (the checkout), and the refusals PortOne makes before it opens a window at all.
"""

from urllib.parse import urlsplit

from flask import current_app, request

from . import security
from .deadlines import parse_vbank_due
from .installments import merchant_months
from .money import normalize_amount
from .pay_request import notice_url, payment_fields, requested_currency, text
from .webguard import PaymentFields, loads

# PortOne documents none of these refusals; their codes and texts are the sandbox's. Those of an
# order (F1002, F1003) are in pay_request.py, as the API's virtual accounts make them too; F0015
# (a notice_url or confirm_url outside the merchant's site) is in security.py.
UNKNOWN_MERCHANT = ("F0010", "등록되지 않은 가맹점 식별코드입니다.")
MISSING_MERCHANT_UID = ("F0011", "주문번호(merchant_uid)가 누락되었습니다.")
INVALID_AMOUNT = ("F0012", "결제금액(amount)은 0보다 큰 숫자여야 합니다(원화는 정수).")
INVALID_REDIRECT_URL = ("F0013", "m_redirect_url은 http(s)로 시작하는 절대 URL이어야 합니다.")
INVALID_VBANK_DUE = ("F0014", "가상계좌 입금기한(vbank_due) 형식이 올바르지 않습니다.")


def requested_params() -> dict:
    """The request_pay() parameters, which the script posts as one JSON field."""
    try:
        params = loads(request.form.get("params") or "{}")
    except ValueError:
        return {}
    return params if isinstance(params, dict) else {}


def requested_checkout(params: dict) -> dict:
    """How the window was opened, and where its results and webhooks go."""
    return {
        "mode": "redirect" if request.form.get("mode") == "redirect" else "iframe",
        "origin": request.form.get("origin"),
        "m_redirect_url": text(params.get("m_redirect_url")),
        "notice_url": notice_url(params.get("notice_url")),
        "vbank_due": text(params.get("vbank_due")),
        "confirm_url": text(params.get("confirm_url")),
        "display_card_quota": merchant_months(params.get("display")),
    }


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
    return security.foreign_url_refusal(checkout["notice_url"], checkout["confirm_url"])


def requested_payment(params: dict) -> PaymentFields:
    """The payment's fields from the parameters and the browser that posted them."""
    return payment_fields(params, request.form.get("channel"), request.user_agent.string)
