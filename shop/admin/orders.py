"""The orders list, the needs-review queue and one order's page."""

from datetime import UTC, date, datetime, time, timedelta

from flask import abort, render_template, request
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from shop.admin import timeline
from shop.admin.blueprint import bp
from shop.admin.forms import ConfirmForm, OrderFilterForm, RefundForm, ShipForm, refund_form
from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import Notice
from shop.core.models import SEOUL, Order, OrderStatus
from shop.core.phones import SEPARATORS, dialled
from shop.core.queries import find_order
from shop.payments.escrow import awaiting
from shop.payments.escrow_changes import denial_waiting, denials_waiting
from shop.payments.receipt_rules import owed
from shop.payments.refunds import refund_source
from shop.payments.shipments import open_moves

PER_PAGE = 50
MAX_PAGE = 100_000
FILTERS = ("status", "date_from", "date_to", "q", "escrow_denied")
# The goods' moves the operator makes (shop.admin.shipping); the return path comes later.
OPERATOR_MOVES = (
    Fulfilment.PREPARING,
    Fulfilment.SHIPPING,
    Fulfilment.DELIVERED,
    Fulfilment.CONFIRMED,
)
# A button's confirmation box and its words (배송 시작 has a form of its own).
BUTTON_WORDS = {
    Fulfilment.PREPARING: ("발주를 확인하고 상품을 준비합니다", "상품준비중으로 표시"),
    Fulfilment.DELIVERED: ("고객이 상품을 받았습니다", "배송완료로 표시"),
    Fulfilment.CONFIRMED: ("구매가 확정되었습니다", "구매확정으로 표시"),
}


bp.add_app_template_global(denial_waiting, "escrow_denial_waiting")


@bp.context_processor
def admin_helpers() -> dict:
    return {"review_count": review_count, "denial_count": denial_count}


def review_count() -> int:
    return count_of(Order.status == OrderStatus.NEEDS_REVIEW)


def denial_count() -> int:
    """에스크로 구매거절 not yet taken back as a return."""
    return count_of(denials_waiting())


def count_of(condition) -> int:
    query = select(func.count()).select_from(Order).where(condition)
    return db.session.execute(query).scalar_one()


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
    if form.escrow_denied.data:
        found.append(denials_waiting())
    return found


def valid(field):
    return None if field.errors else field.data


def seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), SEOUL).astimezone(UTC)


def matching(text: str):
    """merchant_uid, 주문번호 or buyer name containing the text, or a phone with its digits:
    010-4242-4242, 01042424242, +82 10-4242-4242 and 4242 4242 find the same order, whether
    it was stored with hyphens or without."""
    found = [
        Order.merchant_uid.contains(text, autoescape=True),
        Order.number.contains(text, autoescape=True),
        Order.buyer_name.icontains(text, autoescape=True),
    ]
    typed = dialled(text)
    if typed.isascii() and typed.isdigit() and len(typed) >= 4:
        found.append(phone_digits(Order.buyer_tel).contains(typed, autoescape=True))
    return or_(*found)


def phone_digits(column):
    """The stored number without the separators shop.core.phones.dialled drops."""
    for mark in SEPARATORS:
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


@bp.get("/orders/<merchant_uid>", endpoint="order")
def order_page(merchant_uid: str):
    return render_order(find_order(merchant_uid))


def render_order(order: Order, form: RefundForm | None = None, ship_form: ShipForm | None = None):
    payment = refund_source(order)
    return render_template(
        "admin/order.html",
        order=order,
        refundable=payment,
        refund_form=form or refund_form(payment),
        confirm_form=ConfirmForm(formdata=None),
        ship_form=ship_form or ShipForm(formdata=None),
        moves=[move for move in open_moves(order) if move in OPERATOR_MOVES],
        escrow_due=awaiting(order) is not None,
        receipt_due=owed(order),
        button_words=BUTTON_WORDS,
        events=timeline.events_of(order),
        notices=notices_of(order),
        **timeline.labels(),
    )


def notices_of(order: Order) -> list[Notice]:
    query = select(Notice).where(Notice.order_id == order.id).order_by(Notice.id)
    return list(db.session.execute(query).scalars())
