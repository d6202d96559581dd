"""Escrow shipping records (POST, PUT and GET /escrows/logis/{imp_uid}): one per payment, kept
next to it in the same file and written in the same transaction that reads the payment."""

import json
import sqlite3
from collections.abc import Callable

from ..webguard import Payment
from .database import Database
from .payments import read_payment

# A change to a payment's shipping record: the record to keep, from the payment (None when
# there is none) and the record registered so far (None when none is); it raises to refuse.
LogisChange = Callable[[Payment | None, dict | None], dict]

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS escrow_logis (imp_uid TEXT PRIMARY KEY, record TEXT NOT NULL)",
)


class EscrowStore(Database):
    def logis(self, imp_uid: str) -> dict | None:
        with self._connection() as db:
            return read_logis(db, imp_uid)

    def change_logis(self, imp_uid: str, change: LogisChange) -> dict:
        """Register or replace the payment's shipping record as `change` says, checked and
        written in one transaction, so two registrations cannot both pass the check."""
        with self._transaction() as db:
            found = read_payment(db, imp_uid)
            record = change(found[0] if found else None, read_logis(db, imp_uid))
            db.execute(
                "INSERT OR REPLACE INTO escrow_logis VALUES (?, ?)",
                (imp_uid, json.dumps(record, ensure_ascii=False)),
            )
        return record


def read_logis(db: sqlite3.Connection, imp_uid: str) -> dict | None:
    row = db.execute("SELECT record FROM escrow_logis WHERE imp_uid = ?", (imp_uid,)).fetchone()
    return json.loads(row["record"]) if row else None
