"""A payment and its checkout as the store keeps them: two JSON documents per payment.

The payment is what PortOne's API reports (its fields, every one present from the start); the
checkout is what only the sandbox needs: how the window was opened and how it was decided.
"""

import secrets

from ..webguard import Cancellation, Payment, PaymentFields


def random_digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def blank_payment(now: int) -> Payment:
    """A payment as PortOne reports it right after the window opened, before any decision."""
    return {
        "imp_uid": f"imp_{random_digits(12)}",
        "merchant_uid": f"sandbox_{now}_{random_digits(6)}",
        "pay_method": "card",
        "channel": "pc",
        "pg_provider": "html5_inicis",
        "emb_pg_provider": None,
        "pg_tid": None,
        "pg_id": None,
        "escrow": False,
        "apply_num": None,
        "bank_code": None,
        "bank_name": None,
        "card_code": None,
        "card_name": None,
        "card_issuer_code": None,
        "card_issuer_name": None,
        "card_publisher_code": None,
        "card_publisher_name": None,
        "card_quota": 0,
        "card_number": None,
        "card_type": None,
        "vbank_code": None,
        "vbank_name": None,
        "vbank_num": None,
        "vbank_holder": None,
        "vbank_date": 0,
        "vbank_issued_at": 0,
        "name": "샌드박스 테스트 주문",
        "amount": 1000,
        "cancel_amount": 0,
        "currency": "KRW",
        "buyer_name": None,
        "buyer_email": None,
        "buyer_tel": None,
        "buyer_addr": None,
        "buyer_postcode": None,
        "custom_data": None,
        "user_agent": None,
        "status": "ready",
        "started_at": now,
        "paid_at": 0,
        "failed_at": 0,
        "cancelled_at": 0,
        "fail_reason": None,
        "cancel_reason": None,
        "receipt_url": None,
        "cancel_history": [],
        "cancel_receipt_urls": [],
        "deposit_history": [],
        "cash_receipt_issued": False,
        "customer_uid": None,
        "customer_uid_usage": None,
        "sandbox": True,
    }


def blank_checkout() -> dict:
    """What the payment window needs beyond the payment itself, and how it was decided."""
    return {
        "mode": None,
        "origin": None,
        "m_redirect_url": None,
        "notice_url": None,
        "vbank_due": None,
        "confirm_url": None,
        "display_card_quota": None,  # the months display.card_quota allows (installments.py)
        "confirm_calls": [],  # each call to confirm_url (confirm.py), oldest first
        "outcome": None,
        "error_code": None,
    }


PAYMENT_FIELDS = frozenset(blank_payment(0))


def status_defaults(payment: Payment, now: int) -> PaymentFields:
    """Fields a payment inserted directly in a later status would have gathered on its way."""
    if payment["status"] == "paid":
        return {"paid_at": now, "pg_tid": f"sandbox{random_digits(16)}"}
    if payment["status"] == "failed":
        return {"failed_at": now, "fail_reason": "[F1006] 카드 한도초과"}
    if payment["status"] == "cancelled":
        return cancelled_defaults(payment["amount"], now)
    return {}


def cancelled_defaults(amount: int | float, now: int) -> PaymentFields:
    """Paid, then cancelled in full at once."""
    cancellation: Cancellation = {
        "pg_tid": f"sandbox{random_digits(16)}",
        "amount": amount,
        "cancelled_at": now,
        "reason": "샌드박스 테스트 취소",
        "cancellation_id": f"sandbox_cancel_{random_digits(12)}",
        "receipt_url": None,
    }
    return {
        "paid_at": now,
        "cancelled_at": now,
        "cancel_amount": amount,
        "cancel_reason": cancellation["reason"],
        "cancel_history": [cancellation],
    }


def is_decided(payment: Payment, checkout: dict) -> bool:
    """Whether the window is done: a decision was taken, or the payment left `ready` otherwise."""
    return checkout["outcome"] is not None or payment["status"] != "ready"
