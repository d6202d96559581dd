"""The buyer's side of the sandbox: iamport.payment.js, the test payment window, its sales slips
(매출전표, a payment's receipt_url) and cash receipts (a 현금영수증's receipt_url, receipts.py).

The window plays PortOne's part: it checks the request (window_request.py), records the payment
as `ready`, lets the tester approve (a card with the 할부 of installments.py), decline or close
it, and sends the result back the way PortOne does (window_result.py). What each decision does
to the payment is the simulated PG's (pg.py). An approval and an issued virtual account also
send their webhook (webhooks.py); a failure sends none. Before either, a request with
confirm_url asks the merchant first (confirm.py).
"""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from . import installments, labels, pg, switchboard, webhooks
from .current import store
from .pay_request import order_refusal
from .store.documents import is_decided
from .webguard import Payment
from .window_request import (
    malformed_request,
    requested_checkout,
    requested_params,
    requested_payment,
)
from .window_result import deliver, refusal_rsp, result_rsp

bp = Blueprint("window", __name__)
bp.add_app_template_filter(labels.format_money, "money")
bp.add_app_template_filter(labels.format_kst, "kst")
bp.add_app_template_filter(labels.pay_method_label, "pay_method_label")
bp.add_app_template_filter(labels.status_label, "status_label")
bp.add_app_template_filter(labels.cash_receipt_type_label, "cash_receipt_type")
bp.add_app_template_filter(installments.quota_label, "quota_label")
bp.add_app_template_global(labels.order_reference, "order_reference")


@bp.app_context_processor
def merchant() -> dict[str, str]:
    return {"merchant_name": current_app.config["SANDBOX_MERCHANT_NAME"]}


@bp.get("/iamport.payment.js")
def script() -> ResponseReturnValue:
    return current_app.send_static_file("sandbox/iamport.payment.js")


# Under a path of its own: /receipts/{imp_uid} is PortOne's cash receipt API (receipts.py).
@bp.get("/slips/<imp_uid>")
def slip(imp_uid: str) -> ResponseReturnValue:
    payment = store().get_payment(imp_uid) or abort(404)
    return render_template("sandbox/slip.html", payment=payment)


@bp.get("/cash-receipts/<receipt_tid>")
def cash_receipt(receipt_tid: str) -> ResponseReturnValue:
    receipt = store().receipt_by_tid(receipt_tid) or abort(404)
    return render_template("sandbox/cash_receipt.html", receipt=receipt)


@bp.post("/window")
def open_window() -> ResponseReturnValue:
    params = requested_params()
    checkout = requested_checkout(params)
    refusal = malformed_request(params, checkout) or order_refusal(params)
    if refusal:
        return deliver(refusal_rsp(params, *refusal), checkout)
    if switchboard.take(store(), "window_fails_to_open"):
        return pg_failure(params, checkout)
    payment = store().insert_payment(checkout=checkout, **requested_payment(params))
    return redirect(url_for(".show", imp_uid=payment["imp_uid"]), 303)


@bp.get("/window/<imp_uid>")
def show(imp_uid: str) -> ResponseReturnValue:
    payment, checkout = load(imp_uid)
    if is_decided(payment, checkout):
        return deliver(result_rsp(payment, checkout), checkout)
    return render_template(
        "sandbox/window.html",
        payment=payment,
        declines=pg.DECLINES,
        card_quotas=installments.offered_quotas(payment, checkout),
        installment_note=installments.installment_note(payment),
    )


@bp.post("/window/<imp_uid>/<outcome>")
def decide(imp_uid: str, outcome: str) -> ResponseReturnValue:
    if outcome not in pg.OUTCOMES:
        abort(404)
    payment, checkout = load(imp_uid)
    if not is_decided(payment, checkout):
        if not pg.fits_pay_method(outcome, payment["pay_method"]):
            abort(400)
        changes, error_code = pg.OUTCOMES[outcome](payment, checkout, request.form)
        payment, checkout = store().settle(imp_uid, outcome, changes, error_code) or abort(404)
        # settle keeps only the first decision; this one was kept if its fresh pg_tid is stored.
        if payment["status"] != "failed" and payment["pg_tid"] == changes.get("pg_tid"):
            webhooks.notify(payment, payment["status"])
    return deliver(result_rsp(payment, checkout), checkout)


def load(imp_uid: str) -> tuple[Payment, dict]:
    return store().payment_and_checkout(imp_uid) or abort(404)


def pg_failure(params: dict, checkout: dict) -> ResponseReturnValue:
    """The switched-on PG error: no window, and the attempt is kept as a failed payment.

    A guess: by the time a PG refuses, PortOne has already numbered the attempt, so the browser
    gets an imp_uid and the payment is `failed`. As for every failure, no webhook.
    """
    failure, code = pg.misconfigured()
    checkout |= {"outcome": "pg_error", "error_code": code}
    fields = requested_payment(params) | failure
    payment = store().insert_payment(checkout=checkout, **fields)
    return deliver(result_rsp(payment, checkout), checkout)
