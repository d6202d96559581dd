"""Placing an order from the 주문서: priced from the database, its lines frozen, and saved only
once the gateway knows its amount (/payments/prepare). Paying again after a decline or a closed
window reuses the checkout's order, so one checkout stays one order with its attempts inside."""

from flask import current_app, session
from sqlalchemy import insert, select

from shop.core.extensions import db
from shop.core.models import Order, OrderLine, OrderStatus, new_merchant_uid, new_order_number
from shop.core.shipping import totals_for
from shop.payments.gateway import GatewayError
from shop.storefront import cart
from shop.storefront.consent import records
from shop.storefront.forms import CheckoutForm

# An order its checkout may pay again: nothing was taken and no account is waiting.
REUSABLE = (OrderStatus.PENDING, OrderStatus.FAILED)


class CheckoutRefused(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def place_order(items: list[cart.Item], form: CheckoutForm) -> Order:
    refuse_shortage(items)
    order = reusable_order(items)
    if order is None:
        order = new_order(items, form)
    else:
        fill_in(order, form)
    db.session.commit()
    session["checkout_order"] = order.merchant_uid
    return order


def refuse_shortage(items: list[cart.Item]) -> None:
    for item in items:
        if item.quantity > item.product.stock:
            raise CheckoutRefused(
                f"{item.product.name}의 재고가 부족합니다 (남은 수량 {item.product.stock}개).", 409
            )


def reusable_order(items: list[cart.Item]) -> Order | None:
    """The order this session's checkout placed last, if it still sells the same lines at the
    same prices: its amount is already registered with the gateway."""
    merchant_uid = session.get("checkout_order")
    order = db.session.scalar(select(Order).where(Order.merchant_uid == merchant_uid))
    if order is None or order.status not in REUSABLE:
        return None
    sold = [(line.product_id, line.unit_price, line.quantity) for line in order.lines]
    asked = [(item.product.id, item.product.price, item.quantity) for item in items]
    same_amount = order.amount == totals_for(cart.total(items)).amount
    return order if sold == asked and same_amount else None


def new_order(items: list[cart.Item], form: CheckoutForm) -> Order:
    """No transaction is open while PortOne is asked (on SQLite it would hold the write lock)."""
    totals = totals_for(cart.total(items))
    order = Order(
        merchant_uid=new_merchant_uid(),
        number=unused_order_number(),
        name=order_name(items),
        amount=totals.amount,
        shipping_fee=totals.shipping,
        currency="KRW",
    )
    db.session.commit()  # ends the reads (products, the order number) before PortOne is asked
    prepare(order)
    fill_in(order, form)
    db.session.add(order)
    db.session.flush()
    db.session.execute(
        insert(OrderLine).values([line | {"order_id": order.id} for line in lines(items)])
    )
    return order


def prepare(order: Order) -> None:
    try:
        current_app.extensions["portone"].prepare(order.merchant_uid, order.amount, order.currency)
    except GatewayError as error:
        current_app.logger.warning("prepare failed for a new order: %r", error)
        raise CheckoutRefused(
            "결제 준비 중 문제가 생겼습니다. 잠시 후 다시 결제해 주세요.", 503
        ) from error


def fill_in(order: Order, form: CheckoutForm) -> None:
    """What the buyer typed: theirs to correct on each attempt; the lines and amount are not."""
    order.pay_method = form.pay_method.data
    order.buyer_name = form.buyer_name.data.strip()
    order.buyer_email = form.buyer_email.data.strip()
    order.buyer_tel = form.buyer_tel.data.strip()
    order.recipient_name, order.recipient_tel = form.recipient()
    order.buyer_postcode = form.buyer_postcode.data.strip()
    order.buyer_addr = form.buyer_addr.data.strip()
    order.address_detail = form.address_detail.data.strip()
    order.delivery_memo = form.memo()
    order.cash_receipt_purpose, order.cash_receipt_number = form.cash_receipt_choice()
    agree_again(order, form)


def agree_again(order: Order, form: CheckoutForm) -> None:
    """Each attempt is agreed to anew; a row per item is updated, never duplicated."""
    agreed = records([item for item, field in form.consent_fields() if field.data])
    stored = {consent.item: consent for consent in order.consents}
    for consent in agreed:
        if consent.item in stored:
            stored[consent.item].version = consent.version
            stored[consent.item].agreed_at = consent.agreed_at
        else:
            order.consents.append(consent)


def lines(items: list[cart.Item]) -> list[dict]:
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
