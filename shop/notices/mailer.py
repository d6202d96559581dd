"""Sending the notice outbox by e-mail, never inside a request.

A notice is claimed before it is sent: one UPDATE, only while the notice is still due, counts
the attempt and moves next_attempt_at to a lease in the future. Of two processes (workers,
cron) only one gets the row, on SQLite and PostgreSQL alike. A sender that dies mid-send leaves
the lease to run out and the notice is tried again, so a mail server that accepted a message
whose sending was not recorded may receive it twice; it is never sent twice at once.
"""

import atexit
import logging
import smtplib
import sqlite3
import ssl
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.errors import MessageError
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from functools import partial
from typing import NamedTuple, TypeVar

from flask import Flask, current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from shop.core.config import ConfigError, switched_on
from shop.core.extensions import db
from shop.core.models import Notice

log = logging.getLogger(__name__)

BATCH = 50
CLAIM_LEASE = timedelta(minutes=5)  # far longer than one send may take (MAIL_TIMEOUT)
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 360))  # then every 6 hours
# smtplib's errors are OSErrors; MessageError: a header the message cannot carry.
MAIL_FAILURES = (OSError, ValueError, MessageError, sqlite3.Error)
QUEUED = "shop.notice_queued"  # in session.info: this transaction queued a notice
SENDER = "notice_sender"  # in app.extensions


class Letter(NamedTuple):
    """A claimed notice, read in its claim's transaction: no transaction stays open while the
    mail server is talked to."""

    id: int
    recipient: str
    subject: str
    body: str
    attempts: int


class Tally(NamedTuple):
    sent: int = 0
    failed: int = 0
    configured: bool = True  # False: no way to send mail (live mode without MAIL_SERVER)


class SenderState:
    """One app's background sender in this process, and whether it said it cannot send."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.warned = False


Transport = Callable[[Letter], None]
Number = TypeVar("Number", int, float)


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
        Notice.attempts < max_attempts(current_app.config),
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
    _record(letter.id, sent_at=_now(), next_attempt_at=None, last_error=None)
    return True


def _record_failure(letter: Letter, error: Exception) -> None:
    gave_up = letter.attempts >= max_attempts(current_app.config)
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
    state = sender_state(app)
    if not state.warned:
        state.warned = True
        log.warning("notices are not sent: MAIL_SERVER must be configured in live mode")


# Transports: each sends one letter or raises one of MAIL_FAILURES.


def transport_for(app: Flask) -> Transport | None:
    if app.config["MAIL_SERVER"]:
        return partial(send_by_smtp, app.config)
    sandbox = app.extensions.get("sandbox_app")
    if app.config["PAYMENT_MODE"] == "sandbox" and sandbox is not None:
        return partial(drop_in_sandbox_mailbox, sandbox.extensions["sandbox"])
    return None


def send_by_smtp(config, letter: Letter) -> None:
    server, port, timeout = config["MAIL_SERVER"], mail_port(config), mail_timeout(config)
    with smtplib.SMTP(server, port, timeout=timeout) as smtp:
        if switched_on(config["MAIL_USE_TLS"]):
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(compose(letter, mail_sender(config)))


def compose(letter: Letter, sender: str) -> MIMEText:
    """A text/plain UTF-8 message (base64 body). The subject goes through email.header.Header:
    EmailMessage's default policy (Python 3.11) loses the space where it folds a Korean
    subject into two encoded words."""
    message = MIMEText(letter.body, "plain", "utf-8")
    message["From"] = formataddr(parseaddr(sender), charset="utf-8")
    message["To"] = letter.recipient
    # typeshed types a MIMEText's headers as str; a compat32 message takes a Header as well.
    message["Subject"] = Header(letter.subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(f"notice{letter.id}", domain=_domain(sender))
    return message


def _domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def drop_in_sandbox_mailbox(sandbox_store, letter: Letter) -> None:
    sandbox_store.deliver_mail(letter.recipient, letter.subject, letter.body)


# Settings: numbers may arrive as strings from the environment.


def mail_sender(config) -> str:
    return config["MAIL_SENDER"] or formataddr((config["SHOP_NAME"], "no-reply@example.com"))


def mail_port(config) -> int:
    return number(config, "MAIL_PORT", int)


def mail_timeout(config) -> float:
    return number(config, "MAIL_TIMEOUT", float)


def max_attempts(config) -> int:
    return number(config, "NOTICE_MAX_ATTEMPTS", int)


def number(config, name: str, kind: type[Number]) -> Number:
    try:
        value = kind(config[name])
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise ConfigError(f"{name}는 0보다 큰 숫자여야 합니다 (현재: {config[name]!r}).")
    return value


def sender_mode(app: Flask) -> str:
    mode = app.config["NOTICE_SENDER"] or ("off" if app.testing else "thread")
    if mode not in ("thread", "off"):
        raise ConfigError(f"NOTICE_SENDER는 thread 또는 off여야 합니다 (현재: {mode!r}).")
    return mode


def check_settings(config) -> None:
    """Refuse at start what would otherwise fail every send."""
    mail_port(config)
    mail_timeout(config)
    max_attempts(config)
    number(config, "NOTICE_SEND_INTERVAL", float)


# The background sender: one thread per process and app.


def sender_state(app: Flask) -> SenderState:
    return app.extensions.setdefault(SENDER, SenderState())


def start_sender(app: Flask) -> None:
    """Send due notices every NOTICE_SEND_INTERVAL seconds, and at once after a commit that
    queued one. NOTICE_SENDER = "off" leaves them to `flask send-notices` (cron)."""
    check_settings(app.config)
    state = sender_state(app)
    if sender_mode(app) == "off" or state.thread is not None:
        return
    if not event.contains(db.session, "after_commit", _wake_if_queued):
        event.listen(db.session, "after_commit", _wake_if_queued)
    interval = number(app.config, "NOTICE_SEND_INTERVAL", float)
    state.thread = threading.Thread(
        target=_run, args=(app, state, interval), name="notice-sender", daemon=True
    )
    state.thread.start()
    atexit.register(stop_sender, app)  # let a send in progress finish, rather than cut it


def stop_sender(app: Flask, timeout: float | None = None) -> None:
    state = sender_state(app)
    state.stopping.set()
    state.wake.set()
    if state.thread is not None:
        state.thread.join(timeout if timeout is not None else mail_timeout(app.config) * 3)


def _run(app: Flask, state: SenderState, interval: float) -> None:
    handled = 0
    while True:
        if handled < BATCH:  # after a full batch more may be due: no waiting then
            state.wake.wait(interval)
        state.wake.clear()
        if state.stopping.is_set():
            return
        tally = _send_in_background(app)
        handled = tally.sent + tally.failed


def _send_in_background(app: Flask) -> Tally:
    try:
        return send_due_notices(app)
    except DBAPIError as error:
        log.warning("notices not sent, the database is unavailable: %s", type(error).__name__)
    except Exception:  # the thread must outlive any one failure, or no notice is sent again
        log.exception("the notice sender failed; it tries again")
    return Tally()


def wake_after_commit(session: Session) -> None:
    """Where a notice is queued: the sender wakes once the transaction commits."""
    session.info[QUEUED] = True


def _wake_if_queued(session: Session) -> None:
    if session.in_nested_transaction() or not session.info.pop(QUEUED, False):
        return  # a savepoint's commit is not the transaction's
    state = current_app.extensions.get(SENDER)
    if state is not None:
        state.wake.set()
