"""The sandbox's console: payments with their history and webhooks, the webhook log, the
switchboard, the mailbox (the shop's notices), and what a PG console does by hand (deposit,
cancel, resend, expire, revoke: console_actions.py; and reset).

Every action is a POST form. A done action redirects to a page with a fixed notice named in
the query (no session, so any gunicorn worker can show it); a refused one shows the page again
with the reason. The sandbox stands in for the gateway, not the shop: no login and no CSRF.
"""

from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from . import labels, switchboard, webhooks
from .console_actions import (
    Refused,
    account_problem,
    cancel_as_console,
    deposit_into,
    expire_account,
    resend_webhook,
    revoke_account,
)
from .current import store
from .escrow_changes import (
    EscrowStatus,
    confirm_purchase,
    decision_label,
    deny_purchase,
    send_as_pg,
)
from .payment_page import history, payment_fields
from .store import ReceiptKind, SandboxStore
from .store.cancels import is_cancellable

bp = Blueprint("dashboard", __name__)
bp.add_app_template_filter(labels.payment_status, "payment_status")

NOTICES = {
    "deposited": "입금을 처리했습니다. paid 웹훅을 보냅니다.",
    "cancelled": "취소했습니다. cancelled 웹훅을 보냅니다.",
    "resent": "웹훅을 다시 보냅니다.",
    "expired": "입금기한을 지금으로 당겼습니다. 이 계좌로는 더 이상 입금할 수 없습니다.",
    "revoked": "가상계좌 발급을 취소했습니다. 이 계좌로는 더 이상 입금할 수 없습니다. 웹훅은 없습니다.",
    "escrow-confirmed": "구매자가 구매확인했습니다. 에스크로 상태변경 웹훅(구매확인)을 보냅니다.",
    "escrow-denied": "구매자가 구매거절했습니다. 에스크로 상태변경 웹훅(구매거절)을 보냅니다.",
    "escrow-sent": "에스크로 상태변경 웹훅을 보냅니다.",
    "switches": "스위치를 저장했습니다.",
    "switches-cleared": "모든 스위치를 껐습니다.",
    "reset": "결제, 토큰, 사전등록, 배송정보, 현금영수증, 웹훅 로그, 스위치를 모두 지웠습니다.",
}
# A test refund account, filled in so a virtual account can be refunded in one click.
TEST_REFUND_ACCOUNT = {"refund_bank": "088", "refund_account": "110123456789"}
RESET_UNCONFIRMED = "초기화하려면 확인란에 체크하세요."


@bp.context_processor
def dashboard_context() -> dict[str, object]:
    return {
        "active_switches": active_switches(store()),
        "notice": NOTICES.get(request.args.get("done", "")),
        "switches": switchboard.SWITCHES,
        "switch_groups": switchboard.GROUPS,
        "outcome_labels": labels.DELIVERY_OUTCOMES,
    }


def active_switches(sandbox: SandboxStore) -> list[str]:
    on = sandbox.switches()
    return [switchboard.SWITCHES[name].label for name in switchboard.SWITCHES if name in on]


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("sandbox/dashboard/payments.html", payments=store().recent_payments(100))


@bp.get("/dashboard/payments/<imp_uid>")
def payment(imp_uid: str) -> ResponseReturnValue:
    return show_payment(imp_uid)


@bp.post("/dashboard/payments/<imp_uid>/deposit")
def deposit(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "deposited", deposit_into)


@bp.post("/dashboard/payments/<imp_uid>/cancel")
def cancel(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "cancelled", cancel_as_console)


@bp.post("/dashboard/payments/<imp_uid>/webhook")
def resend(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "resent", resend_webhook)


@bp.post("/dashboard/payments/<imp_uid>/expire")
def expire(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "expired", expire_account)


@bp.post("/dashboard/payments/<imp_uid>/revoke")
def revoke(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "revoked", revoke_account)


@bp.post("/dashboard/payments/<imp_uid>/escrow/confirm")
def escrow_confirm(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "escrow-confirmed", confirm_purchase)


@bp.post("/dashboard/payments/<imp_uid>/escrow/deny")
def escrow_deny(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "escrow-denied", deny_purchase)


@bp.post("/dashboard/payments/<imp_uid>/escrow/webhook")
def escrow_webhook(imp_uid: str) -> ResponseReturnValue:
    return act(imp_uid, "escrow-sent", send_as_pg)


@bp.get("/dashboard/webhooks")
def webhook_log() -> ResponseReturnValue:
    return render_template(
        "sandbox/dashboard/webhooks.html",
        deliveries=list(reversed(webhooks.deliveries(store()))),
        content_format=webhooks.content_format(store()),
        values=switchboard.board(store()),
    )


@bp.get("/mailbox")
def mailbox() -> ResponseReturnValue:
    return render_template("sandbox/dashboard/mailbox.html", messages=store().mailbox(100))


@bp.get("/dashboard/switches")
def switches() -> ResponseReturnValue:
    return render_template("sandbox/dashboard/switches.html", values=switchboard.board(store()))


@bp.post("/dashboard/switches")
def save_switches() -> ResponseReturnValue:
    values, errors = requested_switches()
    if errors:
        page = render_template(
            "sandbox/dashboard/switches.html", values=request.form, errors=errors
        )
        return page, 400
    for name, value in values.items():
        switchboard.set(store(), name, value)
    return redirect(url_for(".switches", done="switches"), 303)


def requested_switches() -> tuple[dict[str, switchboard.Value], dict[str, str]]:
    """Every switch's value from the form, and the errors of those it cannot take."""
    values, errors = {}, {}
    for name, switch in switchboard.SWITCHES.items():
        try:
            values[name] = switch.parse(request.form.get(name))
        except ValueError as error:
            errors[name] = str(error)
    return values, errors


@bp.post("/dashboard/switches/clear")
def clear_switches() -> ResponseReturnValue:
    switchboard.clear(store())
    return redirect(url_for(".switches", done="switches-cleared"), 303)


@bp.post("/dashboard/reset")
def reset() -> ResponseReturnValue:
    if not request.form.get("confirm"):
        payments = store().recent_payments(100)
        page = render_template(
            "sandbox/dashboard/payments.html", payments=payments, refusal=RESET_UNCONFIRMED
        )
        return page, 400
    store().reset()
    return redirect(url_for(".index", done="reset"), 303)


def show_payment(imp_uid: str, refusal: str | None = None, status: int = 200) -> tuple[str, int]:
    payment, checkout = store().payment_and_checkout(imp_uid) or abort(404)
    logis = store().logis(imp_uid)
    page = render_template(
        "sandbox/dashboard/payment.html",
        payment=payment,
        checkout=checkout,
        fields=payment_fields(payment),
        history=history(payment, checkout),
        deliveries=webhooks.deliveries(store(), imp_uid),
        logis=logis,
        decision=decision_label(logis),
        escrow_statuses=list(EscrowStatus),
        cash_receipt=store().receipt(ReceiptKind.PAYMENT, imp_uid),
        account_open=account_problem(payment, store().now()) is None,
        cancellable=is_cancellable(payment),
        refund_account=TEST_REFUND_ACCOUNT | {"refund_holder": payment["buyer_name"] or "테스트"},
        refusal=refusal,
    )
    return page, status


def act(imp_uid: str, done: str, action: Callable[[str], None]) -> ResponseReturnValue:
    """Run an action on a payment; back to its page with a notice, or with the refusal."""
    store().get_payment(imp_uid) or abort(404)
    try:
        action(imp_uid)
    except Refused as refusal:
        return show_payment(imp_uid, str(refusal), 409)
    return redirect(url_for(".payment", imp_uid=imp_uid, done=done), 303)
