"""The sandbox's own state: tokens, pre-registered amounts and payments in one SQLite file.

Several threads and several processes (the shop's workers) share the file, so every operation
opens its own connection, the journal is WAL and every write is one short IMMEDIATE transaction.
"""

import json
import math
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TOKEN_LIFETIME = 30 * 60
TOKEN_GRACE_PERIOD = 60
TOKEN_EXTENSION = 5 * 60

SORTINGS = {
    "-started": "started_at DESC, rowid DESC",
    "started": "started_at ASC, rowid ASC",
    "-paid": "paid_at DESC, rowid DESC",
    "paid": "paid_at ASC, rowid ASC",
    "-updated": "updated_at DESC, rowid DESC",
    "updated": "updated_at ASC, rowid ASC",
}

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS tokens ("
    " access_token TEXT PRIMARY KEY, expired_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS prepared ("
    " merchant_uid TEXT PRIMARY KEY, amount NUMERIC NOT NULL, currency TEXT)",
    # The columns next to the JSON documents exist only so lookups can filter and sort.
    "CREATE TABLE IF NOT EXISTS payments ("
    " imp_uid TEXT PRIMARY KEY, merchant_uid TEXT NOT NULL, status TEXT NOT NULL,"
    " started_at INTEGER NOT NULL, paid_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " payment TEXT NOT NULL, checkout TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS payments_by_merchant_uid ON payments (merchant_uid)",
)


def random_digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def normalize_amount(value: object) -> int | float | None:
    """A positive finite number, as an int when it has no fraction; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return int(value) if float(value).is_integer() else value


def blank_payment(now: int) -> dict:
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
        "outcome": None,
        "error_code": None,
    }


PAYMENT_FIELDS = frozenset(blank_payment(0))


def status_defaults(payment: dict, now: int) -> dict:
    """Fields a payment inserted directly in a later status would have gathered on its way."""
    if payment["status"] == "paid":
        return {"paid_at": now, "pg_tid": f"sandbox{random_digits(16)}"}
    if payment["status"] == "failed":
        return {"failed_at": now, "fail_reason": "[F1006] 카드 한도초과"}
    if payment["status"] == "cancelled":
        cancellation = {
            "pg_tid": f"sandbox{random_digits(16)}",
            "amount": payment["amount"],
            "cancelled_at": now,
            "reason": "샌드박스 테스트 취소",
            "cancellation_id": f"sandbox_cancel_{random_digits(12)}",
            "receipt_url": None,
        }
        return {
            "paid_at": now,
            "cancelled_at": now,
            "cancel_amount": payment["amount"],
            "cancel_reason": cancellation["reason"],
            "cancel_history": [cancellation],
        }
    return {}


class SandboxStore:
    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
        with self._transaction() as db:
            for statement in SCHEMA:
                db.execute(statement)

    def now(self) -> int:
        return int(self.clock())

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # Access tokens

    def issue_token(self) -> dict:
        """Return the live token, as PortOne does, so many workers can share it."""
        now = self.now()
        with self._transaction() as db:
            db.execute("DELETE FROM tokens WHERE expired_at <= ?", (now,))
            row = db.execute(
                "SELECT access_token, expired_at FROM tokens ORDER BY expired_at DESC LIMIT 1"
            ).fetchone()
            if row is None:
                token, expired_at = secrets.token_hex(20), now + TOKEN_LIFETIME
                db.execute("INSERT INTO tokens VALUES (?, ?)", (token, expired_at))
            else:
                token, expired_at = row
                if expired_at - now <= TOKEN_GRACE_PERIOD:
                    expired_at += TOKEN_EXTENSION
                    db.execute(
                        "UPDATE tokens SET expired_at = ? WHERE access_token = ?",
                        (expired_at, token),
                    )
        return {"access_token": token, "expired_at": expired_at, "now": now}

    def token_is_valid(self, token: str | None) -> bool:
        if not token:
            return False
        with self._connection() as db:
            row = db.execute(
                "SELECT 1 FROM tokens WHERE access_token = ? AND expired_at > ?",
                (token, self.now()),
            ).fetchone()
        return row is not None

    # Pre-registered amounts

    def prepare(self, merchant_uid: str, amount: float, currency: str | None) -> dict | None:
        """Register the expected amount; None when the merchant_uid is already registered."""
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO prepared VALUES (?, ?, ?)", (merchant_uid, amount, currency)
            ).rowcount
        return self.prepared(merchant_uid) if inserted else None

    def update_prepared(
        self, merchant_uid: str, amount: float, currency: str | None
    ) -> dict | None:
        """Change a registration, keeping its currency unless a new one is given."""
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE prepared SET amount = ?, currency = COALESCE(?, currency)"
                " WHERE merchant_uid = ?",
                (amount, currency, merchant_uid),
            ).rowcount
        return self.prepared(merchant_uid) if updated else None

    def prepared(self, merchant_uid: str) -> dict | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT merchant_uid, amount, currency FROM prepared WHERE merchant_uid = ?",
                (merchant_uid,),
            ).fetchone()
        return dict(row) if row else None

    # Payments

    def insert_payment(self, checkout: dict | None = None, **fields: object) -> dict:
        """Create a payment; every field has a default and any can be given."""
        unknown = fields.keys() - PAYMENT_FIELDS
        if unknown:
            raise TypeError(f"not fields of a payment: {', '.join(sorted(unknown))}")
        now = self.now()
        payment = blank_payment(now) | fields
        for key, value in status_defaults(payment, now).items():
            if key not in fields:
                payment[key] = value
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

    def get_payment(self, imp_uid: str) -> dict | None:
        found = self.payment_and_checkout(imp_uid)
        return found[0] if found else None

    def payment_and_checkout(self, imp_uid: str) -> tuple[dict, dict] | None:
        with self._connection() as db:
            row = db.execute(
                "SELECT payment, checkout FROM payments WHERE imp_uid = ?", (imp_uid,)
            ).fetchone()
        return (json.loads(row["payment"]), json.loads(row["checkout"])) if row else None

    def find_payment(
        self, merchant_uid: str, status: str | None = None, sorting: str = "-started"
    ) -> dict | None:
        """The first payment of an order in the given order (newest started by default)."""
        query = "SELECT payment FROM payments WHERE merchant_uid = ?"
        arguments: tuple = (merchant_uid,)
        if status is not None:
            query += " AND status = ?"
            arguments += (status,)
        with self._connection() as db:
            row = db.execute(f"{query} ORDER BY {SORTINGS[sorting]} LIMIT 1", arguments).fetchone()
        return json.loads(row["payment"]) if row else None

    def recent_payments(self, limit: int = 50) -> list[dict]:
        with self._connection() as db:
            rows = db.execute(
                "SELECT payment FROM payments ORDER BY started_at DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [json.loads(row["payment"]) for row in rows]

    def settle(
        self, imp_uid: str, outcome: str, changes: dict, error_code: str | None = None
    ) -> tuple[dict, dict] | None:
        """Apply the window's decision once; a payment already decided is returned unchanged."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT payment, checkout FROM payments WHERE imp_uid = ?", (imp_uid,)
            ).fetchone()
            if row is None:
                return None
            payment, checkout = json.loads(row["payment"]), json.loads(row["checkout"])
            if is_decided(payment, checkout):
                return payment, checkout
            payment |= changes
            checkout |= {"outcome": outcome, "error_code": error_code}
            db.execute(
                "UPDATE payments SET status = ?, paid_at = ?, updated_at = ?, payment = ?,"
                " checkout = ? WHERE imp_uid = ?",
                (
                    payment["status"],
                    payment["paid_at"],
                    self.now(),
                    json.dumps(payment, ensure_ascii=False),
                    json.dumps(checkout, ensure_ascii=False),
                    imp_uid,
                ),
            )
        return payment, checkout


def is_decided(payment: dict, checkout: dict) -> bool:
    """Whether the window is done: a decision was taken, or the payment left `ready` otherwise."""
    return checkout["outcome"] is not None or payment["status"] != "ready"
