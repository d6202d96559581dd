"""The mailbox: mail a shop hands the sandbox instead of a mail server (the shop in sandbox
mode without MAIL_SERVER), to be read on the console (/mailbox)."""

import sqlite3

from .database import Database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS mailbox ("
    " id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL,"
    " body TEXT NOT NULL, sent_at INTEGER NOT NULL)",
)


class MailboxStore(Database):
    def deliver_mail(self, recipient: str, subject: str, body: str) -> int:
        with self._transaction() as db:
            inserted = db.execute(
                "INSERT INTO mailbox (recipient, subject, body, sent_at) VALUES (?, ?, ?, ?)",
                (recipient, subject, body, self.now()),
            ).lastrowid
            if inserted is None:  # sqlite3 sets it after every INSERT of a row
                raise sqlite3.DatabaseError("the mailbox stored no message")
            return inserted

    def mailbox(self, limit: int = 100) -> list[dict]:
        """The last `limit` messages, newest first."""
        with self._connection() as db:
            rows = db.execute("SELECT * FROM mailbox ORDER BY id DESC LIMIT ?", (limit,))
            return [dict(row) for row in rows.fetchall()]
