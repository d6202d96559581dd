"""Escrow shipments (에스크로 배송정보): once an escrow payment's goods have left, PortOne is told
who sent them, to whom, with which courier and invoice (POST /escrows/logis/{imp_uid}), so the
buyer can confirm the purchase and the money is released to the shop.

Asked after the move is committed, never inside a transaction. The goods stay sent whatever
PortOne says: a refusal or no answer is kept on the order (escrow_error) and on its timeline,
and the operator's 다시 등록 or reconciliation asks again, until it is registered once.
A payment is an escrow payment when PortOne's fetched payment says so (Payment.escrow).
"""

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import EventSource, Payment, PaymentEvent
from shop.core.models import Order, as_utc
from shop.payments.events import column_text, new_event
from shop.payments.gateway import GatewayError, PortOne
from shop.payments.shipments import locked
from shop.payments.states import holds_money

CONFLICT = 409  # PortOne's answer to a second registration (and to other refusals)


class Registration(enum.Enum):
    """What became of a registration; the value is its event's outcome."""

    REGISTERED = "escrow_registered"
    FAILED = "escrow_failed"
    NOTHING = "escrow_nothing"  # not an escrow order, not shipped, or registered already

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Registration.REGISTERED: "에스크로 배송정보 등록",
    Registration.FAILED: "에스크로 배송정보 등록 실패",
    Registration.NOTHING: "에스크로 배송정보 없음",
}


@dataclass(frozen=True)
class Attempt:
    outcome: Registration
    error: str | None = None  # what PortOne said, or that it did not answer


@dataclass(frozen=True)
class Shipment:
    order_id: int
    imp_uid: str
    body: dict[str, Any]


def register_shipment(gateway: PortOne, merchant_uid: str, source: EventSource) -> Attempt:
    """Register the order's parcel with PortOne unless there is nothing to register."""
    due = shipment_of(merchant_uid)
    db.session.commit()  # end the read: no transaction is open while PortOne is asked
    if due is None:
        return Attempt(Registration.NOTHING)
    return recorded(due, sent(gateway, due), source)


def awaiting(order: Order) -> Payment | None:
    """The escrow payment whose shipped parcel PortOne has not registered yet."""
    if order.escrow_registered_at is not None or not shipped(order):
        return None
    return next((p for p in order.payments if p.escrow and holds_money(p)), None)


def shipped(order: Order) -> bool:
    return None not in (order.shipped_at, order.courier, order.invoice_number)


def unregistered_shipments() -> list[str]:
    """The orders with an escrow payment whose goods left but are not registered."""
    query = (
        select(Order.merchant_uid)
        .join(Payment, Payment.order_id == Order.id)
        .where(Payment.escrow, Order.shipped_at.is_not(None), Order.escrow_registered_at.is_(None))
        .distinct()
    )
    found = list(db.session.execute(query).scalars())
    db.session.commit()
    return sorted(found)


def shipment_of(merchant_uid: str) -> Shipment | None:
    order = db.session.execute(select(Order).where(Order.merchant_uid == merchant_uid)).scalar_one()
    payment = awaiting(order)
    if payment is None:
        return None
    return Shipment(order.id, payment.imp_uid, shipment_body(order))


def shipment_body(order: Order) -> dict[str, Any]:
    """The spec's sender (the shop), receiver (the order's recipient) and logis."""
    assert order.courier is not None and order.shipped_at is not None
    return {
        "sender": shop_as_sender(current_app.config["SHIPPING_ORIGIN"]),
        "receiver": {
            "name": order.recipient_name or order.buyer_name,
            "tel": order.recipient_tel or order.buyer_tel,
            "addr": order.delivery_address,
            "postcode": order.buyer_postcode,
        },
        "logis": {
            "company": order.courier.value,
            "invoice": order.invoice_number,
            "sent_at": int(as_utc(order.shipped_at).timestamp()),
        },
    }


def shop_as_sender(origin: dict[str, str]) -> dict[str, str]:
    """SHIPPING_ORIGIN, the place the parcels leave from, in the spec's sender fields."""
    fields = {"name": "이름", "tel": "전화", "addr": "주소", "postcode": "우편번호"}
    return {field: origin.get(key, "") for field, key in fields.items()}


def sent(gateway: PortOne, due: Shipment) -> str | None:
    """None once PortOne holds the shipment; else what it said. A registration whose answer
    was lost is registered already: PortOne then takes the shipment as a change (PUT)."""
    try:
        gateway.register_escrow_shipment(due.imp_uid, due.body)
    except GatewayError as refused:
        if refused.status != CONFLICT or not registered_already(gateway, due.imp_uid):
            return refused.message
        return changed(gateway, due)
    return None


def registered_already(gateway: PortOne, imp_uid: str) -> bool:
    try:
        gateway.escrow_shipment(imp_uid)
    except GatewayError:
        return False
    return True


def changed(gateway: PortOne, due: Shipment) -> str | None:
    try:
        gateway.update_escrow_shipment(due.imp_uid, due.body)
    except GatewayError as refused:
        return refused.message
    return None


def recorded(due: Shipment, error: str | None, source: EventSource) -> Attempt:
    """Keep the answer on the order and its timeline; a registration made meanwhile by
    another request stands."""
    order = locked(due.order_id)
    if order.escrow_registered_at is not None:
        db.session.commit()
        return Attempt(Registration.REGISTERED)
    attempt = Attempt(Registration.FAILED if error else Registration.REGISTERED, error)
    order.escrow_error = column_text(error, 500)
    if error is None:
        order.escrow_registered_at = datetime.now(UTC)
    db.session.add(registration_event(order, due, source, attempt))
    db.session.commit()
    return attempt


def registration_event(
    order: Order, due: Shipment, source: EventSource, attempt: Attempt
) -> PaymentEvent:
    logis = due.body["logis"]
    note = f"{attempt.outcome.label}: {logis['company']} {logis['invoice']}"
    event = new_event(source, due.imp_uid, order.merchant_uid, note)
    if attempt.error:
        event.detail = column_text(f"{note}; PortOne: {attempt.error}", 500)
    event.order_id, event.outcome = order.id, attempt.outcome.value
    event.order_status_before = event.order_status_after = order.status.value
    return event
