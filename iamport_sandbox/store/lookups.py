"""Lookups of payments by order, by status and period, and for the console: what GET
/payments/find, /payments/findAll, /payments/status and a cancel by merchant_uid read."""

import json

from ..webguard import Payment
from .database import Database

SORTINGS = {
    "-started": "started_at DESC, rowid DESC",
    "started": "started_at ASC, rowid ASC",
    "-paid": "paid_at DESC, rowid DESC",
    "paid": "paid_at ASC, rowid ASC",
    "-updated": "updated_at DESC, rowid DESC",
    "updated": "updated_at ASC, rowid ASC",
}

# The moment /payments/status/{payment_status} compares with `from` and `to`.
STATUS_MOMENTS = {
    "all": "started_at",
    "ready": "started_at",
    "paid": "paid_at",
    "cancelled": "json_extract(payment, '$.cancelled_at')",
    "failed": "json_extract(payment, '$.failed_at')",
}


class LookupStore(Database):
    def find_payment(
        self, merchant_uid: str, status: str | None = None, sorting: str = "-started"
    ) -> Payment | None:
        """The first payment of an order in the given order (newest started by default)."""
        query = "SELECT payment FROM payments WHERE merchant_uid = ?"
        arguments: tuple = (merchant_uid,)
        if status is not None:
            query += " AND status = ?"
            arguments += (status,)
        with self._connection() as db:
            row = db.execute(f"{query} ORDER BY {SORTINGS[sorting]} LIMIT 1", arguments).fetchone()
        return json.loads(row["payment"]) if row else None

    def recent_payments(self, limit: int = 50) -> list[Payment]:
        with self._connection() as db:
            rows = db.execute(
                "SELECT payment FROM payments ORDER BY started_at DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [json.loads(row["payment"]) for row in rows]

    def order_payments(
        self,
        merchant_uid: str,
        status: str | None = None,
        sorting: str = "-started",
        page: int = 1,
        limit: int = 20,
    ) -> tuple[int, list[Payment]]:
        """One page of an order's payments, optionally in one status, and how many there are."""
        where = "merchant_uid = ?"
        arguments: tuple[str, ...] = (merchant_uid,)
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
    ) -> tuple[int, list[Payment]]:
        """One page of the payments in a status (or `all`) whose moment of that status lies
        in [since, until], and how many there are."""
        where = f"{STATUS_MOMENTS[status]} BETWEEN ? AND ?"
        arguments: tuple[int | str, ...] = (since, until)
        if status != "all":
            where, arguments = f"{where} AND status = ?", (*arguments, status)
        return self._page(where, arguments, sorting, page, limit)

    def _page(
        self, where: str, arguments: tuple, sorting: str, page: int, limit: int
    ) -> tuple[int, list[Payment]]:
        with self._connection() as db:
            db.execute("BEGIN")  # one snapshot, so the count and the page agree
            query = f"FROM payments WHERE {where}"
            total = db.execute(f"SELECT count(*) {query}", arguments).fetchone()[0]
            rows = db.execute(
                f"SELECT payment {query} ORDER BY {SORTINGS[sorting]} LIMIT ? OFFSET ?",
                (*arguments, limit, (page - 1) * limit),
            ).fetchall()
        return total, [json.loads(row["payment"]) for row in rows]

    def cancellable_payment(self, merchant_uid: str) -> Payment | None:
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
