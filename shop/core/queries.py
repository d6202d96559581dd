"""Orders found by the id the outside world knows them by: their merchant_uid."""

from flask import abort
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import ReturnRequest
from shop.core.models import Order


def order_named(merchant_uid: str) -> Order | None:
    if not merchant_uid:
        return None
    query = select(Order).where(Order.merchant_uid == merchant_uid)
    return db.session.execute(query).scalar_one_or_none()


def find_order(merchant_uid: str) -> Order:
    return order_named(merchant_uid) or abort(404)


def return_of(order: Order) -> ReturnRequest | None:
    query = select(ReturnRequest).where(ReturnRequest.order_id == order.id)
    return db.session.execute(query).scalar_one_or_none()
