"""How a claimed notice leaves: by SMTP, or, in sandbox mode without a mail server, into the
sandbox's mailbox. Each transport sends one letter or raises one of MAIL_FAILURES."""

import smtplib
import sqlite3
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.errors import MessageError
from email.header import Header
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from functools import partial
from typing import NamedTuple

from flask import Flask

# smtplib's errors are OSErrors; MessageError: a header the message cannot carry.
MAIL_FAILURES = (OSError, ValueError, MessageError, sqlite3.Error)


class Letter(NamedTuple):
    """A claimed notice, read in its claim's transaction: no transaction stays open while the
    mail server is talked to."""

    id: int
    recipient: str
    subject: str
    body: str
    attempts: int


Transport = Callable[[Letter], None]


def transport_for(app: Flask) -> Transport | None:
    if app.config["MAIL_SERVER"]:
        return partial(send_by_smtp, app.config)
    sandbox = app.extensions.get("sandbox_app")
    if app.config["PAYMENT_MODE"] == "sandbox" and sandbox is not None:
        return partial(drop_in_sandbox_mailbox, sandbox.extensions["sandbox"])
    return None


def send_by_smtp(config, letter: Letter) -> None:
    with smtp_session(config) as smtp:
        smtp.send_message(compose(letter, mail_sender(config)))


@contextmanager
def smtp_session(config) -> Iterator[smtplib.SMTP]:
    """A connection to MAIL_SERVER, encrypted and logged in as configured (the preflight opens
    one too); raises one of MAIL_FAILURES."""
    server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    with smtplib.SMTP(server, port, timeout=timeout) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        yield smtp


def compose(letter: Letter, sender: str) -> MIMEText:
    """A text/plain UTF-8 message (base64 body). The subject goes through email.header.Header:
    EmailMessage's default policy (Python 3.11) loses the space where it folds a Korean
    subject into two encoded words."""
    message = MIMEText(letter.body, "plain", "utf-8")
    message["From"] = formataddr(parseaddr(sender), charset="utf-8")
    message["To"] = letter.recipient
    # typeshed types a MIMEText's headers as str; a compat32 message takes a Header as well.
    message["Subject"] = Header(letter.subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(f"notice{letter.id}", domain=_domain(sender))
    return message


def _domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def mail_sender(config) -> str:
    return config["MAIL_SENDER"] or formataddr((config["SHOP_NAME"], "no-reply@example.com"))


def drop_in_sandbox_mailbox(sandbox_store, letter: Letter) -> None:
    sandbox_store.deliver_mail(letter.recipient, letter.subject, letter.body)
