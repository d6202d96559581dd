"""The webhook log (webhooks.py): every attempt, and every webhook that was not sent."""

from .database import Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS deliveries ("
    " id INTEGER PRIMARY KEY, imp_uid TEXT NOT NULL, merchant_uid TEXT NOT NULL,"
    " status TEXT NOT NULL, url TEXT, content_type TEXT, body TEXT NOT NULL,"
    " attempt INTEGER NOT NULL, resend INTEGER NOT NULL, duplicate INTEGER NOT NULL,"
    " outcome TEXT NOT NULL, response_status INTEGER, response_body TEXT, error TEXT,"
    " sent_at INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS deliveries_by_imp_uid ON deliveries (imp_uid)",
)


class DeliveryStore(Database):
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
