"""The sandbox's own state: tokens, pre-registered amounts, payments, the webhook log, the
switches and the mailbox, in one SQLite file (database.py says how it is shared).

Callers see one SandboxStore; what it keeps is split by kind, one module each: tokens.py
(access tokens and pre-registered amounts), payments.py (payments, as documents.py shapes them),
lookups.py (finding and listing them), cancels.py (cancels and revoked virtual accounts),
deliveries.py (the webhook log), switches.py (the fault switches) and mailbox.py (mail the shop
hands over instead of sending it).
"""

from . import deliveries, mailbox, payments, switches, tokens
from .cancels import CancelRefused, CancelStore, VbankRevokeRefused
from .deliveries import DeliveryStore
from .lookups import LookupStore
from .mailbox import MailboxStore
from .payments import PaymentStore
from .switches import SwitchStore
from .tokens import TokenStore

__all__ = ["CancelRefused", "SandboxStore", "VbankRevokeRefused"]


class SandboxStore(
    TokenStore, PaymentStore, LookupStore, CancelStore, DeliveryStore, SwitchStore, MailboxStore
):
    """Every part over the same file, clock and transactions (database.Database)."""

    SCHEMA = tokens.SCHEMA + payments.SCHEMA + deliveries.SCHEMA + switches.SCHEMA + mailbox.SCHEMA
