"""PortOne V1's REST API as the shop's server sees it: same paths, envelopes, codes and messages.

This module holds the blueprint, its token check, getToken and the payment lookups; the other
routes join the blueprint from their own modules: prepare.py, cancel.py, balance.py, vbanks.py,
escrows.py, receipts.py and codes.py. What a request names besides its path is read by
params.py; a route refuses by raising rest.Refusal, which this blueprint answers in the envelope.
"""

import hmac

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from .current import store
from .params import query_integer, requested_page, requested_sorting
from .rest import Refusal, body, envelope, failure, presented_token, refused
from .webguard import Payment

bp = Blueprint("api", __name__)
bp.register_error_handler(Refusal, refused)

PAYMENT_STATUSES = ("ready", "paid", "cancelled", "failed")

PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다."
MISSING_CREDENTIALS = "imp_key, imp_secret 파라메터가 누락되었습니다."
# PortOne answers this for an unknown status in /payments/status/{status}; find and findAll
# reuse it here.
UNSUPPORTED_STATUS = "지원되지 않는 상태값입니다."
# PortOne's texts for the refusals below are not documented; these are the sandbox's own.
WRONG_CREDENTIALS = "imp_key 또는 imp_secret이 올바르지 않습니다."
PAGE_OUT_OF_RANGE = "데이터 범위를 넘어선 page입니다."
INVALID_PERIOD = "from은 to보다 클 수 없고 조회 기간은 최대 90일입니다."
MISSING_IDS = "imp_uid[] 또는 merchant_uid[] 파라메터를 지정해주셔야합니다."
TOO_MANY_IDS = "한 번에 최대 100건까지 조회할 수 있습니다."

MAX_IDS = 100
MAX_PERIOD = 90 * 24 * 60 * 60


def same_secret(given: object, expected: str) -> bool:
    return hmac.compare_digest(str(given).encode(), expected.encode())


@bp.before_request
def require_token() -> Response | None:
    """Every REST call but getToken needs a live token; OPTIONS is answered without one, as a
    CORS preflight never carries it (routing.py)."""
    if request.endpoint == "api.get_token" or request.method == "OPTIONS":
        return None
    if not store().token_is_valid(presented_token()):
        return failure("Unauthorized", 401)
    return None


@bp.post("/users/getToken")
def get_token() -> ResponseReturnValue:
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
def get_payment(imp_uid: str) -> ResponseReturnValue:
    payment = store().get_payment(imp_uid)
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.get("/payments/find/<merchant_uid>", defaults={"status": None})
@bp.get("/payments/find/<merchant_uid>/<status>")
def find_payment(merchant_uid: str, status: str | None) -> ResponseReturnValue:
    if status is not None and status not in PAYMENT_STATUSES:
        return failure(UNSUPPORTED_STATUS, 400)
    payment = store().find_payment(merchant_uid, status, requested_sorting())
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.get("/payments/findAll/<merchant_uid>", defaults={"status": None})
@bp.get("/payments/findAll/<merchant_uid>/<status>")
def find_all_payments(merchant_uid: str, status: str | None) -> ResponseReturnValue:
    if status is not None and status not in PAYMENT_STATUSES:
        return failure(UNSUPPORTED_STATUS, 400)
    sorting, (page, limit) = requested_sorting(), requested_page()
    total, payments = store().order_payments(merchant_uid, status, sorting, page, limit)
    if not total:
        return failure(PAYMENT_NOT_FOUND, 404)
    return paged(total, payments, page, limit)


@bp.get("/payments/status/<payment_status>")
def payments_in_status(payment_status: str) -> ResponseReturnValue:
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
def get_payments() -> ResponseReturnValue:
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


def paged(total: int, payments: list[Payment], page: int, limit: int) -> Response:
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
