"""Payments: each one row with its two documents (documents.py), written as the window, the
API and the console change them."""

import json
import sqlite3
from collections.abc import Callable
from typing import Unpack

from ..webguard import Payment, PaymentFields
from .database import Database
from .documents import PAYMENT_FIELDS, blank_checkout, blank_payment, is_decided, status_defaults

# A change to a payment: the fields to set, from the payment and its checkout as they are now;
# None sets nothing.
Change = Callable[[Payment, dict], PaymentFields | None]

SCHEMA = (
    # The columns next to the JSON documents exist only so lookups can filter and sort.
    "CREATE TABLE IF NOT EXISTS payments ("
    " imp_uid TEXT PRIMARY KEY, merchant_uid TEXT NOT NULL, status TEXT NOT NULL,"
    " started_at INTEGER NOT NULL, paid_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " payment TEXT NOT NULL, checkout TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS payments_by_merchant_uid ON payments (merchant_uid)",
)


class PaymentStore(Database):
    def insert_payment(
        self, checkout: dict | None = None, **fields: Unpack[PaymentFields]
    ) -> Payment:
        """Create a payment; every field has a default and any can be given."""
        unknown = fields.keys() - PAYMENT_FIELDS
        if unknown:
            raise TypeError(f"not fields of a payment: {', '.join(sorted(unknown))}")
        now = self.now()
        given = blank_payment(now) | fields
        # What its status implies, for the fields not given.
        payment = given | status_defaults(given, now) | fields
        with self._transaction() as db:
            db.execute(
                "INSERT INTO payments VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    payment["imp_uid"],
                    payment["merchant_uid"],
                    payment["status"],
                    payment["started_at"],
                    payment["paid_at"],
                    now,
                    json.dumps(payment, ensure_ascii=False),
                    json.dumps(blank_checkout() | (checkout or {}), ensure_ascii=False),
                ),
            )
        return payment

    def get_payment(self, imp_uid: str) -> Payment | None:
        found = self.payment_and_checkout(imp_uid)
        return found[0] if found else None

    def payment_and_checkout(self, imp_uid: str) -> tuple[Payment, dict] | None:
        with self._connection() as db:
            return read_payment(db, imp_uid)

    def settle(
        self, imp_uid: str, outcome: str, changes: PaymentFields, error_code: str | None = None
    ) -> tuple[Payment, dict] | None:
        """Apply the window's decision once; a payment already decided is returned unchanged."""
        with self._transaction() as db:
            found = read_payment(db, imp_uid)
            if found is None:
                return None
            payment, checkout = found
            if is_decided(payment, checkout):
                return payment, checkout
            payment |= changes
            checkout |= {"outcome": outcome, "error_code": error_code}
            write_payment(db, payment, checkout, self.now())
        return payment, checkout

    def update_payment(self, imp_uid: str, change: Change) -> Payment | None:
        """Set the fields change(payment, checkout) returns, in one transaction.

        None when there is no such payment or change returned None; change may raise to refuse,
        and then nothing is written.
        """
        with self._transaction() as db:
            found = read_payment(db, imp_uid)
            if found is None:
                return None
            payment, checkout = found
            changes = change(payment, checkout)
            if not changes:
                return None
            payment |= changes
            write_payment(db, payment, checkout, self.now())
        return payment

    def log_confirm(self, imp_uid: str, call: dict) -> None:
        """Append one call to confirm_url to the payment's checkout; the payment is untouched,
        so its updated_at stays."""
        with self._transaction() as db:
            found = read_payment(db, imp_uid)
            if found is None:
                return
            checkout = found[1]
            checkout["confirm_calls"] = [*checkout.get("confirm_calls", []), call]
            db.execute(
                "UPDATE payments SET checkout = ? WHERE imp_uid = ?",
                (json.dumps(checkout, ensure_ascii=False), imp_uid),
            )


def read_payment(db: sqlite3.Connection, imp_uid: str) -> tuple[Payment, dict] | None:
    row = db.execute(
        "SELECT payment, checkout FROM payments WHERE imp_uid = ?", (imp_uid,)
    ).fetchone()
    return (json.loads(row["payment"]), json.loads(row["checkout"])) if row else None


def write_payment(db: sqlite3.Connection, payment: Payment, checkout: dict, now: int) -> None:
    """Store both documents and the columns that lookups filter and sort on."""
    db.execute(
        "UPDATE payments SET status = ?, paid_at = ?, updated_at = ?, payment = ?, checkout = ?"
        " WHERE imp_uid = ?",
        (
            payment["status"],
            payment["paid_at"],
            now,
            json.dumps(payment, ensure_ascii=False),
            json.dumps(checkout, ensure_ascii=False),
            payment["imp_uid"],
        ),
    )
