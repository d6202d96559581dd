"""The orders list, the needs-review queue and one order's page."""

import re
from datetime import UTC, date, datetime, time, timedelta

from flask import abort, render_template, request
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from shop.admin import timeline
from shop.admin.blueprint import bp
from shop.admin.forms import ConfirmForm, OrderFilterForm, RefundForm, refund_form
from shop.core.extensions import db
from shop.core.ledger import Notice, Payment
from shop.core.models import SEOUL, Order, OrderStatus, as_utc
from shop.core.queries import find_order
from shop.payments.methods import METHODS
from shop.payments.states import HOLDS_MONEY, holds_money
from shop.storefront.lookup import digits

PER_PAGE = 50
MAX_PAGE = 100_000
FILTERS = ("status", "date_from", "date_to", "q")
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
def admin_helpers() -> dict:
    return {
        "review_count": review_count,
        "method_label": method_label,
        "receipt_link": receipt_link,
        "to_the_second": to_the_second,
    }


def review_count() -> int:
    query = select(func.count()).select_from(Order).where(Order.status == OrderStatus.NEEDS_REVIEW)
    return db.session.execute(query).scalar_one()


def method_label(order: Order) -> str:
    """How the order was paid (or, before any payment, what the customer chose)."""
    payment = order.paid_payment or order.latest_payment
    if payment is None:
        return METHODS[order.pay_method].label if order.pay_method in METHODS else order.pay_method
    provider = (payment.pg_provider or "").split(".")[0]
    method = payment.pay_method or ""  # empty when the gateway did not say
    return PROVIDERS.get(provider) or PAY_METHODS.get(method, method)


def receipt_link(payment: Payment) -> str | None:
    """Only web addresses become links; anything else the gateway sent stays text."""
    url = payment.receipt_url or ""
    return url if re.match(r"https?://", url, re.IGNORECASE) else None


def to_the_second(moment: datetime | None) -> str:
    return as_utc(moment).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


@bp.get("/")
def orders():
    form = OrderFilterForm(formdata=request.args)
    form.validate()  # a field in error is left out of the filter and shows its message
    page = max(request.args.get("page", 1, type=int), 1)
    if page > MAX_PAGE:
        abort(404)
    query = select(Order).where(*conditions(form)).options(selectinload(Order.payments))
    query = query.order_by(Order.created_at.desc(), Order.id.desc())
    listed = db.paginate(query, page=page, per_page=PER_PAGE, error_out=True)
    kept = {name: request.args[name] for name in FILTERS if request.args.get(name)}
    return render_template("admin/orders.html", form=form, listed=listed, kept=kept)


def conditions(form: OrderFilterForm) -> list:
    found = []
    if status := form.chosen_status():
        found.append(Order.status == status)
    if start := valid(form.date_from):
        found.append(Order.created_at >= seoul_midnight(start))
    if end := valid(form.date_to):
        found.append(Order.created_at < seoul_midnight(end + timedelta(days=1)))
    if text := (valid(form.q) or "").strip():
        found.append(matching(text))
    return found


def valid(field):
    return None if field.errors else field.data


def seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), SEOUL).astimezone(UTC)


def matching(text: str):
    """merchant_uid, 주문번호 or buyer name containing the text, or a phone with its digits
    (010-4242-4242, 01042424242 and 4242 4242 find the same order)."""
    found = [
        Order.merchant_uid.contains(text, autoescape=True),
        Order.number.contains(text, autoescape=True),
        Order.buyer_name.icontains(text, autoescape=True),
    ]
    if len(typed := digits(text)) >= 4:
        found.append(phone_digits(Order.buyer_tel).contains(typed, autoescape=True))
    return or_(*found)


def phone_digits(column):
    for mark in ("-", " ", "."):
        column = func.replace(column, mark, "")
    return column


@bp.get("/review")
def review():
    """확인 필요: money arrived in a way no rule settles; the longest waiting first."""
    query = (
        select(Order)
        .where(Order.status == OrderStatus.NEEDS_REVIEW)
        .order_by(Order.updated_at, Order.id)
        .options(selectinload(Order.payments))
    )
    waiting = list(db.session.execute(query).scalars())
    return render_template("admin/review.html", orders=waiting)


def refundable(order: Order) -> Payment | None:
    """The payment the refund service gives money back from (the first that holds money)."""
    return next((p for p in order.payments if holds_money(p)), None)


@bp.get("/orders/<merchant_uid>", endpoint="order")
def order_page(merchant_uid: str):
    return render_order(find_order(merchant_uid))


def render_order(order: Order, form: RefundForm | None = None):
    payment = refundable(order)
    return render_template(
        "admin/order.html",
        order=order,
        refundable=payment,
        refund_form=form or refund_form(payment),
        confirm_form=ConfirmForm(formdata=None),
        can_ship=order.status in HOLDS_MONEY and order.shipped_at is None,
        events=timeline.events_of(order),
        notices=notices_of(order),
        **timeline.labels(),
    )


def notices_of(order: Order) -> list[Notice]:
    query = select(Notice).where(Notice.order_id == order.id).order_by(Notice.id)
    return list(db.session.execute(query).scalars())
