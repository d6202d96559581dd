"""The order's pages: where the customer pays, and where they see the true result.

An order is reached by its merchant_uid alone (128 random bits), so a customer coming back
from a payment window without the session cookie still sees their order.
"""

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, url_for
from sqlalchemy import select

from shop.extensions import db
from shop.models import Order, OrderStatus
from shop.payment_methods import METHODS, pg_for
from shop.results import describe

bp = Blueprint("orders", __name__, url_prefix="/orders")

PAYABLE = (OrderStatus.PENDING, OrderStatus.FAILED)
# While an order is in one of these, a webhook or reconciliation may still move it: its page
# keeps asking (static/js/order-status.js) and reloads when the status changes.
WATCHED = (
    OrderStatus.PENDING,
    OrderStatus.FAILED,
    OrderStatus.VBANK_ISSUED,
    OrderStatus.NEEDS_REVIEW,
)


def order_named(merchant_uid: str) -> Order | None:
    if not merchant_uid:
        return None
    query = select(Order).where(Order.merchant_uid == merchant_uid)
    return db.session.execute(query).scalar_one_or_none()


def find_order(merchant_uid: str) -> Order:
    return order_named(merchant_uid) or abort(404)


@bp.app_context_processor
def watched_statuses() -> dict:
    return {"watched_statuses": WATCHED}


@bp.get("/<merchant_uid>")
def show(merchant_uid: str):
    order = find_order(merchant_uid)
    return render_template("orders/show.html", order=order, view=describe(order))


@bp.get("/<merchant_uid>/status")
def status(merchant_uid: str):
    """The stored status only: cheap enough to ask every few seconds."""
    order = find_order(merchant_uid)
    return jsonify(status=order.status.value, label=order.status.label)


@bp.get("/<merchant_uid>/pay")
def pay(merchant_uid: str):
    order = find_order(merchant_uid)
    if order.status not in PAYABLE:
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    return render_template(
        "orders/pay.html",
        order=order,
        method=METHODS[order.pay_method],
        pay_request=pay_request(order),
    )


def pay_request(order: Order) -> dict:
    """The parameters of IMP.request_pay; every value comes from the stored order."""
    config = current_app.config
    return {
        "pg": pg_for(order.pay_method, config["PORTONE_PG"]),
        "pay_method": METHODS[order.pay_method].pay_method,
        "merchant_uid": order.merchant_uid,
        "name": order.name,
        "amount": order.amount,
        "currency": order.currency,
        "buyer_email": order.buyer_email,
        "buyer_name": order.buyer_name,
        "buyer_tel": order.buyer_tel,
        "buyer_addr": order.buyer_addr,
        "buyer_postcode": order.buyer_postcode,
        "m_redirect_url": config["SHOP_URL"] + url_for("payments.mobile_complete"),
        "notice_url": config["SHOP_URL"] + url_for("payments.webhook"),
    }
