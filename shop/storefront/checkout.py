"""Checkout: the 주문서. Its 결제하기 places the order through jQuery.ajax and opens the
payment window at once (static/js/checkout.js); without JavaScript the same form posts and
leads to the order's pay page. Either way the order is made on the server
(shop.storefront.placing) before the customer sees a window."""

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select

from shop.core.extensions import db, limit_setting, limiter
from shop.core.models import Order, Product
from shop.core.shipping import totals_for
from shop.payments.request_pay import pay_request
from shop.storefront import cart, orders, paid_cart
from shop.storefront.forms import CheckoutForm, QuantityForm
from shop.storefront.placing import CheckoutRefused, place_order
from shop.web.errors import wants_json
from shop.web.inputs import flash_errors
from shop.web.security import private

bp = Blueprint("checkout", __name__, url_prefix="/checkout")

SOURCES = ("cart", "buy_now")
# What the browser offers again on the next 주문서. Kept in the session (a signed, HttpOnly
# cookie that ends with the session) rather than localStorage, where every script of the
# page could read a buyer's address and it would stay after the browser is closed.
REMEMBERED = (
    "buyer_name", "buyer_email", "buyer_tel", "same_as_buyer", "recipient_name",
    "recipient_tel", "buyer_postcode", "buyer_addr", "address_detail", "delivery_memo",
    "delivery_memo_typed", "pay_method", "cash_receipt", "cash_receipt_phone",
    "cash_receipt_business",
)  # fmt: skip


def quantities_for(source: str) -> dict[str, int]:
    return dict(session.get("buy_now", {})) if source == "buy_now" else cart.cart_quantities()


@bp.post("/buy-now/<row_id:product_id>")
def buy_now(product_id: int):
    """바로 구매: just this product goes to checkout; the cart is left as it is."""
    product = db.get_or_404(Product, product_id)
    form = QuantityForm()
    if not form.validate():
        flash_errors(form)
        return redirect(url_for("catalog.product", slug=product.slug))
    if form.quantity.data > product.stock:
        flash(f"재고가 부족합니다. 남은 수량은 {product.stock}개입니다.", "error")
        return redirect(url_for("catalog.product", slug=product.slug))
    session["buy_now"] = {str(product_id): form.quantity.data}
    return redirect(url_for("checkout.form", source="buy_now"))


@bp.route("", methods=["GET", "POST"])
@private
@limiter.limit(limit_setting("RATELIMIT_CHECKOUT"), methods=["POST"])
def form():
    source = request.values.get("source", "cart")
    source = source if source in SOURCES else "cart"
    checkout_form = CheckoutForm(source=source, data=session.get("last_buyer"))
    items = cart.items_in(quantities_for(source))
    if not items:
        return nothing_to_order()
    if checkout_form.validate_on_submit():
        try:
            return placed(place_order(items, checkout_form), source, checkout_form)
        except CheckoutRefused as refusal:
            db.session.rollback()
            if wants_json():
                return refused(refusal.message, refusal.status)
            flash(refusal.message, "error")
    elif checkout_form.is_submitted() and wants_json():
        return invalid(checkout_form)
    return render_template(
        "checkout/form.html",
        form=checkout_form,
        items=items,
        totals=totals_for(cart.total(items)),
    )


def nothing_to_order():
    """Usually Back after paying: the cart was emptied by the order, which the customer sees."""
    bought = db.session.scalar(
        select(Order).where(Order.merchant_uid == session.get("checkout_order"))
    )
    if bought is not None and bought.status in paid_cart.BOUGHT and not wants_json():
        return redirect(url_for("orders.show", merchant_uid=bought.merchant_uid))
    message = "주문할 상품이 없습니다. 상품을 먼저 담아 주세요."
    if wants_json():
        return refused(message, 409, redirect_url=url_for("catalog.index"))
    flash(message, "error")
    return redirect(url_for("catalog.index"))


def placed(order: Order, source: str, form: CheckoutForm):
    keep_items_until_paid(source, order)
    orders.remember_order(order)
    session["last_buyer"] = {name: form[name].data for name in REMEMBERED}
    pay_page = url_for("orders.pay", merchant_uid=order.merchant_uid)
    if not wants_json():
        return redirect(pay_page)
    return jsonify(
        request=pay_request(order),
        payUrl=pay_page,
        resultUrl=url_for("orders.show", merchant_uid=order.merchant_uid),
        statusUrl=url_for("orders.status", merchant_uid=order.merchant_uid),
    )


def refused(message: str, status: int, **extra) -> tuple[Response, int]:
    return jsonify(status="error", message=message, **extra), status


def invalid(form: CheckoutForm) -> tuple[Response, int]:
    """A stale CSRF token never gets here: shop.web.errors answers it for every route."""
    errors = [{"field": name, "messages": texts} for name, texts in form.errors.items()]
    return refused("입력 내용을 확인해 주세요.", 422, errors=errors)  # in the page's order


def keep_items_until_paid(source: str, order: Order) -> None:
    """A declined or closed payment must not lose the cart: it is emptied once paid
    (shop.storefront.paid_cart.settle_cart). A 바로 구매 stays too, for paying again."""
    paid_cart.await_payment(order.merchant_uid, buy_now=source == "buy_now")
