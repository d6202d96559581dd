"""확인 필요: the operator's three resolutions of an order in review (shop.payments.review), each
confirmed with a box, each refused with a flash when the money does not allow it."""

from flask import flash, redirect, url_for

from shop.admin.actions import gateway
from shop.admin.blueprint import bp
from shop.admin.forms import ConfirmForm, MoneyBackForm, money_back_form
from shop.core.extensions import db
from shop.core.ledger import Payment
from shop.core.models import Order
from shop.core.queries import find_order
from shop.payments import review
from shop.payments.refunds import RefundRefused
from shop.payments.states import holds_money

CANCEL_PREFIX = "cancel"


@bp.context_processor
def review_helpers() -> dict:
    return {
        "review_entry": review.entry,
        "held_payments": held,
        "review_form": lambda payment: money_back_form(payment, prefix=payment.imp_uid),
        "review_cancel_form": lambda order: cancel_form(order),
        "resolutions": review.Resolution,
    }


def held(order: Order) -> list[Payment]:
    return [payment for payment in order.payments if holds_money(payment)]


def cancel_form(order: Order) -> MoneyBackForm:
    """With a refund account if any money goes back from a virtual account."""
    vbank = next((p for p in held(order) if p.pay_method == "vbank"), None)
    return money_back_form(vbank, prefix=CANCEL_PREFIX)


def back_to_review(order: Order):
    return redirect(url_for("admin.order", merchant_uid=order.merchant_uid, _anchor="review"))


def refused(order: Order, message: str):
    db.session.rollback()
    flash(message, "error")
    return back_to_review(order)


def unconfirmed(form: ConfirmForm) -> str:
    """The form's first error, in the operator's words."""
    if any(name.endswith("csrf_token") for name in form.errors):
        return "페이지를 너무 오래 열어 두었습니다. 다시 시도해 주세요."
    return next(iter(form.errors.values()), ["확인란을 선택해 주세요."])[0]


@bp.post("/orders/<merchant_uid>/review/approve")
def approve_review(merchant_uid: str):
    order = find_order(merchant_uid)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return refused(order, unconfirmed(form))
    try:
        review.approve(gateway(), merchant_uid)
    except RefundRefused as refusal:
        return refused(order, refusal.message)
    flash(f"확인 후 진행했습니다. 주문 상태: {order.status.label}", "success")
    return back_to_review(order)


@bp.post("/orders/<merchant_uid>/review/payments/<imp_uid>/refund")
def refund_in_review(merchant_uid: str, imp_uid: str):
    order = find_order(merchant_uid)
    payment = next((p for p in held(order) if p.imp_uid == imp_uid), None)
    if payment is None:
        return refused(order, "환불할 금액이 남아 있는 이 주문의 결제가 아닙니다.")
    form = money_back_form(payment, prefix=imp_uid)
    if not form.validate_on_submit():
        return refused(order, unconfirmed(form))
    try:
        review.refund_one(gateway(), merchant_uid, imp_uid, form.account())
    except RefundRefused as refusal:
        return refused(order, refusal.message)
    flash(f"결제 {imp_uid}를 환불했습니다. 주문 상태: {order.status.label}", "success")
    return back_to_review(order)


@bp.post("/orders/<merchant_uid>/review/cancel")
def cancel_in_review(merchant_uid: str):
    order = find_order(merchant_uid)
    form = cancel_form(order)
    if not form.validate_on_submit():
        return refused(order, unconfirmed(form))
    try:
        review.cancel(gateway(), merchant_uid, form.account())
    except RefundRefused as refusal:
        return refused(order, refusal.message)
    flash(f"모든 결제를 환불하고 주문을 닫았습니다. 주문 상태: {order.status.label}", "success")
    return back_to_review(order)
