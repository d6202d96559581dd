"""비회원 주문조회: the order number and the buyer's phone open an order in this browser.

Every mismatch gets the same answer, and attempts are limited per address: ATTEMPTS of any
kind, and FAILURES, which a correct answer does not use up. Nothing is limited per order
number, so strangers who fail on someone's number never lock its buyer out; guessing a phone
number (10⁸ of them after 010) stays out of reach at 50 attempts a day per address."""

import hmac

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from shop.core.extensions import db, limiter
from shop.core.models import Order
from shop.storefront.forms import LookupForm
from shop.storefront.orders import remember_order
from shop.web.security import private

bp = Blueprint("lookup", __name__, url_prefix="/orders/lookup")

NOT_FOUND = "주문번호와 휴대폰 번호가 일치하는 주문이 없습니다. 다시 확인해 주세요."


ATTEMPTS = "10 per minute;50 per day"
FAILURES = "10 per hour"


def failed(response) -> bool:
    return response.status_code != 302  # a found order is a redirect to its page


@bp.route("", methods=["GET", "POST"])
@private
@limiter.limit(ATTEMPTS, methods=["POST"])
@limiter.limit(FAILURES, methods=["POST"], deduct_when=failed)
def lookup():
    form = LookupForm()
    if form.validate_on_submit():
        order = matching_order(form.order_number.data, form.buyer_tel.data)
        if order is not None:
            remember_order(order)
            return redirect(url_for("orders.show", merchant_uid=order.merchant_uid))
        flash(NOT_FOUND, "error")
    return render_template("orders/lookup.html", form=form)


def matching_order(number: str, phone: str) -> Order | None:
    query = select(Order).where(Order.number == number.strip())
    order = db.session.execute(query).scalar_one_or_none()
    stored = digits(order.buyer_tel) if order else ""
    same_phone = hmac.compare_digest(stored.encode(), digits(phone).encode())
    return order if order and same_phone else None


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
