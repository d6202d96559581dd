"""What a request_pay() call becomes as a payment, and the order checks PortOne makes before any
PG is asked (an order already paid, an amount that differs from the prepared one). The window
(window_request.py) reads a request with these; POST /vbanks (vbanks.py) makes the same checks.
"""

import json
from collections.abc import Mapping
from typing import Literal, get_args

from .current import store
from .money import normalize_amount
from .webguard import PaymentFields

DEFAULT_PG = "html5_inicis"
BuyerField = Literal["buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode"]
BUYER_FIELDS: tuple[BuyerField, ...] = get_args(BuyerField)
EASY_PAY_METHODS = {"kakaopay", "naverpay", "payco", "tosspay", "samsungpay", "ssgpay", "lpay"}

# PortOne documents F1002; F1003's code and text are the sandbox's.
ALREADY_PAID = ("F1002", "이미 결제가 이루어진 거래건입니다.")
PREPARED_MISMATCH = ("F1003", "사전등록된 결제정보와 결제요청 금액 또는 통화가 일치하지 않습니다.")


def text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def notice_url(value: object) -> str | list[str] | None:
    """One webhook URL, or a list of them as the old SDK allowed."""
    if isinstance(value, list):
        return [str(url) for url in value if url] or None
    return text(value)


def pg_provider_and_id(params: Mapping[str, object]) -> tuple[str, str | None]:
    """`pg` is `{provider}` or `{provider}.{MID}`."""
    provider, _, pg_id = str(params.get("pg") or DEFAULT_PG).partition(".")
    return provider, pg_id or None


def requested_currency(params: Mapping[str, object]) -> str:
    """KRW unless given; PayPal takes no KRW, so it defaults to USD."""
    paypal = pg_provider_and_id(params)[0].startswith("paypal")
    return text(params.get("currency")) or ("USD" if paypal else "KRW")


def checked_amount(params: Mapping[str, object]) -> int | float:
    """The amount of a request already checked to name a usable one (malformed_request)."""
    amount = normalize_amount(params["amount"])
    if amount is None:
        raise ValueError(f"not a usable amount: {params['amount']!r}")
    return amount


def order_refusal(params: Mapping[str, object]) -> tuple[str, str] | None:
    """PortOne refuses to open a window for a paid order or one prepared with another amount."""
    merchant_uid = str(params["merchant_uid"])
    if store().find_payment(merchant_uid, "paid"):
        return ALREADY_PAID
    prepared = store().prepared(merchant_uid)
    if prepared and not matches_prepared(prepared, params):
        return PREPARED_MISMATCH
    return None


def matches_prepared(prepared: dict, params: Mapping[str, object]) -> bool:
    """A registration without a currency checks the amount only."""
    same_amount = prepared["amount"] == normalize_amount(params["amount"])
    return same_amount and prepared["currency"] in (None, requested_currency(params))


def payment_fields(
    params: Mapping[str, object], channel: str | None, user_agent: str | None
) -> PaymentFields:
    """The payment's fields from request_pay()'s parameters and the browser that sent them."""
    pg_provider, pg_id = pg_provider_and_id(params)
    paypal = pg_provider.startswith("paypal")
    pay_method = text(params.get("pay_method")) or ("paypal" if paypal else "card")
    custom_data = params.get("custom_data")
    return {
        "merchant_uid": str(params["merchant_uid"]),
        "name": text(params.get("name")),
        "amount": checked_amount(params),
        "currency": requested_currency(params),
        "pay_method": pay_method,
        "pg_provider": pg_provider,
        "pg_id": pg_id,
        "emb_pg_provider": (
            pay_method if pay_method in EASY_PAY_METHODS and pay_method != pg_provider else None
        ),
        "channel": "mobile" if channel == "mobile" else "pc",
        "escrow": params.get("escrow") is True,
        **buyer_fields(params),
        "custom_data": None if custom_data is None else json.dumps(custom_data, ensure_ascii=False),
        "user_agent": user_agent or None,
    }


def buyer_fields(fields: Mapping[str, object]) -> PaymentFields:
    """The buyer's fields as text, None for each one the request leaves out or empty."""
    buyer: PaymentFields = {}
    for field in BUYER_FIELDS:
        buyer[field] = text(fields.get(field))
    return buyer
