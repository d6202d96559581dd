"""반품 신청 from the order's page: the customer who placed the order (or found it through
주문조회) says why, within the reason's window (shop.core.returns), and sees what the return
shipping costs before asking. The operator takes it from there (shop.admin.returns)."""

from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from shop.core.extensions import db, limit_setting, limiter
from shop.core.fulfilment import Fulfilment
from shop.core.queries import find_order, return_of
from shop.core.returns import ReturnReason, shipping_deduction, windows
from shop.payments import returns
from shop.payments.returns import ReturnRefused
from shop.payments.states import HOLDS_MONEY
from shop.storefront.orders import owns, to_lookup
from shop.web.security import private

bp = Blueprint("returns", __name__, url_prefix="/orders")


class ReturnForm(FlaskForm):
    reason = RadioField(
        "반품 사유",
        choices=[SelectChoice(reason.value, reason.label) for reason in ReturnReason],
        validators=[InputRequired("반품 사유를 골라 주세요.")],
        invalid_choice_message="보기에 있는 반품 사유 중에서 골라 주세요.",
    )
    detail = TextAreaField(
        "자세한 내용 (선택)",
        validators=[Length(max=500, message="자세한 내용은 500자 안으로 입력해 주세요.")],
    )

    def chosen(self) -> ReturnReason:
        return ReturnReason(self.reason.data)


@bp.app_context_processor
def return_helpers() -> dict:
    return {
        "return_windows": windows,
        "return_of": return_of,
        "return_open": lambda order: returnable(order) and window_open(order),
        "returnable": returnable,
    }


def returnable(order) -> bool:
    return order.fulfilment is Fulfilment.DELIVERED and order.status in HOLDS_MONEY


def window_open(order) -> bool:
    found = windows(order)
    return found is not None and found.open(datetime.now(UTC))


def deductions(order) -> dict[str, int]:
    """What each reason takes off the refund, as the form shows before the customer asks."""
    fee = current_app.config["RETURN_SHIPPING_FEE"]
    return {r.value: shipping_deduction(r, order.shipping_fee, fee) for r in ReturnReason}


@bp.route("/<merchant_uid>/return", methods=["GET", "POST"])
@private
@limiter.limit(limit_setting("RATELIMIT_CANCEL"), methods=["POST"])
def ask(merchant_uid: str):
    order = find_order(merchant_uid)
    if not owns(order):
        return to_lookup(
            "반품을 신청하시려면 주문조회에서 주문번호와 휴대폰 번호로 주문을 찾아 주세요."
        )
    if not returnable(order):
        flash(
            f"배송완료된 주문만 반품을 신청할 수 있습니다 (배송 상태: {order.fulfilment.label}).",
            "error",
        )
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    form = ReturnForm()
    if not form.validate_on_submit():
        return page(order, form), 400 if form.is_submitted() else 200
    try:
        returns.ask(
            order,
            form.chosen(),
            (form.detail.data or "").strip(),
            datetime.now(UTC),
            current_app.config["RETURN_SHIPPING_FEE"],
        )
    except ReturnRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return page(find_order(merchant_uid), form), 422
    db.session.commit()
    flash("반품을 신청했습니다. 상점이 확인한 뒤 상품 회수를 안내해 드립니다.", "success")
    return redirect(url_for("orders.show", merchant_uid=merchant_uid))


def page(order, form: ReturnForm):
    return render_template(
        "orders/return.html", order=order, form=form, deductions=deductions(order)
    )
