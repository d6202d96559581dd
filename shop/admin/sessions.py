"""The operator's sessions, kept on the server: the cookie holds only a random token, and a
session is good while its row exists, is younger than a working day and belongs to the
current password. So a logout ends every copy of the cookie, and a new password every
session of the old one.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.extensions import Model, db
from shop.core.models import as_utc, utcnow

LIFETIME = timedelta(hours=8)


class AdminSession(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the cookie's token: a copy of the table opens no session.
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    password_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def begin(pwhash: str) -> str:
    """A new session for the holder of this password; its token, for the cookie. Sessions
    that ran out are swept here, so the table holds a few rows at most."""
    db.session.execute(delete(AdminSession).where(AdminSession.created_at < _oldest_allowed()))
    token = secrets.token_urlsafe(32)
    db.session.add(AdminSession(token_digest=digest(token), password_fingerprint=digest(pwhash)))
    db.session.commit()
    return token


def is_open(token: object, pwhash: str) -> bool:
    if not isinstance(token, str):
        return False
    found = db.session.scalar(
        select(AdminSession).where(AdminSession.token_digest == digest(token))
    )
    return (
        found is not None
        and secrets.compare_digest(found.password_fingerprint, digest(pwhash))
        and as_utc(found.created_at) >= _oldest_allowed()
    )


def end(token: object) -> None:
    if isinstance(token, str):
        db.session.execute(delete(AdminSession).where(AdminSession.token_digest == digest(token)))
        db.session.commit()


def _oldest_allowed() -> datetime:
    return datetime.now(UTC) - LIFETIME
