"""The parameters of `IMP.request_pay()`, the code a merchant comes to copy: each value from
the stored order, never from the browser; the pay page hands them to iamport.payment.js."""

from flask import current_app, url_for

from shop.core.models import Order
from shop.payments.methods import METHODS, pg_for


def pay_request(order: Order, key: str | None = None) -> dict:
    """The parameters of IMP.request_pay; every value comes from the stored order (and the
    method, one of those the shop offers)."""
    config = current_app.config
    key = key or order.pay_method
    return (
        {
            "pg": pg_for(key, config),
            "pay_method": METHODS[key].pay_method,
            "merchant_uid": order.merchant_uid,
            "name": order.name,
            "amount": order.amount,
            "currency": order.currency,
            "buyer_email": order.buyer_email,
            "buyer_name": order.buyer_name,
            "buyer_tel": order.buyer_tel,
            "buyer_addr": order.delivery_address,
            "buyer_postcode": order.buyer_postcode,
            "m_redirect_url": config["SHOP_URL"] + url_for("payments.mobile_complete"),
            "notice_url": config["SHOP_URL"] + url_for("payments.webhook"),
            # The number the customer knows, for PortOne's console (the sandbox's window shows it).
            "custom_data": {"order_number": order.number},
        }
        | escrow(key, config)
        | confirm_url(config)
    )


def escrow(key: str, config) -> dict:
    """구매안전서비스 for the cash-type methods the merchant configured (ESCROW_METHODS)."""
    return {"escrow": True} if key in config["ESCROW_METHODS"] else {}


def confirm_url(config) -> dict:
    """PortOne's confirm process is enabled per merchant by its support (CONFIRM_PROCESS)."""
    if not config["CONFIRM_PROCESS"]:
        return {}
    return {"confirm_url": config["SHOP_URL"] + url_for("payments.confirm_payment")}
