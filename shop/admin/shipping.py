"""What the operator does with an order's goods: 상품준비중, 배송 시작 with the courier and the
invoice number, 배송완료 and 구매확정; each through shop.payments.shipments, so the money is
checked and the move recorded on the timeline as any other. An escrow order's parcel is then
registered with PortOne (shop.payments.escrow), and registered again by 다시 등록."""

from flask import abort, flash

from shop.admin.actions import back_to, gateway
from shop.admin.blueprint import bp
from shop.admin.forms import ConfirmForm, ShipForm
from shop.admin.orders import BUTTON_WORDS, render_order
from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import EventSource
from shop.core.models import Order
from shop.core.queries import find_order
from shop.payments import escrow, shipments
from shop.payments.escrow import Attempt, Registration
from shop.payments.shipments import Refusal

SOURCE = EventSource.ADMIN
# The moves the operator makes with a button alone (배송 시작 takes a form: ship).
BUTTONS = {move.value: move for move in BUTTON_WORDS}


@bp.post("/orders/<merchant_uid>/ship")
def ship(merchant_uid: str):
    order = find_order(merchant_uid)
    form = ShipForm()
    if not form.validate_on_submit():
        return render_order(order, ship_form=form), 400
    before = order.fulfilment
    refusal = shipments.ship(order, *form.shipment(), SOURCE)
    answer = finish(order, before, Fulfilment.SHIPPING, refusal)
    if refusal is None:
        say_registered(escrow.register_shipment(gateway(), merchant_uid, SOURCE))
    return answer


@bp.post("/orders/<merchant_uid>/escrow")
def register_escrow(merchant_uid: str):
    """다시 등록: the escrow parcel PortOne refused or did not hear of."""
    order = find_order(merchant_uid)
    attempt = escrow.register_shipment(gateway(), merchant_uid, SOURCE)
    if attempt.outcome is Registration.NOTHING:
        flash(
            "다시 등록할 에스크로 배송정보가 없습니다 (이미 등록되었거나 에스크로 결제가 아닙니다).",
            "error",
        )
    say_registered(attempt)
    return back_to(order)


def say_registered(attempt: Attempt) -> None:
    if attempt.outcome is Registration.REGISTERED:
        flash("PortOne에 에스크로 배송정보를 등록했습니다.", "success")
    elif attempt.outcome is Registration.FAILED:
        flash(f"PortOne에 에스크로 배송정보를 등록하지 못했습니다: {attempt.error}", "error")


@bp.post("/orders/<merchant_uid>/fulfilment/<to>")
def advance(merchant_uid: str, to: str):
    target = BUTTONS.get(to) or abort(404)
    order = find_order(merchant_uid)
    if not ConfirmForm().validate_on_submit():
        flash(f"‘{target.label}’ 단계로 바꾸려면 확인란을 선택해 주세요.", "error")
        return back_to(order)
    before = order.fulfilment
    refusal = shipments.advance(order, target, SOURCE)
    return finish(order, before, target, refusal)


def finish(order: Order, before: Fulfilment, target: Fulfilment, refusal: Refusal | None):
    """Commit the move (or nothing) and say what became of it."""
    db.session.commit()
    if refusal is None:
        flash(f"배송 상태: {before.label} → {target.label}", "success")
    else:
        flash(refused(order, target, refusal), "error")
    return back_to(order)


def refused(order: Order, target: Fulfilment, refusal: Refusal) -> str:
    return (
        f"‘{target.label}’ 단계로 바꾸지 못했습니다. {refusal.value}. "
        f"(주문 상태: {order.status.label}, 배송 상태: {order.fulfilment.label})"
    )
