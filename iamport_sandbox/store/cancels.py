"""Cancels (POST /payments/cancel and the console) and revoked virtual accounts (DELETE
/vbanks/{imp_uid} and the console): the checks PortOne makes, the refusals it answers, and
the one write that follows."""

from collections.abc import Mapping
from decimal import Decimal

from ..money import exact, fits_currency, not_whole_won, plain
from ..webguard import Cancellation, Payment
from .database import Database
from .documents import random_digits
from .payments import read_payment, write_payment

REFUND_FIELDS = ("refund_holder", "refund_bank", "refund_account")
NO_REASON = ""

CANCEL_NOT_FOUND = "취소할 결제건이 존재하지 않습니다."
ALREADY_CANCELLED = "이미 전액취소된 주문입니다."
# The PG's refusal, worded as KakaoPay's reaches merchants through PortOne.
AMOUNT_OVER_CANCELLABLE = (
    "결제취소에 실패하였습니다. (requested cancel amount is bigger than cancelable amount)"
)
# Guesses: PortOne's texts for these refusals are not documented.
CANCEL_NOT_PAID = "결제가 완료되지 않은 결제건은 취소할 수 없습니다."
CHECKSUM_MISMATCH = "취소 가능 잔액(checksum)이 포트원에 기록된 취소 가능 잔액과 일치하지 않습니다."
REFUND_ACCOUNT_REQUIRED = (
    "가상계좌 결제건을 환불하려면 환불계좌 정보(refund_holder, refund_bank, refund_account)를"
    " 지정해주셔야합니다."
)
NEGATIVE_CANCEL_AMOUNT = "취소 요청금액(amount)은 0 이상이어야 합니다."


class CancelStore(Database):
    def cancel(
        self,
        imp_uid: str,
        amount: float | None = None,
        reason: str | None = None,
        checksum: float | None = None,
        refund: Mapping[str, str | None] | None = None,
    ) -> tuple[Payment, str]:
        """Cancel part or all of a payment, as POST /payments/cancel and the console do.

        `amount` None or 0 cancels all that is left. `checksum`, when given, must equal what is
        left before this cancel. `refund` maps refund_holder, refund_bank and refund_account,
        which a virtual account payment needs. Returns the updated payment and the new
        cancellation's id; raises CancelRefused (nothing changed) when PortOne would refuse.
        Checked and written in one IMMEDIATE transaction, so concurrent cancels queue up and
        never take more than is left.
        """
        with self._transaction() as db:
            found = read_payment(db, imp_uid)
            if found is None:
                raise CancelRefused(1, CANCEL_NOT_FOUND)
            payment, checkout = found
            taken = cancellable_amount(payment, amount, checksum, refund)
            # Guesses: the id's format is the sandbox's; the PG's cancel keeps the payment's tid.
            now, cancellation_id = self.now(), f"sandbox_cancel_{random_digits(12)}"
            # The spec makes a cancellation's reason a required string; a guess: a cancel
            # without one keeps an empty reason, never null.
            reason = reason or NO_REASON
            cancellation: Cancellation = {
                "pg_tid": payment["pg_tid"] or f"sandbox{random_digits(16)}",
                "amount": plain(taken),
                "cancelled_at": now,
                "reason": reason,
                # The sandbox's receipt page shows the payment with its cancels.
                "receipt_url": payment["receipt_url"],
                "cancellation_id": cancellation_id,
            }
            payment |= {
                "status": "cancelled",
                "cancel_amount": plain(exact(payment["cancel_amount"]) + taken),
                "cancelled_at": now,
                "cancel_reason": reason,
                "cancel_history": [*payment["cancel_history"], cancellation],
                "cancel_receipt_urls": payment["cancel_receipt_urls"]
                + ([payment["receipt_url"]] if payment["receipt_url"] else []),
            }
            write_payment(db, payment, checkout, now)
        return payment, cancellation_id

    def revoke_vbank(self, imp_uid: str) -> Payment | None:
        """Revoke an issued virtual account that waits for its deposit (PortOne's 발급취소).

        None when there is no such payment; VbankRevokeRefused (nothing changed) when the
        payment is no virtual account waiting in `ready`. A guess, as PortOne does not document
        the resulting status: `cancelled` with nothing cancelled (cancel_amount 0, no
        cancel_history), which is what its console shows as 발급취소; cancelled_at is set and
        the account's fields stay. Whether a webhook follows is the caller's business.
        """
        with self._transaction() as db:
            found = read_payment(db, imp_uid)
            if found is None:
                return None
            payment, checkout = found
            problem = revoke_problem(payment)
            if problem:
                raise VbankRevokeRefused(problem)
            now = self.now()
            payment |= {"status": "cancelled", "cancelled_at": now}
            write_payment(db, payment, checkout, now)
        return payment


class CancelRefused(Exception):
    """A cancel PortOne refuses: `code` (1, or -1 when the PG refuses) and `message` for the
    envelope, which goes out with HTTP 200."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def cancellable_amount(
    payment: Payment,
    amount: float | None,
    checksum: float | None,
    refund: Mapping[str, str | None] | None,
) -> Decimal:
    """What a cancel takes off the payment, after PortOne's checks (their order is ours)."""
    if payment["status"] not in ("paid", "cancelled") or is_revoked(payment):
        raise CancelRefused(1, CANCEL_NOT_PAID)
    left = exact(payment["amount"]) - exact(payment["cancel_amount"])
    if left <= 0:
        raise CancelRefused(1, ALREADY_CANCELLED)
    if amount is not None and amount < 0:
        raise CancelRefused(1, NEGATIVE_CANCEL_AMOUNT)
    if amount is not None and not fits_currency(amount, payment["currency"]):
        raise CancelRefused(1, not_whole_won("amount", amount))
    if checksum is not None and exact(checksum) != left:
        raise CancelRefused(1, CHECKSUM_MISMATCH)
    if payment["pay_method"] == "vbank" and not all((refund or {}).get(f) for f in REFUND_FIELDS):
        raise CancelRefused(1, REFUND_ACCOUNT_REQUIRED)
    requested = exact(amount) if amount else left
    if requested > left:
        raise CancelRefused(-1, AMOUNT_OVER_CANCELLABLE)
    return requested


# Revoking virtual accounts

# Guesses: PortOne's texts for these refusals are not documented.
REVOKE_NOT_VBANK = "가상계좌 결제건이 아닙니다."
REVOKE_ALREADY_REVOKED = "이미 발급취소된 가상계좌입니다."
REVOKE_ALREADY_PAID = (
    "이미 입금이 완료된 가상계좌는 발급취소할 수 없습니다. 환불은 결제취소 API로 요청하세요."
)
REVOKE_NOT_READY = (
    "입금대기(ready) 상태의 가상계좌만 발급취소할 수 있습니다(현재 status: {status})."
)
REVOKE_NOT_ISSUED = "아직 발급된 가상계좌가 없습니다."


class VbankRevokeRefused(Exception):
    """A revoke PortOne refuses; `message` goes into the envelope (HTTP 400, code 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_revoked(payment: Payment) -> bool:
    """A revoked virtual account: cancelled without anything cancelled (revoke_vbank)."""
    return (
        payment["status"] == "cancelled"
        and payment["pay_method"] == "vbank"
        and bool(payment["vbank_num"])
        and not payment["cancel_history"]
    )


def is_cancellable(payment: Payment) -> bool:
    """Paid, not yet cancelled in full, and no revoked account: what the console may cancel,
    and what can still ship (escrows.py) or take a cash receipt (receipts.py)."""
    return (
        payment["status"] in ("paid", "cancelled")
        and payment["cancel_amount"] < payment["amount"]
        and not is_revoked(payment)
    )


def revoke_problem(payment: Payment) -> str | None:
    """Why this payment's virtual account cannot be revoked; None when it can."""
    if payment["pay_method"] != "vbank":
        return REVOKE_NOT_VBANK
    if is_revoked(payment):
        return REVOKE_ALREADY_REVOKED
    if payment["status"] == "paid":
        return REVOKE_ALREADY_PAID
    if payment["status"] != "ready":
        return REVOKE_NOT_READY.format(status=payment["status"])
    if not payment["vbank_num"]:
        return REVOKE_NOT_ISSUED
    return None
