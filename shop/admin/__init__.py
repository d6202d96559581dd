"""The merchant's admin at /admin/: orders, each claim about their payments, refunds, shipping.

Every page but the login needs the operator's session (shop.admin.auth); every change is a POST
with CSRF and a confirmation box, and goes through the same services as the rest of the shop
(shop.payments.cancellation, shop.payments.sync), so the ledger, the checksums and the
timeline all apply.
"""

from shop.admin import (  # noqa: F401 - they add to bp
    actions,
    auth,
    display,
    orders,
    receipts,
    returns,
    review,
    shipping,
)
from shop.admin.blueprint import bp

__all__ = ["bp"]
