"""What the console's page of one payment shows besides its actions: the payment's history,
from the times it keeps and its checkout's calls to confirm_url, and every field as text."""

import json
from typing import NamedTuple

from .labels import format_kst, format_money, pay_method_label
from .store.cancels import is_revoked
from .webguard import Cancellation, Payment


class Event(NamedTuple):
    at: int
    title: str
    detail: str


def history(payment: Payment, checkout: dict) -> list[Event]:
    """What happened to the payment, oldest first (events at the same second in the order they
    happen)."""
    events = [
        opening(payment),
        *confirmations(checkout),
        *issuance(payment),
        *decisions(payment),
        *cancellations(payment),
    ]
    return sorted(events, key=lambda event: event.at)


def opening(payment: Payment) -> Event:
    method = f"{pay_method_label(payment['pay_method'])} · {payment['pg_provider']}"
    return Event(payment["started_at"], "결제창 열림", method)


def confirmations(checkout: dict) -> list[Event]:
    return [
        Event(call["at"], "confirm_url", confirm_outcome(call)) for call in confirm_calls(checkout)
    ]


def confirm_calls(checkout: dict) -> list[dict]:
    return checkout.get("confirm_calls") or []  # a payment stored before confirm_url has none


def confirm_outcome(call: dict) -> str:
    if call["accepted"]:
        return f"응답 {call['status']}"
    if call["status"] is None:
        return f"거절: 응답 없음 ({call['error']})"
    return f"거절: 응답 {call['status']}" + (f" · {call['reason']}" if call["reason"] else "")


def issuance(payment: Payment) -> list[Event]:
    if not payment["vbank_issued_at"]:
        return []
    due = f"입금기한 {format_kst(payment['vbank_date'])}"
    return [Event(payment["vbank_issued_at"], "가상계좌 발급", f"{account(payment)} · {due}")]


def account(payment: Payment) -> str:
    return f"{payment['vbank_name']} {payment['vbank_num']}"


def decisions(payment: Payment) -> list[Event]:
    """The failure, then the approval (or deposit), for those that happened."""
    events = []
    if payment["failed_at"]:
        events.append(Event(payment["failed_at"], "결제 실패", payment["fail_reason"] or ""))
    if payment["paid_at"]:
        title = "입금 확인" if payment["pay_method"] == "vbank" else "결제 승인"
        amount = format_money(payment["amount"], payment["currency"])
        events.append(Event(payment["paid_at"], title, amount))
    return events


def cancellations(payment: Payment) -> list[Event]:
    currency = payment["currency"]
    events = [cancellation(entry, currency) for entry in payment["cancel_history"]]
    if is_revoked(payment):
        events.append(Event(payment["cancelled_at"], "가상계좌 발급취소", account(payment)))
    return events


def cancellation(entry: Cancellation, currency: str) -> Event:
    amount = format_money(entry["amount"], currency)
    detail = f"{amount} · {entry['reason'] or '사유 없음'} · {entry['cancellation_id']}"
    return Event(entry["cancelled_at"], "취소", detail)


def payment_fields(payment: Payment) -> list[tuple[str, str]]:
    """Every field of the payment as text: times also in Korean time, lists as JSON."""
    return [(key, field_text(key, value)) for key, value in payment.items()]


def field_text(key: str, value: object) -> str:
    if key.endswith(("_at", "_date")) and isinstance(value, int) and value:
        return f"{value} ({format_kst(value)})"
    if isinstance(value, list | dict | bool) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return str(value)
