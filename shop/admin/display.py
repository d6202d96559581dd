"""How the admin's pages show what is stored: payment methods, receipt links, times to the
second, and the payment a refund would come from."""

import re
from datetime import datetime

from shop.admin.blueprint import bp
from shop.core.ledger import Payment
from shop.core.models import SEOUL, Order, as_utc
from shop.payments.methods import METHODS
from shop.payments.refunds import refund_source

PAY_METHODS = {
    "card": "신용·체크카드",
    "trans": "실시간 계좌이체",
    "vbank": "가상계좌",
    "phone": "휴대폰 소액결제",
    "paypal": "PayPal",
    "point": "간편결제 포인트",
}
PROVIDERS = {"kakaopay": "카카오페이", "paypal": "PayPal"}


@bp.context_processor
def display_helpers() -> dict:
    return {
        "method_label": method_label,
        "refund_source": refund_source,
        "payment_method": payment_method,
        "receipt_link": receipt_link,
        "to_the_second": to_the_second,
    }


def method_label(order: Order) -> str:
    """How the order was paid (or, before any payment, what the customer chose)."""
    payment = order.paid_payment or order.latest_payment
    if payment is None:
        return METHODS[order.pay_method].label if order.pay_method in METHODS else order.pay_method
    return payment_method(payment)


def payment_method(payment: Payment) -> str:
    """The PG's easy-pay brand if it has one, else the method; as PortOne said it if unknown."""
    provider = (payment.pg_provider or "").split(".")[0]
    method = payment.pay_method or ""  # empty when the gateway did not say
    return PROVIDERS.get(provider) or PAY_METHODS.get(method, method)


def receipt_link(payment: Payment) -> str | None:
    """Only web addresses become links; anything else the gateway sent stays text."""
    url = payment.receipt_url or ""
    return url if re.match(r"https?://", url, re.IGNORECASE) else None


def to_the_second(moment: datetime | None) -> str:
    return as_utc(moment).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
