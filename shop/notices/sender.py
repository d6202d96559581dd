"""The background sender: one thread per process and app that sends the outbox every
NOTICE_SEND_INTERVAL seconds, and at once after a commit that queued a notice."""

import atexit
import logging
import threading

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from shop.core.extensions import db
from shop.notices.outbox import BATCH, Tally, send_due_notices

log = logging.getLogger(__name__)

QUEUED = "shop.notice_queued"  # in session.info: this transaction queued a notice
SENDER = "notice_sender"  # in app.extensions


class SenderState:
    """One app's background sender in this process."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None


def sender_state(app: Flask) -> SenderState:
    return app.extensions.setdefault(SENDER, SenderState())


def sender_mode(app: Flask) -> str:
    """NOTICE_SENDER: "thread" or "off" (the settings refuse others); unset: off in tests."""
    return app.config["NOTICE_SENDER"] or ("off" if app.testing else "thread")


def start_sender(app: Flask) -> None:
    """Send due notices every NOTICE_SEND_INTERVAL seconds, and at once after a commit that
    queued one. NOTICE_SENDER = "off" leaves them to `flask send-notices` (cron)."""
    state = sender_state(app)
    if sender_mode(app) == "off" or state.thread is not None:
        return
    if not event.contains(db.session, "after_commit", _wake_if_queued):
        event.listen(db.session, "after_commit", _wake_if_queued)
    interval = app.config["NOTICE_SEND_INTERVAL"]
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
        state.thread.join(timeout if timeout is not None else app.config["MAIL_TIMEOUT"] * 3)


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
