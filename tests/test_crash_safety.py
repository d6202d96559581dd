"""Crash safety: the shop killed at each of its fault points (shop.core.crash_points) and
started again loses nothing.

A `flask --app shop` command runs in a process of its own, on this test's database and sandbox
file, with SHOP_CRASH_AT naming one point; it dies there (CRASH_EXIT), mid-transaction, as on a
power cut. Then the shop starts again without the variable, as cron would, later: one
reconciliation and one run of the notice sender, once the lease of a notice claimed before the
crash has run out. Afterwards the invariants hold (tests/invariants.py): the paid order is paid,
the refund is in PortOne's cancel_history once, stock is right, and every notice reached the
SMTP server at least once and at most twice: a mail accepted just before a crash is sent again
(at-least-once, shop.notices.outbox).
"""

import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from shop.core.crash_points import CRASH_EXIT, VARIABLE
from shop.core.extensions import db
from shop.core.ledger import Notice, Refund, RefundState
from shop.core.models import OrderStatus
from shop.payments.refunds import STALLED_AFTER
from tests.conftest import DATABASES, order_status
from tests.gunicorn_servers import ROOT, server_environment
from tests.helpers import free_port
from tests.invariants import broken_promises

pytestmark = [pytest.mark.parametrize("app", DATABASES, indirect=True), pytest.mark.slow]

COMMAND_SECONDS = 60


class Shop:
    """The shop's commands, each in a process of its own, as cron on a host starts them."""

    def __init__(self, app, mail_port: int):
        self.app = app
        self.environment = server_environment(app, f"http://127.0.0.1:{free_port()}") | {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mail_port),
            "NOTICE_SENDER": "off",
        }

    def run(self, *args: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
        environment = self.environment | ({VARIABLE: crash_at} if crash_at else {})
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "shop", *args],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=COMMAND_SECONDS,
        )  # fmt: skip

    def crash(self, point: str, *args: str) -> None:
        done = self.run(*args, crash_at=point)
        assert done.returncode == CRASH_EXIT, f"{point} not reached:\n{done.stdout}{done.stderr}"

    def restart(self) -> None:
        """Later, without the variable (leases and refunds as old as after an outage): cron
        reconciles, then sends the notices."""
        leases_run_out(self.app)
        for command in (("reconcile", "--older-than", "0"), ("send-notices",)):
            done = self.run(*command)
            assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def shop(app, mail_server):
    return Shop(app, mail_server.port)


def leases_run_out(app) -> None:
    """What was claimed or recorded before the crash is as old as after a real outage: the
    outbox's lease (CLAIM_LEASE) is over, and an unfinished refund is stalled (STALLED_AFTER)."""
    now = datetime.now(UTC)
    with app.app_context():
        db.session.execute(
            update(Notice).where(Notice.sent_at.is_(None)).values(next_attempt_at=now)
        )
        db.session.execute(update(Refund).values(created_at=now - STALLED_AFTER))
        db.session.commit()


def paid_order(shopper) -> str:
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid


def cancel_history(app, merchant_uid: str) -> list[dict]:
    with app.app_context():
        payments = app.extensions["portone"].payments_of(merchant_uid)
    return [entry for payment in payments for entry in payment["cancel_history"]]


def refund_states(app) -> list[RefundState]:
    with app.app_context():
        return list(db.session.execute(select(Refund.state)).scalars())


def sent_notices(app, mail_server) -> tuple[list[int], Counter]:
    """The notices' ids, and how many mails of each the SMTP server accepted."""
    with app.app_context():
        queued = list(db.session.execute(select(Notice.id)).scalars())
        unsent = db.session.execute(select(Notice.id).where(Notice.sent_at.is_(None))).all()
    assert unsent == [], "a notice's sending was never recorded"
    received = Counter(
        int(re.search(r"notice(\d+)@", message["Message-ID"])[1])
        for message in mail_server.messages()
    )
    return queued, received


def assert_nothing_lost(app, mail_server) -> Counter:
    assert broken_promises(app) == []
    queued, received = sent_notices(app, mail_server)
    assert queued and all(1 <= received[notice] <= 2 for notice in queued), received
    return received


def test_a_sync_killed_before_its_commit_is_done_again_by_reconciliation(
    app, shopper, shop, mail_server
):
    merchant_uid = shopper.buy()
    shopper.pay_in_window(merchant_uid)  # callback and webhook lost: reconciliation finds it
    shop.crash("sync.before_commit", "reconcile", "--older-than", "0")
    assert order_status(app, merchant_uid) == OrderStatus.PENDING  # nothing half-committed

    shop.restart()
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert_nothing_lost(app, mail_server)


@pytest.mark.parametrize("point", ["refund.before_send", "refund.after_send"])
def test_a_refund_killed_around_its_cancel_is_sent_once(app, shopper, shop, mail_server, point):
    merchant_uid = paid_order(shopper)
    shop.crash(point, "refund", merchant_uid)

    shop.restart()
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert len(cancel_history(app, merchant_uid)) == 1
    assert refund_states(app) == [RefundState.DONE]
    assert_nothing_lost(app, mail_server)


def test_a_mail_sent_before_the_sender_died_is_sent_again_at_most_once(
    app, shopper, shop, mail_server
):
    paid_order(shopper)
    shop.crash("notice.after_send", "send-notices")
    assert len(mail_server.messages()) == 1  # accepted; its sending never recorded

    shop.restart()
    received = assert_nothing_lost(app, mail_server)
    assert max(received.values()) == 2  # the one accepted before the crash, again
