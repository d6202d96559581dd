"""PortOne V1's REST API as the shop's server sees it: same paths, envelopes, codes and messages."""

import hmac
import json

from flask import Blueprint, Response, abort, current_app, request

from .store import SORTINGS, SandboxStore, normalize_amount

bp = Blueprint("api", __name__)

PAYMENT_STATUSES = ("ready", "paid", "cancelled", "failed")

PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다."
PREPARED_NOT_FOUND = "사전등록된 결제정보가 존재하지 않습니다."
ALREADY_PREPARED = "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다)."
MISSING_CREDENTIALS = "imp_key, imp_secret 파라메터가 누락되었습니다."
# PortOne answers this for an unknown status in /payments/status/{status}; find reuses it here.
UNSUPPORTED_STATUS = "지원되지 않는 상태값입니다."
# PortOne's texts for the refusals below are not documented; these are the sandbox's own.
WRONG_CREDENTIALS = "imp_key 또는 imp_secret이 올바르지 않습니다."
MISSING_MERCHANT_UID = "merchant_uid 파라메터가 누락되었습니다."
INVALID_AMOUNT = "amount 파라메터는 0보다 큰 숫자여야 합니다."
UNSUPPORTED_SORTING = "지원되지 않는 정렬기준입니다."


def envelope(
    response: object = None, code: int = 0, message: str | None = None, status: int = 200
) -> Response:
    # Sorted keys and \u-escaped Korean, as the live API writes its JSON.
    body = json.dumps({"code": code, "message": message, "response": response}, sort_keys=True)
    return Response(body, status, content_type="application/json; charset=UTF-8")


def failure(message: str, status: int, code: int = -1) -> Response:
    return envelope(code=code, message=message, status=status)


def store() -> SandboxStore:
    return current_app.extensions["sandbox"]


def body() -> dict:
    """Fields of a JSON or a form body: PortOne accepts both."""
    if request.is_json:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}
    return request.form.to_dict()


def presented_token() -> str | None:
    token = request.headers.get("Authorization") or request.headers.get("X-ImpTokenHeader")
    if token and token[:7].lower() == "bearer ":
        token = token[7:]
    return token.strip() if token else None


def same_secret(given: object, expected: str) -> bool:
    return hmac.compare_digest(str(given).encode(), expected.encode())


@bp.before_request
def require_token():
    if request.endpoint != "api.get_token" and not store().token_is_valid(presented_token()):
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


@bp.get("/payments/<imp_uid>")
def get_payment(imp_uid):
    payment = store().get_payment(imp_uid)
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


@bp.get("/payments/find/<merchant_uid>", defaults={"status": None})
@bp.get("/payments/find/<merchant_uid>/<status>")
def find_payment(merchant_uid, status):
    sorting = request.args.get("sorting", "-started")
    if status is not None and status not in PAYMENT_STATUSES:
        return failure(UNSUPPORTED_STATUS, 400)
    if sorting not in SORTINGS:
        return failure(UNSUPPORTED_SORTING, 400)
    payment = store().find_payment(merchant_uid, status, sorting)
    return envelope(payment) if payment else failure(PAYMENT_NOT_FOUND, 404)


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
    prepared = store().prepare(*requested_preparation())
    return envelope(prepared) if prepared else failure(ALREADY_PREPARED, 200, code=1)


@bp.put("/payments/prepare")
def update_prepared():
    prepared = store().update_prepared(*requested_preparation())
    return envelope(prepared) if prepared else failure(PREPARED_NOT_FOUND, 404)


@bp.get("/payments/prepare/<merchant_uid>")
def get_prepared(merchant_uid):
    prepared = store().prepared(merchant_uid)
    return envelope(prepared) if prepared else failure(PREPARED_NOT_FOUND, 404)
