"""What the operator may do to an order's money: refund it, ask PortOne again (its goods:
shop.admin.shipping).

Refunds and syncs go through the shop's one refund service and one sync, so the ledger, the
checksums, the automatic refunds and the timeline apply as to any other path.
"""

from flask import current_app, flash, redirect, url_for

from shop.admin.blueprint import bp
from shop.admin.forms import ConfirmForm, refund_form
from shop.admin.orders import render_order
from shop.core.extensions import db
from shop.core.ledger import EventSource, RefundCause
from shop.core.models import Order
from shop.core.queries import find_order
from shop.payments import cancellation
from shop.payments.outcomes import Outcome, SyncResult
from shop.payments.refunds import RefundRefused, refund_source
from shop.payments.sync import sync_latest, sync_payment

SOURCE = EventSource.ADMIN
SYNC_NOTE = "관리자가 PortOne에 다시 확인"


def gateway():
    return current_app.extensions["portone"]


def back_to(order: Order):
    return redirect(url_for("admin.order", merchant_uid=order.merchant_uid))


@bp.post("/orders/<merchant_uid>/refund")
def refund(merchant_uid: str):
    order = find_order(merchant_uid)
    form = refund_form(refund_source(order))
    if form is None:
        flash("이 주문에는 환불할 결제가 없습니다.", "error")
        return back_to(order)
    if not form.validate_on_submit():
        return render_order(order, form)
    try:
        cancellation.refund(
            gateway(),
            merchant_uid,
            form.reason.data.strip(),
            RefundCause.OPERATOR,
            form.amount.data,
            form.account(),
        )
    except RefundRefused as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return render_order(order, form)
    flash(f"{form.amount.data:,}원을 환불했습니다. 주문 상태: {order.status.label}", "success")
    return back_to(order)


@bp.post("/orders/<merchant_uid>/sync")
def resync(merchant_uid: str):
    order = find_order(merchant_uid)
    if not ConfirmForm().validate_on_submit():
        flash("PortOne에 다시 확인하려면 확인란을 선택해 주세요.", "error")
        return back_to(order)
    before = order.status
    results = sync_order(order)
    flash(*sync_message(results, before, order))
    return back_to(order)


def sync_order(order: Order) -> list[SyncResult]:
    """Each payment the shop knows of, or PortOne's newest for the order when it knows none."""
    imp_uids = [payment.imp_uid for payment in order.payments]
    merchant_uid = order.merchant_uid
    db.session.commit()  # no transaction stays open while PortOne is asked
    if not imp_uids:
        return [sync_latest(gateway(), merchant_uid, SOURCE, SYNC_NOTE)]
    return [sync_payment(gateway(), uid, SOURCE, merchant_uid, SYNC_NOTE) for uid in imp_uids]


def sync_message(results: list[SyncResult], before, order: Order) -> tuple[str, str]:
    outcomes = {result.outcome for result in results}
    if Outcome.UNAVAILABLE in outcomes:
        return (
            "PortOne 또는 데이터베이스에 연결하지 못했습니다. 잠시 후 다시 시도해 주세요.",
            "error",
        )
    if outcomes == {Outcome.UNKNOWN_PAYMENT}:
        return "PortOne에 이 주문의 결제가 없습니다. 주문 상태는 그대로입니다.", "success"
    if order.status == before:
        return f"PortOne에 다시 확인했습니다. 주문 상태는 그대로입니다 ({before.label}).", "success"
    return (
        f"PortOne에 다시 확인했습니다. 주문 상태: {before.label} → {order.status.label}",
        "success",
    )
