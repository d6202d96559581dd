"""The order's pages: where the customer pays, and where they see the true result.

An order's page is reached by its merchant_uid (128 random bits), but only the session that
placed the order, or found it through 주문조회 (shop.storefront.lookup), sees the buyer's details, pays
or cancels; anyone else holding the URL sees its status and amount.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from shop.core.extensions import db, limit_setting, limiter
from shop.core.fulfilment import sent
from shop.core.models import Order, OrderStatus
from shop.core.queries import find_order
from shop.payments.cancellation import CANCELLABLE, GOODS_SENT, cancel_order
from shop.payments.methods import METHODS, offered
from shop.payments.receipt_rules import receipts_of
from shop.payments.refunds import RefundRefused, refund_source
from shop.payments.request_pay import pay_request
from shop.payments.results import describe, paid_with, payment_shown
from shop.payments.states import HOLDS_MONEY
from shop.storefront.forms import CancelForm, RefundAccountForm
from shop.storefront.progress import progress
from shop.web.security import private
from shop.web.signed_links import LIFETIME, LinkExpired, linked_merchant_uid

bp = Blueprint("orders", __name__, url_prefix="/orders")
bp.add_app_template_global(receipts_of, "cash_receipts_of")  # the order and admin pages

# An issued virtual account does not block paying another way; the account is then closed.
PAYABLE = (OrderStatus.PENDING, OrderStatus.FAILED, OrderStatus.VBANK_ISSUED)
# While an order is in one of these, a webhook or reconciliation may still move it: its page
# keeps asking (static/js/order-status.js) and reloads when the status changes.
WATCHED = (
    OrderStatus.PENDING,
    OrderStatus.FAILED,
    OrderStatus.VBANK_ISSUED,
    OrderStatus.NEEDS_REVIEW,
)


@bp.app_context_processor
def order_page_helpers() -> dict:
    return {
        "watched_statuses": WATCHED,
        "payable_statuses": [status.value for status in PAYABLE],
        "owns": owns,
        "cancel_offer": lambda order: (
            CANCEL_OFFERS.get(order.status) if owns(order) and not sent(order.fulfilment) else None
        ),
        "progress": progress,
        "payment_shown": payment_shown,
        "paid_with": paid_with,
        "refund_source": refund_source,  # the cancel page's figures, as the admin's form
    }


@bp.get("/<merchant_uid>")
@private
def show(merchant_uid: str):
    order = find_order(merchant_uid)
    return render_template("orders/show.html", order=order, view=describe(order), linked=False)


@bp.get("/link/<token>")
@private
def linked(token: str):
    """The link in a notice (shop.web.signed_links): the order with the buyer's details on any
    device. It gives this browser nothing more: paying and cancelling still ask for 주문조회."""
    try:
        merchant_uid = linked_merchant_uid(token)
    except LinkExpired:
        return to_lookup(
            f"주문 링크의 사용 기간({LIFETIME.days}일)이 지났습니다. "
            "주문번호와 휴대폰 번호로 주문을 찾아 주세요."
        )
    if merchant_uid is None:
        abort(404)
    order = find_order(merchant_uid)
    return render_template("orders/show.html", order=order, view=describe(order), linked=True)


@bp.get("/<merchant_uid>/status")
@limiter.limit(limit_setting("RATELIMIT_ORDER_STATUS"))
def status(merchant_uid: str):
    """The stored status only: cheap enough to ask every few seconds."""
    order = find_order(merchant_uid)
    return jsonify(status=order.status.value, label=order.status.label)


@bp.get("/<merchant_uid>/pay")
@private
def pay(merchant_uid: str):
    order = find_order(merchant_uid)
    if order.status not in PAYABLE:
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    if not owns(order):
        return to_lookup("결제하시려면 주문조회에서 주문번호와 휴대폰 번호로 주문을 찾아 주세요.")
    methods = offered(current_app.config)
    key = request.args.get("method", order.pay_method)
    key = key if key in methods else order.pay_method
    # private: Back after paying must ask the server again (which sends a paid order to its
    # page), not show a stored copy with a live 결제하기 button.
    return render_template(
        "orders/pay.html",
        order=order,
        method=METHODS[key],
        others=[(other, METHODS[other]) for other in methods if other != key],
        pay_request=pay_request(order, key),
    )


CANCELABLE_HERE = (*CANCELLABLE, *HOLDS_MONEY)
# The cancel the order's page offers, worded for the status. None for an order never paid
# (unpaid, declined, expired): it holds nothing to give back, and an unpaid one may still be
# paid. Nor is one offered once the goods have left (shop.core.fulfilment.sent): they come back
# as a 반품, and the cancel route refuses.
CANCEL_OFFERS = {OrderStatus.VBANK_ISSUED: "주문 취소 (입금 전)"} | dict.fromkeys(
    HOLDS_MONEY, "주문 취소"
)


def remember_order(order: Order) -> None:
    """This session placed the order or found it through 주문조회 (the URL alone is not enough)."""
    session["orders"] = [*session.get("orders", [])[-19:], order.merchant_uid]


def to_lookup(message: str):
    flash(message, "error")
    return redirect(url_for("lookup.lookup"))


def owns(order: Order) -> bool:
    return order.merchant_uid in session.get("orders", [])


def cancel_form(order: Order) -> CancelForm:
    paid_account = order.status in HOLDS_MONEY and order.pay_method == "vbank"
    return RefundAccountForm() if paid_account else CancelForm()


@bp.route("/<merchant_uid>/cancel", methods=["GET", "POST"])
@private
@limiter.limit(limit_setting("RATELIMIT_CANCEL"), methods=["POST"])
def cancel(merchant_uid: str):
    """주문 취소: a confirmation page, then one cancel however often the button is pressed."""
    order = find_order(merchant_uid)
    if not owns(order):
        return to_lookup(
            "주문을 취소하시려면 주문조회에서 주문번호와 휴대폰 번호로 주문을 찾아 주세요."
        )
    if order.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        flash("이미 취소된 주문입니다.", "success")
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    if order.status not in CANCELABLE_HERE:
        flash(f"{order.status.label} 상태의 주문은 취소할 수 없습니다.", "error")
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    if sent(order.fulfilment):
        flash(GOODS_SENT, "error")
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    form = cancel_form(order)
    if form.validate_on_submit():
        account = form.account() if isinstance(form, RefundAccountForm) else None
        try:
            cancel_order(current_app.extensions["portone"], merchant_uid, account)
        except RefundRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            flash("주문을 취소했습니다.", "success")
        return redirect(url_for("orders.show", merchant_uid=merchant_uid))
    return render_template("orders/cancel.html", order=order, form=form)
