"""PortOne V1's virtual-account API, no payment window involved: issue (POST /vbanks), change
amount or deadline (PUT /vbanks/{imp_uid}), revoke (DELETE /vbanks/{imp_uid}) and the
account-holder check (GET /vbanks/holder). The routes join api.py's blueprint, so they share its
token check, envelopes and switchboard.

Status codes follow the responses PortOne's spec declares for each operation: POST /vbanks
declares only 200 and 401, so its refusals go out as HTTP 200 with code 1, as the cancel's do;
PUT and DELETE declare 400 and 404, GET /vbanks/holder 400 and 404. Every text is a guess.
"""

import json
from collections.abc import Mapping
from typing import Final

from flask import request
from flask.typing import ResponseReturnValue

from . import banks, security, webhooks
from .api import PAYMENT_NOT_FOUND, bp
from .current import store
from .deadlines import kst_text
from .money import fits_currency, normalize_amount, not_whole_won
from .params import MISSING_FIELD, number_field, text_field
from .pay_request import buyer_fields, notice_url, order_refusal, pg_provider_and_id
from .prepare import INVALID_AMOUNT
from .rest import body, envelope, failure
from .store import CancelRefused, VbankRevokeRefused
from .store.cancels import is_revoked
from .store.documents import random_digits
from .webguard import Payment, PaymentFields

UNKNOWN_BANK = "지원되지 않는 은행코드입니다(받은 값: {code})."
INVALID_DUE = "vbank_due 파라메터는 UNIX timestamp(초 단위 정수)여야 합니다."
PAST_DUE = "입금기한(vbank_due)은 현재 시각 이후여야 합니다."
NOTHING_TO_CHANGE = "변경할 amount 또는 vbank_due를 지정해주셔야합니다."
CHANGE_NOT_VBANK = "가상계좌 결제건이 아닙니다."
CHANGE_NOT_WAITING = "입금대기(ready) 상태의 가상계좌만 변경할 수 있습니다(현재: {state})."
NO_SUCH_ACCOUNT = "예금주를 조회할 수 없는 계좌입니다. (샌드박스 규칙: {rule})"
REQUIRED = ("merchant_uid", "amount", "vbank_code", "vbank_due", "vbank_holder")
CURRENCY = "KRW"  # virtual accounts take won only
# A guess: what PortOne's API issuance records as the channel (its spec: "api" for payments
# without a window).
API_CHANNEL: Final = "api"


class VbankRefused(Exception):
    """A request PortOne refuses; `message` goes into the envelope with code 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@bp.post("/vbanks")
def issue_vbank() -> ResponseReturnValue:
    """PortOne's 가상계좌 발급 (createVbank): a `ready` payment with its account at once.

    Guesses: the account number's form (as the window's); that an order already paid, or
    prepared with another amount, is refused as the window refuses it; that the `ready` webhook
    goes out as after the window's issuance.
    """
    fields = body()
    try:
        fields_of_payment, checkout = requested_account(fields)
    except VbankRefused as refusal:
        return failure(refusal.message, 200, code=1)
    payment = store().insert_payment(checkout=checkout, **fields_of_payment)
    webhooks.notify(payment, "ready")
    return envelope(payment)


@bp.put("/vbanks/<id:imp_uid>")
def change_vbank(imp_uid: str) -> ResponseReturnValue:
    """PortOne's 가상계좌 정보 수정 (modifyVbank): a new amount and/or deadline for an account
    still waiting for its deposit. Guesses: no webhook follows; a deadline already past may be
    moved to the future again (that is what the change is for)."""
    fields = body()
    try:
        changes = requested_changes(fields)
        payment = store().update_payment(imp_uid, lambda found, _: checked(found, changes))
    except VbankRefused as refusal:
        return failure(refusal.message, 400, code=1)
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.delete("/vbanks/<id:imp_uid>")
def revoke_vbank(imp_uid: str) -> ResponseReturnValue:
    """PortOne's 가상계좌 발급취소 (revokeVbank): only for an account still waiting for its
    deposit (status `ready`), else HTTP 400 as its spec describes (a response without a schema,
    which the reduced contract in tests/ leaves out). Guesses: the code 1, the texts, and that
    no webhook follows, so the sandbox sends none."""
    try:
        payment = store().revoke_vbank(imp_uid)
    except VbankRevokeRefused as refusal:
        return failure(refusal.message, 400, code=1)
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.get("/vbanks/holder")
def account_holder() -> ResponseReturnValue:
    """PortOne's 예금주 조회 (queryBankHolder) from bank_code and bank_num in the query; the
    holder comes from banks.py's table and rule. 400 for a missing or unknown bank, 404 for an
    account that does not exist (its spec's "Request not found")."""
    raw_code, bank_num = request.args.get("bank_code", ""), request.args.get("bank_num", "")
    for name, value in (("bank_code", raw_code), ("bank_num", bank_num)):
        if not value:
            return failure(MISSING_FIELD.format(name=name), 400)
    code = banks.bank_code(raw_code)
    if code is None:
        return failure(UNKNOWN_BANK.format(code=raw_code), 400)
    holder = banks.holder(code, bank_num)
    if holder is None:
        return failure(NO_SUCH_ACCOUNT.format(rule=banks.HOLDER_RULE), 404)
    return envelope({"bank_holder": holder})


def requested_account(fields: Mapping[str, object]) -> tuple[PaymentFields, dict]:
    """The payment and checkout fields of an issue request; VbankRefused when unusable."""
    for name in REQUIRED:
        if fields.get(name) in (None, ""):
            raise VbankRefused(MISSING_FIELD.format(name=name))
    amount, code, due = requested_amount(fields), requested_bank(fields), requested_due(fields)
    refuse_unusable_order(fields, amount)
    return issued_payment(fields, amount, code, due), api_checkout(fields, due)


def requested_bank(fields: Mapping[str, object]) -> str:
    code = banks.bank_code(fields["vbank_code"])
    if code is None:
        raise VbankRefused(UNKNOWN_BANK.format(code=fields["vbank_code"]))
    return code


def refuse_unusable_order(fields: Mapping[str, object], amount: int) -> None:
    """A notice_url outside the merchant's site (F0015), then the window's order checks."""
    merchant_uid, pg_provider = str(fields["merchant_uid"]), pg_provider_and_id(fields)[0]
    refusal = security.foreign_url_refusal(notice_url(fields.get("notice_url"))) or order_refusal(
        {"merchant_uid": merchant_uid, "amount": amount, "pg": pg_provider}
    )
    if refusal:
        raise VbankRefused(refusal[1])


def issued_payment(fields: Mapping[str, object], amount: int, code: str, due: int) -> PaymentFields:
    """The payment an issue request makes: `ready`, with its account already issued."""
    pg_provider, pg_id = pg_provider_and_id(fields)
    now = store().now()
    return {
        "merchant_uid": str(fields["merchant_uid"]),
        "name": text_field(fields, "name"),
        "amount": amount,
        "currency": CURRENCY,
        "pay_method": "vbank",
        "channel": API_CHANNEL,
        "pg_provider": pg_provider,
        "pg_id": pg_id,
        "pg_tid": f"sandbox{random_digits(16)}",
        **buyer_fields(fields),
        "custom_data": custom_data(fields.get("custom_data")),
        "vbank_code": code,
        "vbank_name": banks.bank_name(code),
        "vbank_num": f"562{random_digits(11)}",
        "vbank_holder": str(fields["vbank_holder"]),
        "vbank_date": due,
        "vbank_issued_at": now,
        "started_at": now,
    }


def api_checkout(fields: Mapping[str, object], due: int) -> dict:
    """No window: the checkout keeps where webhooks go and the deadline as Korean time."""
    return {
        "mode": "api",
        "notice_url": notice_url(fields.get("notice_url")),
        "vbank_due": kst_text(due),
        "outcome": "vbank",
    }


def requested_changes(fields: Mapping[str, object]) -> PaymentFields:
    """The amount and vbank_date a change request asks for; VbankRefused when unusable."""
    changes: PaymentFields = {}
    if fields.get("amount") not in (None, ""):
        changes["amount"] = requested_amount(fields)
    if fields.get("vbank_due") not in (None, ""):
        changes["vbank_date"] = requested_due(fields)
    if not changes:
        raise VbankRefused(NOTHING_TO_CHANGE)
    return changes


def checked(payment: Payment, changes: PaymentFields) -> PaymentFields:
    """The changes, if the payment is an account that still waits for its deposit."""
    if payment["pay_method"] != "vbank" or not payment["vbank_num"]:
        raise VbankRefused(CHANGE_NOT_VBANK)
    if is_revoked(payment) or payment["status"] != "ready":
        state = "발급취소" if is_revoked(payment) else payment["status"]
        raise VbankRefused(CHANGE_NOT_WAITING.format(state=state))
    return changes


def requested_amount(fields: Mapping[str, object]) -> int:
    try:
        amount = normalize_amount(number_field(fields, "amount"))
    except CancelRefused as refusal:
        raise VbankRefused(refusal.message) from None
    if amount is None:
        raise VbankRefused(INVALID_AMOUNT)
    if not fits_currency(amount, CURRENCY):
        raise VbankRefused(not_whole_won("amount", amount))
    return int(amount)


def requested_due(fields: Mapping[str, object]) -> int:
    """vbank_due as PortOne's API takes it: a UNIX timestamp in seconds, in the future."""
    raw = fields.get("vbank_due")
    try:
        due = number_field(fields, "vbank_due")
    except CancelRefused:
        raise VbankRefused(INVALID_DUE) from None
    if isinstance(raw, bool) or not isinstance(due, int) or due <= 0:
        raise VbankRefused(INVALID_DUE)
    if due <= store().now():
        raise VbankRefused(PAST_DUE)
    return due


def custom_data(value: object) -> str | None:
    """Kept as a string, as PortOne does: an object or a list as its JSON."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
