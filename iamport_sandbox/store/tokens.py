"""What the merchant's server registers before any payment: access tokens (POST
/users/getToken) and pre-registered amounts (POST and PUT /payments/prepare)."""

import secrets

from .database import Database

TOKEN_LIFETIME = 30 * 60
TOKEN_GRACE_PERIOD = 60
TOKEN_EXTENSION = 5 * 60

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS tokens ("
    " access_token TEXT PRIMARY KEY, expired_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS prepared ("
    " merchant_uid TEXT PRIMARY KEY, amount NUMERIC NOT NULL, currency TEXT)",
)


class TokenStore(Database):
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

    def revoke_token(self, token: str) -> None:
        """Forget a token (the switchboard's api_unauthorized_once)."""
        with self._transaction() as db:
            db.execute("DELETE FROM tokens WHERE access_token = ?", (token,))

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
