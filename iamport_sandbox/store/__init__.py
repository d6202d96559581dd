"""The sandbox's own state: tokens, pre-registered amounts, payments, escrow shipping records,
cash receipts, the webhook log, the switches and the mailbox, in one SQLite file (database.py
says how it is shared).

Callers see one SandboxStore; what it keeps is split by kind, one module each: tokens.py
(access tokens and pre-registered amounts), payments.py (payments, as documents.py shapes them),
lookups.py (finding and listing them), cancels.py (cancels and revoked virtual accounts),
escrows.py (escrow shipping records), receipts.py (cash receipts),
deliveries.py (the webhook log), switches.py (the fault switches) and mailbox.py (mail the shop
hands over instead of sending it).
"""

from . import deliveries, escrows, mailbox, payments, receipts, switches, tokens
from .cancels import CancelRefused, CancelStore, VbankRevokeRefused
from .deliveries import DeliveryStore
from .escrows import EscrowStore
from .lookups import LookupStore
from .mailbox import MailboxStore
from .payments import PaymentStore
from .receipts import ReceiptKind, ReceiptStore
from .switches import SwitchStore
from .tokens import TokenStore

__all__ = ["CancelRefused", "ReceiptKind", "SandboxStore", "VbankRevokeRefused"]


class SandboxStore(
    TokenStore,
    PaymentStore,
    LookupStore,
    CancelStore,
    EscrowStore,
    ReceiptStore,
    DeliveryStore,
    SwitchStore,
    MailboxStore,
):
    """Every part over the same file, clock and transactions (database.Database)."""

    SCHEMA = (
        tokens.SCHEMA
        + payments.SCHEMA
        + escrows.SCHEMA
        + receipts.SCHEMA
        + deliveries.SCHEMA
        + switches.SCHEMA
        + mailbox.SCHEMA
    )
