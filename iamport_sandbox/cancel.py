"""POST /payments/cancel as the merchant's server calls it: which payment (an imp_uid, or an
order's payment by merchant_uid), how much, why, and the refund account. The checks and the
write are the store's (store/cancels.py); the route joins api.py's blueprint."""

from collections.abc import Mapping

from flask.typing import ResponseReturnValue

from . import webhooks
from .api import bp
from .current import store
from .params import is_true, number_field, text_field
from .rest import body, envelope, failure
from .store import CancelRefused
from .store.cancels import CANCEL_NOT_FOUND, REFUND_FIELDS
from .webguard import Payment

TAX_FIELDS = ("tax_free", "vat_amount")
# A guess that ends as PortOne's text does (only its ending is known).
MISSING_CANCEL_TARGET = "imp_uid 또는 merchant_uid 중 하나를 지정해주셔야합니다."


@bp.post("/payments/cancel")
def cancel() -> ResponseReturnValue:
    """Refusals go out as HTTP 200 with a code other than 0, as PortOne's do."""
    fields = body()
    try:
        payment, cancellation_id = cancel_requested(fields)
    except CancelRefused as refusal:
        return failure(refusal.message, 200, code=refusal.code)
    if is_true(fields.get("enable_webhook")):
        webhooks.notify(payment, "cancelled", cancellation_id)
    return envelope(payment)


def cancel_requested(fields: Mapping[str, object]) -> tuple[Payment, str]:
    """Cancel as the body asks; CancelRefused for a field that is no number or a refused cancel."""
    for name in TAX_FIELDS:  # checked, then left aside: the sandbox keeps no tax split
        number_field(fields, name)
    return store().cancel(
        cancel_target(fields),
        amount=number_field(fields, "amount"),
        reason=text_field(fields, "reason"),
        checksum=number_field(fields, "checksum"),
        refund={name: text_field(fields, name) for name in REFUND_FIELDS},
    )


def cancel_target(fields: Mapping[str, object]) -> str:
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
