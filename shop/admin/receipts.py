"""다시 요청: a cash receipt PortOne refused or did not answer for (shop.payments.cash_receipts),
asked for again by the operator as reconciliation would."""

from flask import flash

from shop.admin.actions import back_to, gateway
from shop.admin.blueprint import bp
from shop.core.ledger import EventSource
from shop.core.queries import find_order
from shop.payments.cash_receipts import Attempt, Receipting, settle_receipt


@bp.post("/orders/<merchant_uid>/cash-receipt")
def retry_cash_receipt(merchant_uid: str):
    order = find_order(merchant_uid)
    attempts = settle_receipt(gateway(), merchant_uid, EventSource.ADMIN)
    flash(*said(attempts))
    return back_to(order)


def said(attempts: list[Attempt]) -> tuple[str, str]:
    if not attempts:
        return "PortOne에 요청할 현금영수증이 없습니다 (이미 처리되었습니다).", "error"
    last = attempts[-1]
    if last.outcome is Receipting.FAILED:
        return f"PortOne에 현금영수증을 요청하지 못했습니다: {last.error}", "error"
    return f"PortOne에 요청했습니다: {last.outcome.label}", "success"
