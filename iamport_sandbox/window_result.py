"""What the payment window hands back, the way PortOne does: the object request_pay() gives the
shop's callback, by postMessage to the shop's page (iframe) or as a query on m_redirect_url
(redirect).
"""

from collections.abc import Mapping
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from flask import redirect, render_template
from flask.typing import ResponseReturnValue

from .pay_request import BUYER_FIELDS, text
from .webguard import Payment
from .window_request import is_web_url

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


def refusal_rsp(params: dict, code: str, message: str) -> dict:
    """What the callback gets when no window was opened: there is no payment, so no imp_uid."""
    return {
        "success": False,
        "imp_uid": None,
        "merchant_uid": text(params.get("merchant_uid")),
        "error_code": code,
        "error_msg": message,
    }


def result_rsp(payment: Payment, checkout: dict) -> dict:
    """The object request_pay() hands to the shop's callback."""
    failed = payment["status"] == "failed"
    return picked(payment, RSP_FIELDS) | {
        "success": payment["status"] in ("paid", "ready"),
        "paid_amount": payment["amount"],
        "pg_type": "payment",
        "error_code": checkout["error_code"] if failed else None,
        "error_msg": payment["fail_reason"] if failed else None,
    }


def picked(fields: Mapping[str, object], names: tuple[str, ...]) -> dict[str, object]:
    return {name: fields[name] for name in names}


def deliver(rsp: dict, checkout: dict) -> ResponseReturnValue:
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
