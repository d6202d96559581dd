"""What the operator does with a 반품: approve it (the courier collects: 회수중), record the
goods' arrival (반품완료), refund what was paid less the return shipping; or refuse it with a
reason the customer reads. Each through shop.payments.returns."""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from flask import current_app, flash

from shop.admin.actions import back_to, gateway
from shop.admin.blueprint import bp
from shop.admin.forms import ConfirmForm, RefuseReturnForm, TakeReturnForm, money_back_form
from shop.core.extensions import db
from shop.core.formatting import won
from shop.core.models import Order
from shop.core.queries import find_order, return_of
from shop.core.returns import refund_due, refund_late
from shop.payments import returns
from shop.payments.refunds import RefundRefused, refund_source
from shop.payments.returns import ReturnRefused
from shop.web.inputs import flash_errors


@bp.context_processor
def return_helpers() -> dict:
    return {
        "return_of": return_of,
        "return_refund_amount": returns.refund_amount,
        "refund_due": refund_due,
        "refund_late": lambda order: refund_late(order, datetime.now(UTC)),
        "refuse_form": lambda: RefuseReturnForm(formdata=None),
        "take_return_form": lambda order: TakeReturnForm(formdata=None, detail=denial(order)),
        "return_takeable": returns.sent_out,
        "return_refund_form": lambda order: money_back_form(refund_source(order)),
    }


def denial(order: Order) -> str:
    """An escrow 구매거절's reason, as the return's detail to start from."""
    return f"에스크로 구매거절: {order.escrow_denied_reason}" if order.escrow_denied_reason else ""


@bp.post("/orders/<merchant_uid>/return")
def take_return(merchant_uid: str):
    """반품 접수, for a customer who asked by phone or refused an escrow purchase."""
    order = find_order(merchant_uid)
    form = TakeReturnForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return back_to(order)
    fee = current_app.config["RETURN_SHIPPING_FEE"]
    detail = (form.detail.data or "").strip()
    taken = partial(returns.take, order, form.chosen(), detail, fee)
    return finish(order, taken, "반품을 접수했습니다. 승인하면 상품을 회수합니다.")


@bp.post("/orders/<merchant_uid>/return/approve")
def approve_return(merchant_uid: str):
    return step(merchant_uid, returns.approve, "반품을 승인했습니다. 상품을 회수해 주세요.")


@bp.post("/orders/<merchant_uid>/return/arrive")
def record_return_arrival(merchant_uid: str):
    return step(merchant_uid, returns.arrive, "반품된 상품의 도착을 기록했습니다.")


def step(merchant_uid: str, move: Callable[[Order], None], done: str):
    order = find_order(merchant_uid)
    if not ConfirmForm().validate_on_submit():
        flash("확인란을 선택해 주세요.", "error")
        return back_to(order)
    return finish(order, lambda: move(order), done)


@bp.post("/orders/<merchant_uid>/return/refuse")
def refuse_return(merchant_uid: str):
    order = find_order(merchant_uid)
    form = RefuseReturnForm()
    if not form.validate_on_submit():
        flash_errors(form)
        return back_to(order)
    why = form.refusal.data.strip()
    return finish(order, lambda: returns.refuse(order, why), "반품을 거절했습니다.")


def finish(order: Order, move: Callable[[], None], done: str):
    try:
        move()
    except ReturnRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return back_to(order)


@bp.post("/orders/<merchant_uid>/return/refund")
def refund_return(merchant_uid: str):
    order = find_order(merchant_uid)
    form = money_back_form(refund_source(order))
    if not form.validate_on_submit():
        flash_errors(form)
        return back_to(order)
    try:
        amount = returns.refund(gateway(), order, form.account())
    except (ReturnRefused, RefundRefused) as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    else:
        flash(f"반품 환불 {won(amount)}을 마쳤습니다.", "success")
    return back_to(order)
