"""The link in a customer's e-mail: it opens the order with the buyer's details on any device
(a phone's mail app has no session that placed the order), signed with SECRET_KEY and expiring.

It only shows. Paying and cancelling still ask for the session that placed the order or for
주문조회 (order number and phone), so a forwarded mail cannot cancel an order.

Thirty days: long enough for delivery and the seven days of 청약철회 after it, short enough
that an old mailbox stops opening the order; after that 주문조회 finds it as before.
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

LIFETIME = timedelta(days=30)
SALT = "order-link"  # a token signed for anything else is not an order link


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def order_link(merchant_uid: str) -> str:
    """The absolute URL for a notice, the route shop.storefront.orders.linked. Written out, not
    by url_for: notices are also written outside any request (reconciliation's CLI)."""
    token = _serializer().dumps(merchant_uid)
    return f"{current_app.config['SHOP_URL']}/orders/link/{token}"


class LinkExpired(Exception):
    """A link the shop signed, older than LIFETIME."""


def linked_merchant_uid(token: str) -> str | None:
    """The order a token names, if the shop signed it; LinkExpired once it is too old."""
    try:
        merchant_uid = _serializer().loads(token, max_age=int(LIFETIME.total_seconds()))
    except SignatureExpired as expired:
        raise LinkExpired from expired
    except BadSignature:
        return None
    return merchant_uid if isinstance(merchant_uid, str) else None
