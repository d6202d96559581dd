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
from decimal import Decimal

from .money import fits_currency, not_whole_won

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
    # The webhook log (webhooks.py) and the fault switches (switchboard.py).
    "CREATE TABLE IF NOT EXISTS deliveries ("
    " id INTEGER PRIMARY KEY, imp_uid TEXT NOT NULL, merchant_uid TEXT NOT NULL,"
    " status TEXT NOT NULL, url TEXT, content_type TEXT, body TEXT NOT NULL,"
    " attempt INTEGER NOT NULL, resend INTEGER NOT NULL, duplicate INTEGER NOT NULL,"
    " outcome TEXT NOT NULL, response_status INTEGER, response_body TEXT, error TEXT,"
    " sent_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS deliveries_by_imp_uid ON deliveries (imp_uid)",
    "CREATE TABLE IF NOT EXISTS switches (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
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
        "confirm_url": None,
        "confirm_calls": [],  # each call to confirm_url (confirm.py), oldest first
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
            return read_payment(db, imp_uid)

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

    # Lists and cancels (lookups of many payments, POST /payments/cancel)

    def order_payments(
        self,
        merchant_uid: str,
        status: str | None = None,
        sorting: str = "-started",
        page: int = 1,
        limit: int = 20,
    ) -> tuple[int, list[dict]]:
        """One page of an order's payments, optionally in one status, and how many there are."""
        where, arguments = "merchant_uid = ?", (merchant_uid,)
        if status is not None:
            where, arguments = f"{where} AND status = ?", (*arguments, status)
        return self._page(where, arguments, sorting, page, limit)

    def payments_in_status(
        self,
        status: str,
        since: int,
        until: int,
        sorting: str = "-started",
        page: int = 1,
        limit: int = 20,
    ) -> tuple[int, list[dict]]:
        """One page of the payments in a status (or `all`) whose moment of that status lies
        in [since, until], and how many there are."""
        where, arguments = f"{STATUS_MOMENTS[status]} BETWEEN ? AND ?", (since, until)
        if status != "all":
            where, arguments = f"{where} AND status = ?", (*arguments, status)
        return self._page(where, arguments, sorting, page, limit)

    def _page(
        self, where: str, arguments: tuple, sorting: str, page: int, limit: int
    ) -> tuple[int, list[dict]]:
        with self._connection() as db:
            db.execute("BEGIN")  # one snapshot, so the count and the page agree
            query = f"FROM payments WHERE {where}"
            total = db.execute(f"SELECT count(*) {query}", arguments).fetchone()[0]
            rows = db.execute(
                f"SELECT payment {query} ORDER BY {SORTINGS[sorting]} LIMIT ? OFFSET ?",
                (*arguments, limit, (page - 1) * limit),
            ).fetchall()
        return total, [json.loads(row["payment"]) for row in rows]

    def cancellable_payment(self, merchant_uid: str) -> dict | None:
        """The payment a cancel by merchant_uid is about: the order's newest paid or partly
        cancelled payment; else, so that the refusal gives the real reason, its newest fully
        cancelled one, else its newest of any status."""
        with self._connection() as db:
            row = db.execute(
                "SELECT payment FROM payments WHERE merchant_uid = ? ORDER BY CASE"
                " WHEN status = 'paid' THEN 0 WHEN status = 'cancelled' AND"
                " json_extract(payment, '$.cancel_amount') > 0 AND"
                " json_extract(payment, '$.cancel_amount') < json_extract(payment, '$.amount')"
                " THEN 0 WHEN status = 'cancelled' THEN 1 ELSE 2 END,"
                " started_at DESC, rowid DESC LIMIT 1",
                (merchant_uid,),
            ).fetchone()
        return json.loads(row["payment"]) if row else None

    def cancel(
        self,
        imp_uid: str,
        amount: float | None = None,
        reason: str | None = None,
        checksum: float | None = None,
        refund: dict | None = None,
    ) -> tuple[dict, str]:
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
            cancellation = {
                "pg_tid": payment["pg_tid"] or f"sandbox{random_digits(16)}",
                "amount": plain_number(taken),
                "cancelled_at": now,
                "reason": reason,
                # The sandbox's receipt page shows the payment with its cancels.
                "receipt_url": payment["receipt_url"],
                "cancellation_id": cancellation_id,
            }
            payment |= {
                "status": "cancelled",
                "cancel_amount": plain_number(exact(payment["cancel_amount"]) + taken),
                "cancelled_at": now,
                "cancel_reason": reason,
                "cancel_history": [*payment["cancel_history"], cancellation],
                "cancel_receipt_urls": payment["cancel_receipt_urls"]
                + ([payment["receipt_url"]] if payment["receipt_url"] else []),
            }
            write_payment(db, payment, checkout, now)
        return payment, cancellation_id

    # Virtual accounts (DELETE /vbanks/{imp_uid} and the console)

    def revoke_vbank(self, imp_uid: str) -> dict | None:
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

    # Webhook log, switches and console actions (webhooks.py, switchboard.py, dashboard.py)

    def log_delivery(self, **fields: object) -> dict:
        """Append one webhook attempt (or a note that none was made) to the log."""
        row = {"attempt": 1, "resend": False, "duplicate": False, "sent_at": self.now()} | fields
        with self._transaction() as db:
            row["id"] = db.execute(
                f"INSERT INTO deliveries ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            ).lastrowid
        return row

    def deliveries(self, imp_uid: str | None = None, limit: int = 500) -> list[dict]:
        """The last `limit` logged attempts, of one payment or of all, oldest first."""
        where, arguments = ("WHERE imp_uid = ?", (imp_uid,)) if imp_uid else ("", ())
        with self._connection() as db:
            rows = db.execute(
                f"SELECT * FROM (SELECT * FROM deliveries {where} ORDER BY id DESC LIMIT ?)"
                " ORDER BY id",
                (*arguments, limit),
            ).fetchall()
        return [
            dict(row) | {"resend": bool(row["resend"]), "duplicate": bool(row["duplicate"])}
            for row in rows
        ]

    def switches(self) -> dict[str, object]:
        """The switches that are on; a switch that is off has no row."""
        with self._connection() as db:
            rows = db.execute("SELECT name, value FROM switches").fetchall()
        return {row["name"]: json.loads(row["value"]) for row in rows}

    def change_switch(self, name: str, change: Callable[[object], object]) -> object:
        """Replace a switch's value (None: off) in one transaction; returns the value before."""
        with self._transaction() as db:
            row = db.execute("SELECT value FROM switches WHERE name = ?", (name,)).fetchone()
            before = json.loads(row["value"]) if row else None
            after = change(before)
            if after is None:
                db.execute("DELETE FROM switches WHERE name = ?", (name,))
            else:
                db.execute(
                    "INSERT OR REPLACE INTO switches VALUES (?, ?)", (name, json.dumps(after))
                )
        return before

    def clear_switches(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM switches")

    def revoke_token(self, token: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM tokens WHERE access_token = ?", (token,))

    def update_payment(
        self, imp_uid: str, change: Callable[[dict, dict], dict | None]
    ) -> dict | None:
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

    def reset(self) -> None:
        """Empty every table of the file: payments, tokens, registrations, log and switches."""
        with self._transaction() as db:
            tables = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for (table,) in tables:
                db.execute(f'DELETE FROM "{table}"')


def read_payment(db: sqlite3.Connection, imp_uid: str) -> tuple[dict, dict] | None:
    row = db.execute(
        "SELECT payment, checkout FROM payments WHERE imp_uid = ?", (imp_uid,)
    ).fetchone()
    return (json.loads(row["payment"]), json.loads(row["checkout"])) if row else None


def write_payment(db: sqlite3.Connection, payment: dict, checkout: dict, now: int) -> None:
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


def is_decided(payment: dict, checkout: dict) -> bool:
    """Whether the window is done: a decision was taken, or the payment left `ready` otherwise."""
    return checkout["outcome"] is not None or payment["status"] != "ready"


# Lists and cancels

# The moment /payments/status/{payment_status} compares with `from` and `to`.
STATUS_MOMENTS = {
    "all": "started_at",
    "ready": "started_at",
    "paid": "paid_at",
    "cancelled": "json_extract(payment, '$.cancelled_at')",
    "failed": "json_extract(payment, '$.failed_at')",
}
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


class CancelRefused(Exception):
    """A cancel PortOne refuses: `code` (1, or -1 when the PG refuses) and `message` for the
    envelope, which goes out with HTTP 200."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def exact(amount: float) -> Decimal:
    """Money as a Decimal, so partial cancels of fractional currencies add up exactly."""
    return Decimal(str(amount))


def plain_number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def cancellable_amount(
    payment: dict, amount: float | None, checksum: float | None, refund: dict | None
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


def is_revoked(payment: dict) -> bool:
    """A revoked virtual account: cancelled without anything cancelled (revoke_vbank)."""
    return (
        payment["status"] == "cancelled"
        and payment["pay_method"] == "vbank"
        and bool(payment["vbank_num"])
        and not payment["cancel_history"]
    )


def revoke_problem(payment: dict) -> str | None:
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
