"""What a sync (or a confirm call) concluded about a payment, for whoever waits on it."""

import enum
from dataclasses import dataclass

from shop.core.ledger import Payment
from shop.core.models import Order


class Outcome(enum.Enum):
    PAID = "paid"
    VBANK_ISSUED = "vbank_issued"
    FAILED = "failed"
    NOT_COMPLETED = "not_completed"  # the window was left without a result (status ready)
    CANCELLED = "cancelled"
    FORGED = "forged"
    NEEDS_REVIEW = "needs_review"  # the order needs a person (e.g. a second payment)
    MISMATCH = "mismatch"  # the payment belongs to another order than the one claimed
    UNKNOWN_PAYMENT = "unknown_payment"
    UNKNOWN_ORDER = "unknown_order"
    INVALID = "invalid"
    UNAVAILABLE = "unavailable"  # the gateway or our database could not be reached
    CONFIRMED = "confirmed"  # confirm process: the order may be paid, its stock is held
    REFUSED = "refused"  # confirm process: the order must not be paid now
    HOLD_EXPIRED = "hold_expired"  # confirm process: a hold nobody paid for was given back


@dataclass(frozen=True)
class SyncResult:
    outcome: Outcome
    order: Order | None = None
    payment: Payment | None = None
    detail: str | None = None
