"""Cash receipts (현금영수증): those of payments (/receipts/{imp_uid}) and those of cash taken
outside PortOne (/receipts/external/{merchant_uid}). A payment's receipt is written in the same
transaction as the payment's cash_receipt_issued, which says whether one is in force."""

import json
import sqlite3
from collections.abc import Callable
from enum import StrEnum

from ..webguard import Payment
from .database import Database
from .payments import read_payment, write_payment

# A change to a receipt: the receipt to keep, from the payment (None for an external receipt
# or an unknown imp_uid) and the receipt kept so far (None when none is); it raises to refuse.
ReceiptChange = Callable[[Payment | None, dict | None], dict]

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS cash_receipts ("
    " kind TEXT NOT NULL, key TEXT NOT NULL, receipt_tid TEXT NOT NULL UNIQUE,"
    " receipt TEXT NOT NULL, PRIMARY KEY (kind, key))",
)


class ReceiptKind(StrEnum):
    """What a receipt belongs to: a payment (keyed by imp_uid) or an order paid outside
    PortOne (keyed by merchant_uid)."""

    PAYMENT = "payment"
    EXTERNAL = "external"


class ReceiptStore(Database):
    def receipt(self, kind: ReceiptKind, key: str) -> dict | None:
        with self._connection() as db:
            return read_receipt(db, kind, key)

    def receipt_by_tid(self, receipt_tid: str) -> dict | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT receipt FROM cash_receipts WHERE receipt_tid = ?", (receipt_tid,)
            ).fetchone()
        return json.loads(row["receipt"]) if row else None

    def change_receipt(self, kind: ReceiptKind, key: str, change: ReceiptChange) -> dict:
        """Issue, reissue or cancel a receipt as `change` says, in one transaction; a payment's
        cash_receipt_issued follows: true while its receipt is not cancelled."""
        with self._transaction() as db:
            found = read_payment(db, key) if kind is ReceiptKind.PAYMENT else None
            receipt = change(found[0] if found else None, read_receipt(db, kind, key))
            db.execute(
                "INSERT OR REPLACE INTO cash_receipts VALUES (?, ?, ?, ?)",
                (kind, key, receipt["receipt_tid"], json.dumps(receipt, ensure_ascii=False)),
            )
            if found:
                payment, checkout = found
                payment["cash_receipt_issued"] = not receipt["cancelled_at"]
                write_payment(db, payment, checkout, self.now())
        return receipt


def read_receipt(db: sqlite3.Connection, kind: ReceiptKind, key: str) -> dict | None:
    row = db.execute(
        "SELECT receipt FROM cash_receipts WHERE kind = ? AND key = ?", (kind, key)
    ).fetchone()
    return json.loads(row["receipt"]) if row else None
