"""The cart lives until payment: an order placed from it empties it only once the order is
paid (or its virtual account issued), so a declined or closed payment finds it still full.

The session remembers the waiting order and the quantities it took; the next request after
the payment removes just those (the customer may have added more since)."""

from flask import Flask, before_render_template, session
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from shop.core.extensions import db
from shop.core.models import Order, OrderStatus
from shop.payments.states import CLOSED, HOLDS_MONEY
from shop.storefront.cart import cart_quantities, save_cart

BOUGHT = (*HOLDS_MONEY, OrderStatus.VBANK_ISSUED)
GIVEN_UP = (*CLOSED, OrderStatus.EXPIRED, OrderStatus.FORGED)


def register(app: Flask) -> None:
    app.before_request(settle_cart)
    # Again before a page is drawn: the request itself may have synced the payment (the
    # mobile return), and that very page shows the cart it emptied.
    before_render_template.connect(settle_before_rendering, app)


def settle_before_rendering(sender: Flask, **extra) -> None:
    settle_cart()


def await_payment(merchant_uid: str, buy_now: bool = False) -> None:
    """A 바로 구매 takes nothing from the cart; it leaves the session's buy_now once paid."""
    quantities = {} if buy_now else cart_quantities()
    session["cart_order"] = {"merchant_uid": merchant_uid, "quantities": quantities}
    if buy_now:
        session["cart_order"]["buy_now"] = True


def settle_cart() -> None:
    waiting = session.get("cart_order")
    if not waiting:
        return
    try:
        status = status_of(waiting.get("merchant_uid"))
    except DBAPIError:  # the page itself says what it can; the cart waits for the next one
        db.session.rollback()
        return
    if status in BOUGHT and waiting.get("buy_now"):
        session.pop("buy_now", None)
    elif status in BOUGHT:
        save_cart(minus(cart_quantities(), waiting.get("quantities", {})))
    if status is None or status in BOUGHT or status in GIVEN_UP:
        session.pop("cart_order")


def status_of(merchant_uid) -> OrderStatus | None:
    query = select(Order.status).where(Order.merchant_uid == str(merchant_uid))
    return db.session.execute(query).scalar_one_or_none()


def minus(cart: dict[str, int], bought: dict[str, int]) -> dict[str, int]:
    left = {key: count - bought.get(key, 0) for key, count in cart.items()}
    return {key: count for key, count in left.items() if count > 0}
