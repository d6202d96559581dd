"""What the shop and the sandbox both guard at their edge, and the payment they talk about: one
copy for both apps, so this module imports nothing of either (only the standard library and
Flask), and the shop imports it without loading the sandbox app.

JSON from a client is read strictly: lone surrogates (which no database can store), NUL (which
PostgreSQL refuses in text), nesting deeper than MAX_JSON_DEPTH (which overflows the parser's
stack), NaN and Infinity are a ValueError, so a hostile body is a malformed one, never a 500.
`csp_nonce()` is the request's nonce for inline scripts; `origin()` is what CSP sources and
origin checks compare. `Payment` is PortOne V1's payment (its spec's PaymentAnnotation) as the
sandbox stores and returns it.
"""

import json
import math
import secrets
from typing import Any, Literal, NoReturn, TypedDict
from urllib.parse import urlsplit

from flask import g
from flask.json.provider import DefaultJSONProvider

# No body PortOne, the pay page or a merchant sends is nested more than two levels.
MAX_JSON_DEPTH = 32


def loads(text: str | bytes, **options: Any) -> object:
    """json.loads for what a client sends: ValueError for anything but plain JSON."""
    try:
        value = json.loads(text, parse_constant=refuse_constant, parse_float=finite, **options)
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error
    check_json(value)
    return value


def refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is out of range")
    return number


def check_json(value: object) -> None:
    """ValueError for nesting deeper than MAX_JSON_DEPTH or text no database can store."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ValueError("JSON nested too deeply")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def check_text(text: str) -> None:
    """ValueError for NUL or a lone surrogate (a UnicodeEncodeError is a ValueError)."""
    text.encode("utf-8")
    if "\x00" in text:
        raise ValueError("NUL in text")


class StrictJSONProvider(DefaultJSONProvider):
    """Anything but plain JSON is a ValueError, which request.get_json turns into a 400 (and
    get_json(silent=True) into None), as for any malformed body."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)


def csp_nonce() -> str:
    """This request's nonce: `<script nonce="{{ csp_nonce() }}">` for an inline script."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def origin(url: str) -> str:
    """The URL's scheme and host (with its port), lowercased: both compare without case."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


# PortOne V1's payment. Its spec types every field but says nothing of null; these are the
# fields the sandbox keeps, null where PortOne answers null until the field applies.

PaymentStatus = Literal["ready", "paid", "cancelled", "failed"]
# pc and mobile: a payment window on that kind of device; api: no window (POST /vbanks).
Channel = Literal["pc", "mobile", "api"]


class Cancellation(TypedDict):
    """One entry of cancel_history (PaymentCancelAnnotation)."""

    pg_tid: str
    amount: int | float
    cancelled_at: int
    reason: str
    receipt_url: str | None
    cancellation_id: str


class Payment(TypedDict):
    """A payment as GET /payments/{imp_uid} answers it; times are UNIX seconds, 0 for never."""

    imp_uid: str
    merchant_uid: str
    pay_method: str
    channel: Channel
    pg_provider: str
    emb_pg_provider: str | None
    pg_tid: str | None
    pg_id: str | None
    escrow: bool
    apply_num: str | None
    bank_code: str | None
    bank_name: str | None
    card_code: str | None
    card_name: str | None
    card_issuer_code: str | None
    card_issuer_name: str | None
    card_publisher_code: str | None
    card_publisher_name: str | None
    card_quota: int
    card_number: str | None
    card_type: int | None
    vbank_code: str | None
    vbank_name: str | None
    vbank_num: str | None
    vbank_holder: str | None
    vbank_date: int
    vbank_issued_at: int
    name: str | None
    amount: int | float
    cancel_amount: int | float
    currency: str
    buyer_name: str | None
    buyer_email: str | None
    buyer_tel: str | None
    buyer_addr: str | None
    buyer_postcode: str | None
    custom_data: str | None  # the merchant's custom_data as JSON text
    user_agent: str | None
    status: PaymentStatus
    started_at: int
    paid_at: int
    failed_at: int
    cancelled_at: int
    fail_reason: str | None
    cancel_reason: str | None
    receipt_url: str | None
    cancel_history: list[Cancellation]
    cancel_receipt_urls: list[str]
    deposit_history: list[object]  # outside the V1 spec; the sandbox always answers []
    cash_receipt_issued: bool
    customer_uid: str | None
    customer_uid_usage: str | None
    sandbox: bool  # the sandbox's own mark: no real money moved


class PaymentFields(TypedDict, total=False):
    """Some of a payment's fields, as a new payment gets them or a change sets them; the same
    names and types as Payment's (mypy checks that when they are merged into one)."""

    imp_uid: str
    merchant_uid: str
    pay_method: str
    channel: Channel
    pg_provider: str
    emb_pg_provider: str | None
    pg_tid: str | None
    pg_id: str | None
    escrow: bool
    apply_num: str | None
    bank_code: str | None
    bank_name: str | None
    card_code: str | None
    card_name: str | None
    card_issuer_code: str | None
    card_issuer_name: str | None
    card_publisher_code: str | None
    card_publisher_name: str | None
    card_quota: int
    card_number: str | None
    card_type: int | None
    vbank_code: str | None
    vbank_name: str | None
    vbank_num: str | None
    vbank_holder: str | None
    vbank_date: int
    vbank_issued_at: int
    name: str | None
    amount: int | float
    cancel_amount: int | float
    currency: str
    buyer_name: str | None
    buyer_email: str | None
    buyer_tel: str | None
    buyer_addr: str | None
    buyer_postcode: str | None
    custom_data: str | None
    user_agent: str | None
    status: PaymentStatus
    started_at: int
    paid_at: int
    failed_at: int
    cancelled_at: int
    fail_reason: str | None
    cancel_reason: str | None
    receipt_url: str | None
    cancel_history: list[Cancellation]
    cancel_receipt_urls: list[str]
    deposit_history: list[object]
    cash_receipt_issued: bool
    customer_uid: str | None
    customer_uid_usage: str | None
    sandbox: bool
