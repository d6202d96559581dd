"""Checkout: the order is created on the server, priced from the database, and pre-registered
with the gateway (/payments/prepare) before the customer ever sees a pay button."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import insert, select

from shop.core.extensions import db, limit_setting, limiter
from shop.core.models import Order, OrderLine, Product, new_merchant_uid, new_order_number
from shop.core.shipping import totals_for
from shop.payments.gateway import GatewayError
from shop.storefront import cart, orders, paid_cart
from shop.storefront.forms import CheckoutForm, QuantityForm
from shop.web.security import private

bp = Blueprint("checkout", __name__, url_prefix="/checkout")

SOURCES = ("cart", "buy_now")


def quantities_for(source: str) -> dict[str, int]:
    return dict(session.get("buy_now", {})) if source == "buy_now" else cart.cart_quantities()


@bp.post("/buy-now/<row_id:product_id>")
def buy_now(product_id: int):
    """바로 구매: just this product goes to checkout; the cart is left as it is."""
    product = db.get_or_404(Product, product_id)
    form = QuantityForm()
    if not form.validate():
        cart.flash_errors(form)
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
    if source not in SOURCES:
        source = "cart"
    checkout_form = CheckoutForm(source=source)
    items = cart.items_in(quantities_for(source))
    if not items:
        flash("주문할 상품이 없습니다. 상품을 먼저 담아 주세요.", "error")
        return redirect(url_for("catalog.index"))
    if checkout_form.validate_on_submit():
        shortage = out_of_stock(items)
        if shortage:
            flash(shortage, "error")
        else:
            order = place_order(items, checkout_form)
            if order is not None:
                keep_items_until_paid(source, order)
                orders.remember_order(order)
                return redirect(url_for("orders.pay", merchant_uid=order.merchant_uid))
    return render_template(
        "checkout/form.html",
        form=checkout_form,
        items=items,
        totals=totals_for(cart.total(items)),
    )


def out_of_stock(items: list[cart.Item]) -> str | None:
    for item in items:
        if item.quantity > item.product.stock:
            return f"{item.product.name}의 재고가 부족합니다 (남은 수량 {item.product.stock}개)."
    return None


def place_order(items: list[cart.Item], form: CheckoutForm) -> Order | None:
    """Save the order only once the gateway knows its amount; otherwise nothing is kept. No
    transaction is open while PortOne is asked (on SQLite it would hold the write lock)."""
    order, lines = new_order(items, form), line_rows(items)
    db.session.commit()  # ends the reads (products, the order number) before PortOne is asked
    try:
        current_app.extensions["portone"].prepare(order.merchant_uid, order.amount, order.currency)
    except GatewayError as error:
        current_app.logger.warning("prepare failed for a new order: %r", error)
        flash("결제 준비 중 문제가 생겼습니다. 잠시 후 다시 주문해 주세요.", "error")
        return None
    db.session.add(order)
    db.session.flush()
    db.session.execute(insert(OrderLine).values([line | {"order_id": order.id} for line in lines]))
    db.session.commit()
    return order


def new_order(items: list[cart.Item], form: CheckoutForm) -> Order:
    totals = totals_for(cart.total(items))
    return Order(
        merchant_uid=new_merchant_uid(),
        number=unused_order_number(),
        name=order_name(items),
        amount=totals.amount,
        shipping_fee=totals.shipping,
        currency="KRW",
        pay_method=form.pay_method.data,
        buyer_name=form.buyer_name.data.strip(),
        buyer_email=form.buyer_email.data.strip(),
        buyer_tel=form.buyer_tel.data.strip(),
        buyer_addr=form.buyer_addr.data.strip(),
        buyer_postcode=form.buyer_postcode.data.strip(),
    )


def line_rows(items: list[cart.Item]) -> list[dict]:
    """The order's lines, priced from the database; inserted in one statement."""
    return [
        {
            "product_id": item.product.id,
            "name": item.product.name,
            "unit_price": item.product.price,
            "quantity": item.quantity,
        }
        for item in items
    ]


def unused_order_number() -> str:
    """Six random digits a day: a clash is rare, and the unique column is the last word."""
    while True:
        number = new_order_number()
        if db.session.execute(select(Order.id).where(Order.number == number)).first() is None:
            return number


def order_name(items: list[cart.Item]) -> str:
    first = items[0].product.name
    return first if len(items) == 1 else f"{first} 외 {len(items) - 1}건"


def keep_items_until_paid(source: str, order: Order) -> None:
    """A declined or closed payment must not lose the cart: it is emptied once paid
    (shop.storefront.paid_cart.settle_cart)."""
    if source == "buy_now":
        session.pop("buy_now", None)
    else:
        paid_cart.await_payment(order.merchant_uid)
