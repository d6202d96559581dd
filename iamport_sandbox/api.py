"""PortOne V1's REST API as the shop's server sees it: same paths, envelopes, codes and messages."""

import hmac
import math

from flask import Blueprint, Response, abort, current_app, request

from . import webhooks
from .current import store
from .money import MAX_NUMBER, fits_currency, normalize_amount, not_whole_won
from .rest import body, envelope, failure, presented_token
from .store import CancelRefused
from .store.cancels import CANCEL_NOT_FOUND, REFUND_FIELDS
from .store.lookups import SORTINGS

bp = Blueprint("api", __name__)

PAYMENT_STATUSES = ("ready", "paid", "cancelled", "failed")

PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다."
PREPARED_NOT_FOUND = "사전등록된 결제정보가 존재하지 않습니다."
ALREADY_PREPARED = "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다)."
MISSING_CREDENTIALS = "imp_key, imp_secret 파라메터가 누락되었습니다."
# PortOne answers this for an unknown status in /payments/status/{status}; find and findAll
# reuse it here.
UNSUPPORTED_STATUS = "지원되지 않는 상태값입니다."
# PortOne's texts for the refusals below are not documented; these are the sandbox's own.
WRONG_CREDENTIALS = "imp_key 또는 imp_secret이 올바르지 않습니다."
MISSING_MERCHANT_UID = "merchant_uid 파라메터가 누락되었습니다."
INVALID_AMOUNT = "amount 파라메터는 0보다 큰 숫자여야 합니다."
UNSUPPORTED_SORTING = "지원되지 않는 정렬기준입니다."
# Guesses: PortOne answers these refusals with texts of its own that are not documented.
NOT_AN_INTEGER = "{name} 파라메터는 0 이상의 정수여야 합니다."
INVALID_LIMIT = "limit 파라메터는 1 이상 1000 이하여야 합니다."
PAGE_OUT_OF_RANGE = "데이터 범위를 넘어선 page입니다."
INVALID_PERIOD = "from은 to보다 클 수 없고 조회 기간은 최대 90일입니다."
MISSING_IDS = "imp_uid[] 또는 merchant_uid[] 파라메터를 지정해주셔야합니다."
TOO_MANY_IDS = "한 번에 최대 100건까지 조회할 수 있습니다."
NOT_A_NUMBER = "{name} 파라메터는 숫자여야 합니다."
# A guess that ends as PortOne's text does (only its ending is known).
MISSING_CANCEL_TARGET = "imp_uid 또는 merchant_uid 중 하나를 지정해주셔야합니다."

MAX_LIMIT = 1000
DEFAULT_LIMIT = 20
MAX_IDS = 100
MAX_PERIOD = 90 * 24 * 60 * 60
TAX_FIELDS = ("tax_free", "vat_amount")


def same_secret(given: object, expected: str) -> bool:
    return hmac.compare_digest(str(given).encode(), expected.encode())


@bp.before_request
def require_token():
    """Every REST call but getToken needs a live token; OPTIONS is answered without one, as a
    CORS preflight never carries it (routing.py)."""
    if request.endpoint == "api.get_token" or request.method == "OPTIONS":
        return None
    if not store().token_is_valid(presented_token()):
        return failure("Unauthorized", 401)
    return None


@bp.post("/users/getToken")
def get_token():
    fields = body()
    imp_key, imp_secret = fields.get("imp_key"), fields.get("imp_secret")
    if not imp_key or not imp_secret:
        return failure(MISSING_CREDENTIALS, 400)
    if not (
        same_secret(imp_key, current_app.config["SANDBOX_IMP_KEY"])
        and same_secret(imp_secret, current_app.config["SANDBOX_IMP_SECRET"])
    ):
        return failure(WRONG_CREDENTIALS, 401)
    return envelope(store().issue_token())


@bp.get("/payments/<id:imp_uid>")
def get_payment(imp_uid):
    payment = store().get_payment(imp_uid)
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.get("/payments/find/<merchant_uid>", defaults={"status": None})
@bp.get("/payments/find/<merchant_uid>/<status>")
def find_payment(merchant_uid, status):
    if status is not None and status not in PAYMENT_STATUSES:
        return failure(UNSUPPORTED_STATUS, 400)
    payment = store().find_payment(merchant_uid, status, requested_sorting())
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.get("/payments/findAll/<merchant_uid>", defaults={"status": None})
@bp.get("/payments/findAll/<merchant_uid>/<status>")
def find_all_payments(merchant_uid, status):
    if status is not None and status not in PAYMENT_STATUSES:
        return failure(UNSUPPORTED_STATUS, 400)
    sorting, (page, limit) = requested_sorting(), requested_page()
    total, payments = store().order_payments(merchant_uid, status, sorting, page, limit)
    if not total:
        return failure(PAYMENT_NOT_FOUND, 404)
    return paged(total, payments, page, limit)


@bp.get("/payments/status/<payment_status>")
def payments_in_status(payment_status):
    if payment_status not in ("all", *PAYMENT_STATUSES):
        return failure(UNSUPPORTED_STATUS, 400)
    sorting, (page, limit) = requested_sorting(), requested_page()
    until = query_integer("to", store().now())
    since = query_integer("from", until - MAX_PERIOD)
    # Guess: PortOne documents the 90-day maximum but not what it does beyond it.
    if since > until or until - since > MAX_PERIOD:
        return failure(INVALID_PERIOD, 400)
    total, payments = store().payments_in_status(payment_status, since, until, sorting, page, limit)
    return paged(total, payments, page, limit)


@bp.get("/payments")
def get_payments():
    """Several payments at once; for a merchant_uid, its newest payment."""
    imp_uids = request.args.getlist("imp_uid[]")
    merchant_uids = request.args.getlist("merchant_uid[]")
    if not imp_uids and not merchant_uids:
        return failure(MISSING_IDS, 400)
    if len(imp_uids) + len(merchant_uids) > MAX_IDS:
        return failure(TOO_MANY_IDS, 400)
    found = [store().get_payment(imp_uid) for imp_uid in imp_uids]
    found += [store().find_payment(merchant_uid) for merchant_uid in merchant_uids]
    payments = list({payment["imp_uid"]: payment for payment in found if payment}.values())
    if not payments:
        return failure(PAYMENT_NOT_FOUND, 404)
    return envelope(payments, status=207 if None in found else 200)


def requested_sorting() -> str:
    sorting = request.args.get("sorting", "-started")
    if sorting not in SORTINGS:
        abort(failure(UNSUPPORTED_SORTING, 400))
    return sorting


def query_integer(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        abort(failure(NOT_AN_INTEGER.format(name=name), 400))
    return int(raw)


def requested_page() -> tuple[int, int]:
    page, limit = query_integer("page", 1), query_integer("limit", DEFAULT_LIMIT)
    if page < 1:
        abort(failure(NOT_AN_INTEGER.format(name="page"), 400))
    if not 1 <= limit <= MAX_LIMIT:
        abort(failure(INVALID_LIMIT, 400))
    return page, limit


def paged(total: int, payments: list[dict], page: int, limit: int) -> Response:
    """PortOne's page of payments: previous and next are page numbers, 0 when there is none."""
    if page > 1 and (page - 1) * limit >= total:
        return failure(PAGE_OUT_OF_RANGE, 400)
    return envelope(
        {
            "total": total,
            "previous": page - 1,
            "next": page + 1 if page * limit < total else 0,
            "list": payments,
        }
    )


def requested_preparation() -> tuple[str, int | float, str | None]:
    """The merchant_uid, amount and currency of a prepare request; aborts when one is unusable."""
    fields = body()
    merchant_uid, amount, currency = (fields.get(k) for k in ("merchant_uid", "amount", "currency"))
    if isinstance(amount, str):
        try:
            amount = float(amount)
        except ValueError:
            amount = None
    amount = normalize_amount(amount)
    if not merchant_uid:
        abort(failure(MISSING_MERCHANT_UID, 400))
    if amount is None:
        abort(failure(INVALID_AMOUNT, 400))
    return str(merchant_uid), amount, str(currency) if currency else None


@bp.post("/payments/prepare")
def prepare():
    merchant_uid, amount, currency = requested_preparation()
    require_fitting_amount(amount, currency)
    prepared = store().prepare(merchant_uid, amount, currency)
    return envelope(prepared) if prepared else failure(ALREADY_PREPARED, 200, code=1)


@bp.put("/payments/prepare")
def update_prepared():
    merchant_uid, amount, currency = requested_preparation()
    registered = store().prepared(merchant_uid)
    require_fitting_amount(amount, currency or (registered or {}).get("currency"))
    prepared = store().update_prepared(merchant_uid, amount, currency)
    return envelope(prepared) if prepared else failure(PREPARED_NOT_FOUND, 404)


def require_fitting_amount(amount: int | float, currency: str | None) -> None:
    """Abort with 400, as for any unusable amount, when a won amount has a fraction; a
    registration without a currency is in won, PortOne's default."""
    if not fits_currency(amount, currency):
        abort(failure(not_whole_won("amount", amount), 400))


@bp.get("/payments/prepare/<merchant_uid>")
def get_prepared(merchant_uid):
    prepared = store().prepared(merchant_uid)
    return envelope(prepared) if prepared else failure(PREPARED_NOT_FOUND, 404)


@bp.post("/payments/cancel")
def cancel():
    """Refusals go out as HTTP 200 with a code other than 0, as PortOne's do."""
    fields = body()
    try:
        for name in TAX_FIELDS:  # checked, then left aside: the sandbox keeps no tax split
            number_field(fields, name)
        payment, cancellation_id = store().cancel(
            cancel_target(fields),
            amount=number_field(fields, "amount"),
            reason=text_field(fields, "reason"),
            checksum=number_field(fields, "checksum"),
            refund={name: text_field(fields, name) for name in REFUND_FIELDS},
        )
    except CancelRefused as refusal:
        return failure(refusal.message, 200, code=refusal.code)
    if is_true(fields.get("enable_webhook")):
        webhooks.notify(payment, "cancelled", cancellation_id)
    return envelope(payment)


def cancel_target(fields: dict) -> str:
    """The imp_uid a cancel is about. An imp_uid wins, even an unknown one."""
    imp_uid, merchant_uid = text_field(fields, "imp_uid"), text_field(fields, "merchant_uid")
    if imp_uid:
        return imp_uid
    if not merchant_uid:
        raise CancelRefused(1, MISSING_CANCEL_TARGET)
    payment = store().cancellable_payment(merchant_uid)
    if payment is None:
        raise CancelRefused(1, CANCEL_NOT_FOUND)
    return payment["imp_uid"]


def text_field(fields: dict, name: str) -> str | None:
    value = fields.get(name)
    return None if value is None or value == "" else str(value)


def number_field(fields: dict, name: str) -> int | float | None:
    """A number from a JSON or form body; None when absent; refused when not a number."""
    value = fields.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            value = None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or abs(value) > MAX_NUMBER
    ):
        raise CancelRefused(1, NOT_A_NUMBER.format(name=name))
    return int(value) if float(value).is_integer() else value


def is_true(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1")
