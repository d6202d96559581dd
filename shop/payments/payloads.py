"""What the shop accepts as a payment from PortOne; anything else is a garbled answer."""

import re
from typing import Any

from shop.core.models import PaymentStatus
from shop.payments.gateway import GatewayError

IMP_UID_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")  # no longer than Payment.imp_uid
PAYMENT_STATUSES = frozenset(PaymentStatus)


def checked_payment(fetched: Any) -> dict[str, Any]:
    """A payment the shop can act on, or GatewayError (as for any garbled answer)."""
    fields = fetched if isinstance(fetched, dict) else {}
    shaped = (
        isinstance(fields.get("imp_uid"), str)
        and IMP_UID_SHAPE.fullmatch(fields["imp_uid"])
        and isinstance(fields.get("merchant_uid"), str)
        and "\x00" not in fields["merchant_uid"]  # no table could hold it
        and fields.get("status") in PAYMENT_STATUSES
        and type(fields.get("amount")) is int
        and isinstance(fields.get("currency"), str)
        and len(fields["currency"]) == 3  # an ISO code; never cut to fit its column
    )
    if not shaped:
        raise GatewayError("PortOne이 알 수 없는 형식의 결제 정보를 보냈습니다.")
    return fields
