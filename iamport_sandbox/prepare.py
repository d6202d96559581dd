"""PortOne's pre-registration (POST, PUT and GET /payments/prepare): the amount, and optionally
the currency, a merchant_uid must be paid with. The routes join api.py's blueprint, so they
share its token check, envelopes and switchboard."""

from flask import abort
from flask.typing import ResponseReturnValue

from .api import bp
from .current import store
from .money import fits_currency, normalize_amount, not_whole_won
from .rest import body, envelope, failure

PREPARED_NOT_FOUND = "사전등록된 결제정보가 존재하지 않습니다."
ALREADY_PREPARED = "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다)."
# PortOne's texts for these refusals are not documented; these are the sandbox's own.
MISSING_MERCHANT_UID = "merchant_uid 파라메터가 누락되었습니다."
INVALID_AMOUNT = "amount 파라메터는 0보다 큰 숫자여야 합니다."


@bp.post("/payments/prepare")
def prepare() -> ResponseReturnValue:
    merchant_uid, amount, currency = requested_preparation()
    require_fitting_amount(amount, currency)
    prepared = store().prepare(merchant_uid, amount, currency)
    return envelope(prepared) if prepared else failure(ALREADY_PREPARED, 200, code=1)


@bp.put("/payments/prepare")
def update_prepared() -> ResponseReturnValue:
    merchant_uid, amount, currency = requested_preparation()
    registered = store().prepared(merchant_uid)
    require_fitting_amount(amount, currency or (registered or {}).get("currency"))
    prepared = store().update_prepared(merchant_uid, amount, currency)
    return envelope(prepared) if prepared else failure(PREPARED_NOT_FOUND, 404)


@bp.get("/payments/prepare/<merchant_uid>")
def get_prepared(merchant_uid: str) -> ResponseReturnValue:
    prepared = store().prepared(merchant_uid)
    return envelope(prepared) if prepared else failure(PREPARED_NOT_FOUND, 404)


def requested_preparation() -> tuple[str, int | float, str | None]:
    """The merchant_uid, amount and currency of a prepare request; aborts when one is unusable."""
    fields = body()
    merchant_uid, currency = fields.get("merchant_uid"), fields.get("currency")
    amount = normalize_amount(number_or_text(fields.get("amount")))
    if not merchant_uid:
        abort(failure(MISSING_MERCHANT_UID, 400))
    if amount is None:
        abort(failure(INVALID_AMOUNT, 400))
    return str(merchant_uid), amount, str(currency) if currency else None


def number_or_text(amount: object) -> object:
    """A form's text as a float when it reads as one (normalize_amount refuses the rest)."""
    if not isinstance(amount, str):
        return amount
    try:
        return float(amount)
    except ValueError:
        return None


def require_fitting_amount(amount: int | float, currency: str | None) -> None:
    """Abort with 400, as for any unusable amount, when a won amount has a fraction; a
    registration without a currency is in won, PortOne's default."""
    if not fits_currency(amount, currency):
        abort(failure(not_whole_won("amount", amount), 400))
