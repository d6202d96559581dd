"""How the admin's pages show what is stored: payment methods, receipt links, times to the
second, and the payment a refund would come from."""

import re
from datetime import datetime

from shop.admin.blueprint import bp
from shop.core.ledger import Payment
from shop.core.models import SEOUL, as_utc
from shop.payments.methods import METHODS, reported_method
from shop.payments.refunds import refund_source
from shop.payments.results import paid_with
from shop.storefront.consent import ConsentItem


@bp.context_processor
def display_helpers() -> dict:
    return {
        "method_label": paid_with,
        "refund_source": refund_source,
        "consent_label": consent_label,
        "payment_method": payment_method,
        "receipt_link": receipt_link,
        "to_the_second": to_the_second,
    }


def payment_method(payment: Payment) -> str:
    """The shop's name for the method, or PortOne's word when it is none of the shop's."""
    key = reported_method(payment.pg_provider, payment.pay_method)
    return METHODS[key].label if key else payment.pay_method or ""


def receipt_link(payment: Payment) -> str | None:
    """Only web addresses become links; anything else the gateway sent stays text."""
    url = payment.receipt_url or ""
    return url if re.match(r"https?://", url, re.IGNORECASE) else None


def to_the_second(moment: datetime | None) -> str:
    return as_utc(moment).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def consent_label(item: str) -> str:
    """What the buyer agreed to, by the name the 주문서 showed; an item no longer offered keeps
    its stored name."""
    return ConsentItem(item).document.label if item in set(ConsentItem) else item
