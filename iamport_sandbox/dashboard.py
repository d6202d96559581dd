"""The sandbox's console: payments with their history and webhooks, the webhook log, the
switchboard, the mailbox (the shop's notices), and what a PG console does by hand (deposit,
cancel, resend, expire, revoke, reset).

Every action is a POST form. A done action redirects to a page with a fixed notice named in
the query (no session, so any gunicorn worker can show it); a refused one shows the page again
with the reason. The sandbox stands in for the gateway, not the shop: no login and no CSRF.
"""

import json
from typing import NamedTuple

from flask import Blueprint, abort, redirect, render_template, request, url_for

from . import switchboard, webhooks
from .current import store
from .money import normalize_amount
from .store import CancelRefused, SandboxStore, VbankRevokeRefused
from .store.cancels import REFUND_FIELDS, is_revoked
from .window import format_kst, format_money, pay_method_label, status_label

bp = Blueprint("dashboard", __name__)

NOTICES = {
    "deposited": "입금을 처리했습니다. paid 웹훅을 보냅니다.",
    "cancelled": "취소했습니다. cancelled 웹훅을 보냅니다.",
    "resent": "웹훅을 다시 보냅니다.",
    "expired": "입금기한을 지금으로 당겼습니다. 이 계좌로는 더 이상 입금할 수 없습니다.",
    "revoked": "가상계좌 발급을 취소했습니다. 이 계좌로는 더 이상 입금할 수 없습니다. 웹훅은 없습니다.",
    "switches": "스위치를 저장했습니다.",
    "switches-cleared": "모든 스위치를 껐습니다.",
    "reset": "결제, 토큰, 사전등록, 웹훅 로그, 스위치를 모두 지웠습니다.",
}
DELIVERY_OUTCOMES = {
    "delivered": "성공",
    "refused": "실패",
    "error": "연결 오류",
    "dropped": "유실(스위치)",
    "no_url": "URL 없음",
}
CONSOLE_CANCEL_REASON = "관리자 콘솔 취소"
# A test refund account, filled in so a virtual account can be refunded in one click.
TEST_REFUND_ACCOUNT = {"refund_bank": "088", "refund_account": "110123456789"}


class Refused(Exception):
    """An action that makes no sense for this payment; the message says why, in Korean."""


class Event(NamedTuple):
    at: int
    title: str
    detail: str


@bp.context_processor
def dashboard_context():
    return {
        "active_switches": active_switches(store()),
        "notice": NOTICES.get(request.args.get("done", "")),
        "switches": switchboard.SWITCHES,
        "switch_groups": switchboard.GROUPS,
        "outcome_labels": DELIVERY_OUTCOMES,
    }


@bp.app_template_filter("payment_status")
def payment_status(payment: dict) -> str:
    """The status as the console says it, telling a partial cancel from a full one."""
    if is_revoked(payment):
        return "발급취소"
    if payment["status"] == "cancelled" and payment["cancel_amount"] < payment["amount"]:
        return "부분취소"
    if payment["status"] == "ready" and payment["vbank_num"]:
        return "입금대기"
    return status_label(payment["status"])


@bp.get("/")
def index():
    return render_template("sandbox/dashboard/payments.html", payments=store().recent_payments(100))


@bp.get("/dashboard/payments/<imp_uid>")
def payment(imp_uid):
    return show_payment(imp_uid)


@bp.post("/dashboard/payments/<imp_uid>/deposit")
def deposit(imp_uid):
    return act(imp_uid, "deposited", deposit_into)


@bp.post("/dashboard/payments/<imp_uid>/cancel")
def cancel(imp_uid):
    return act(imp_uid, "cancelled", cancel_as_console)


@bp.post("/dashboard/payments/<imp_uid>/webhook")
def resend(imp_uid):
    return act(imp_uid, "resent", resend_webhook)


@bp.post("/dashboard/payments/<imp_uid>/expire")
def expire(imp_uid):
    return act(imp_uid, "expired", expire_account)


@bp.post("/dashboard/payments/<imp_uid>/revoke")
def revoke(imp_uid):
    return act(imp_uid, "revoked", revoke_account)


@bp.get("/dashboard/webhooks")
def webhook_log():
    return render_template(
        "sandbox/dashboard/webhooks.html",
        deliveries=list(reversed(webhooks.deliveries(store()))),
        content_format=webhooks.content_format(store()),
        values=switchboard.board(store()),
    )


@bp.get("/mailbox")
def mailbox():
    return render_template("sandbox/dashboard/mailbox.html", messages=store().mailbox(100))


@bp.get("/dashboard/switches")
def switches():
    return render_template("sandbox/dashboard/switches.html", values=switchboard.board(store()))


@bp.post("/dashboard/switches")
def save_switches():
    values, errors = {}, {}
    for name, switch in switchboard.SWITCHES.items():
        try:
            values[name] = switch.parse(request.form.get(name))
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        page = render_template(
            "sandbox/dashboard/switches.html", values=request.form, errors=errors
        )
        return page, 400
    for name, value in values.items():
        switchboard.set(store(), name, value)
    return redirect(url_for(".switches", done="switches"), 303)


@bp.post("/dashboard/switches/clear")
def clear_switches():
    switchboard.clear(store())
    return redirect(url_for(".switches", done="switches-cleared"), 303)


@bp.post("/dashboard/reset")
def reset():
    if not request.form.get("confirm"):
        page = render_template(
            "sandbox/dashboard/payments.html",
            payments=store().recent_payments(100),
            refusal="초기화하려면 확인란에 체크하세요.",
        )
        return page, 400
    store().reset()
    return redirect(url_for(".index", done="reset"), 303)


def show_payment(imp_uid: str, refusal: str | None = None, status: int = 200):
    payment, checkout = store().payment_and_checkout(imp_uid) or abort(404)
    page = render_template(
        "sandbox/dashboard/payment.html",
        payment=payment,
        checkout=checkout,
        fields=payment_fields(payment),
        history=history(payment, checkout),
        deliveries=webhooks.deliveries(store(), imp_uid),
        account_open=account_problem(payment, store().now()) is None,
        cancellable=payment["status"] in ("paid", "cancelled")
        and payment["cancel_amount"] < payment["amount"]
        and not is_revoked(payment),
        refund_account=TEST_REFUND_ACCOUNT | {"refund_holder": payment["buyer_name"] or "테스트"},
        refusal=refusal,
    )
    return page, status


def act(imp_uid: str, done: str, action) -> object:
    """Run an action on a payment; back to its page with a notice, or with the refusal."""
    store().get_payment(imp_uid) or abort(404)
    try:
        action(imp_uid)
    except Refused as refusal:
        return show_payment(imp_uid, str(refusal), 409)
    return redirect(url_for(".payment", imp_uid=imp_uid, done=done), 303)


def account_problem(payment: dict, now: int) -> str | None:
    """Why a virtual account cannot take a deposit (or be expired) now; None when it can."""
    if payment["pay_method"] != "vbank" or not payment["vbank_num"]:
        return "가상계좌가 발급된 결제건이 아닙니다."
    if is_revoked(payment):
        return "발급취소된 가상계좌입니다. 이 계좌로는 입금할 수 없습니다."
    if payment["status"] != "ready":
        return f"입금을 기다리는 가상계좌가 아닙니다(현재 {payment_status(payment)})."
    if now >= payment["vbank_date"]:
        return "입금기한이 이미 지난 가상계좌입니다."
    return None


def deposit_into(imp_uid: str) -> None:
    """The buyer pays the issued account in full: `ready` → `paid`, and the paid webhook."""
    now = store().now()
    receipt_url = url_for("window.receipt", imp_uid=imp_uid, _external=True)

    def deposited(payment: dict, checkout: dict) -> dict:
        problem = account_problem(payment, now)
        if problem:
            raise Refused(problem)
        return {"status": "paid", "paid_at": now, "receipt_url": receipt_url}

    webhooks.notify(store().update_payment(imp_uid, deposited) or abort(404), "paid")


def expire_account(imp_uid: str) -> None:
    """Bring the deadline to now. What PortOne does at the deadline is not documented; the
    guess here: the account stops taking deposits, the payment stays `ready` with its
    vbank_date in the past, and no webhook goes out."""
    now = store().now()

    def expired(payment: dict, checkout: dict) -> dict:
        problem = account_problem(payment, now)
        if problem:
            raise Refused(problem)
        return {"vbank_date": now}

    store().update_payment(imp_uid, expired)


def revoke_account(imp_uid: str) -> None:
    """The console's 발급 취소, the same revoke as DELETE /vbanks/{imp_uid}: no webhook."""
    try:
        store().revoke_vbank(imp_uid)
    except VbankRevokeRefused as refusal:
        raise Refused(refusal.message) from None


def cancel_as_console(imp_uid: str) -> None:
    """A cancel from the PG console: all that is left, or the amount typed; the console always
    sends the cancelled webhook."""
    amount = requested_amount(request.form.get("amount", ""))
    reason = request.form.get("reason", "").strip() or CONSOLE_CANCEL_REASON
    refund = {field: request.form.get(field, "").strip() for field in REFUND_FIELDS}
    try:
        payment, cancellation_id = store().cancel(
            imp_uid, amount=amount, reason=reason, refund=refund
        )
    except CancelRefused as refusal:
        raise Refused(refusal.message) from None
    webhooks.notify(payment, "cancelled", cancellation_id)


def requested_amount(raw: str) -> int | float | None:
    """None (cancel all that is left) for an empty field, else a positive number."""
    raw = raw.replace(",", "").replace("원", "").strip()
    if not raw:
        return None
    try:
        amount = normalize_amount(float(raw))
    except ValueError:
        amount = None
    if amount is None:
        raise Refused(
            "취소 금액은 0보다 큰 숫자로 입력하세요. 비워 두면 남은 금액 전부를 취소합니다."
        )
    return amount


def resend_webhook(imp_uid: str) -> None:
    payment = store().get_payment(imp_uid) or abort(404)
    if payment["status"] == "failed":
        raise Refused("결제실패 건에는 웹훅을 보내지 않습니다. PortOne은 실패를 알리지 않습니다.")
    if payment["status"] == "ready" and not payment["vbank_num"]:
        raise Refused("결제창에서 아직 결정되지 않은 결제건이라 보낼 웹훅이 없습니다.")
    if is_revoked(payment):
        raise Refused("가상계좌 발급취소에는 웹훅을 보내지 않습니다(샌드박스의 추정).")
    webhooks.resend(payment)


def active_switches(sandbox: SandboxStore) -> list[str]:
    on = sandbox.switches()
    return [switchboard.SWITCHES[name].label for name in switchboard.SWITCHES if name in on]


def history(payment: dict, checkout: dict) -> list[Event]:
    """What happened to the payment, oldest first, from the times the payment itself keeps and
    the calls to confirm_url its checkout keeps."""
    method = f"{pay_method_label(payment['pay_method'])} · {payment['pg_provider']}"
    events = [Event(payment["started_at"], "결제창 열림", method)]
    events += [
        Event(call["at"], "confirm_url", confirm_outcome(call)) for call in confirm_calls(checkout)
    ]
    if payment["vbank_issued_at"]:
        account = f"{payment['vbank_name']} {payment['vbank_num']}"
        due = f"입금기한 {format_kst(payment['vbank_date'])}"
        events.append(Event(payment["vbank_issued_at"], "가상계좌 발급", f"{account} · {due}"))
    if payment["failed_at"]:
        events.append(Event(payment["failed_at"], "결제 실패", payment["fail_reason"] or ""))
    if payment["paid_at"]:
        title = "입금 확인" if payment["pay_method"] == "vbank" else "결제 승인"
        events.append(
            Event(payment["paid_at"], title, format_money(payment["amount"], payment["currency"]))
        )
    for entry in payment["cancel_history"]:
        amount = format_money(entry["amount"], payment["currency"])
        detail = f"{amount} · {entry['reason'] or '사유 없음'} · {entry['cancellation_id']}"
        events.append(Event(entry["cancelled_at"], "취소", detail))
    if is_revoked(payment):
        account = f"{payment['vbank_name']} {payment['vbank_num']}"
        events.append(Event(payment["cancelled_at"], "가상계좌 발급취소", account))
    return sorted(events, key=lambda event: event.at)


def confirm_calls(checkout: dict) -> list[dict]:
    return checkout.get("confirm_calls") or []  # a payment stored before confirm_url has none


def confirm_outcome(call: dict) -> str:
    if call["accepted"]:
        return f"응답 {call['status']}"
    if call["status"] is None:
        return f"거절: 응답 없음 ({call['error']})"
    return f"거절: 응답 {call['status']}" + (f" · {call['reason']}" if call["reason"] else "")


def payment_fields(payment: dict) -> list[tuple[str, str]]:
    """Every field of the payment as text: times also in Korean time, lists as JSON."""
    fields = []
    for key, value in payment.items():
        if key.endswith(("_at", "_date")) and isinstance(value, int) and value:
            text = f"{value} ({format_kst(value)})"
        elif isinstance(value, list | dict | bool) or value is None:
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = str(value)
        fields.append((key, text))
    return fields
