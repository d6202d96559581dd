"""Sending the notice outbox by e-mail, never inside a request.

A notice is claimed before it is sent: one UPDATE, only while the notice is still due, counts
the attempt and moves next_attempt_at to a lease in the future. Of two processes (workers,
cron) only one gets the row, on SQLite and PostgreSQL alike. A sender that dies mid-send leaves
the lease to run out and the notice is tried again, so a mail server that accepted a message
whose sending was not recorded may receive it twice; it is never sent twice at once.
"""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from shop.core.crash_points import crash_point
from shop.core.extensions import db
from shop.core.ledger import Notice
from shop.notices.transports import MAIL_FAILURES, Letter, Transport, transport_for

log = logging.getLogger(__name__)

BATCH = 50
CLAIM_LEASE = timedelta(minutes=5)  # far longer than one send may take (MAIL_TIMEOUT)
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 360))  # then every 6 hours
WARNED_UNSENDABLE = "notice_outbox_warned"  # in app.extensions: said once that none can go


class Tally(NamedTuple):
    sent: int = 0
    failed: int = 0
    configured: bool = True  # False: no way to send mail (live mode without MAIL_SERVER)


def send_due_notices(app: Flask, limit: int = BATCH) -> Tally:
    """Send up to `limit` notices that are due, each by whoever claims it first."""
    with app.app_context():
        transport = transport_for(app)
        if transport is None:
            _warn_unconfigured(app)
            return Tally(configured=False)
        outcomes = [_deliver(letter, transport) for letter in _claimed(limit)]
    return Tally(sent=outcomes.count(True), failed=outcomes.count(False))


def _claimed(limit: int) -> Iterator[Letter]:
    """Due notices, claimed one at a time as they are sent (a lease starts at its claim)."""
    for notice_id in _due_ids(limit):
        letter = _claim(notice_id)
        if letter is not None:
            yield letter


def _due(now: datetime):
    return (
        Notice.sent_at.is_(None),
        Notice.attempts < current_app.config["NOTICE_MAX_ATTEMPTS"],
        or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now),
    )


def _due_ids(limit: int) -> list[int]:
    query = select(Notice.id).where(*_due(_now())).order_by(Notice.id).limit(limit)
    ids = list(db.session.execute(query).scalars())
    db.session.commit()
    return ids


def _claim(notice_id: int) -> Letter | None:
    now = _now()
    claimed = db.session.execute(
        update(Notice)
        .where(Notice.id == notice_id, *_due(now))
        .values(attempts=Notice.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .returning(Notice.id, Notice.recipient, Notice.subject, Notice.body, Notice.attempts)
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    return Letter(*claimed) if claimed else None


def _deliver(letter: Letter, transport: Transport) -> bool:
    try:
        transport(letter)
    except MAIL_FAILURES as error:
        _record_failure(letter, error)
        return False
    crash_point("notice.after_send")
    _record(letter.id, sent_at=_now(), next_attempt_at=None, last_error=None)
    return True


def _record_failure(letter: Letter, error: Exception) -> None:
    gave_up = letter.attempts >= current_app.config["NOTICE_MAX_ATTEMPTS"]
    retry_at = None if gave_up else _now() + retry_delay(letter.attempts)
    _record(letter.id, next_attempt_at=retry_at, last_error=short_error(error))
    if gave_up:
        log.warning(
            "notice %s not sent after %s attempts, given up: %s",
            letter.id,
            letter.attempts,
            short_error(error),
        )
    else:
        log.info(
            "notice %s not sent (attempt %s), again at %s", letter.id, letter.attempts, retry_at
        )


def _record(notice_id: int, **values) -> None:
    db.session.execute(
        update(Notice)
        .where(Notice.id == notice_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def short_error(error: Exception) -> str:
    """What went wrong, short enough for the column and without the mail password."""
    text = f"{type(error).__name__}: {error}"
    password = current_app.config["MAIL_PASSWORD"]
    if password:
        text = text.replace(password, "***")
    return text[:200]


def _now() -> datetime:
    return datetime.now(UTC)


def _warn_unconfigured(app: Flask) -> None:
    if not app.extensions.get(WARNED_UNSENDABLE):
        app.extensions[WARNED_UNSENDABLE] = True
        log.warning("notices are not sent: MAIL_SERVER must be configured in live mode")
