"""Two hosts, as the README deploys them: two gunicorns with gunicorn.conf.py, each from a
checkout and instance folder of its own, on one PostgreSQL database and one Redis
(RATELIMIT_STORAGE_URI), sharing SECRET_KEY and, in sandbox mode, the sandbox's file (one
PortOne for both). Rate limits count both hosts' requests; deliveries of one payment split
between the hosts settle it once; reconciliation started on both at once changes each order
once; a session and CSRF token made on one host work on the other.

`make test` provisions Redis (scripts/install-redis) and passes TEST_REDIS_URL; like the
PostgreSQL tests, this one fails, never skips, when it cannot reach it. The test database
number is flushed before and after.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
from sqlalchemy import text

from shop.core.extensions import db
from shop.core.models import Order
from shop.core.settings import RATE_LIMITS
from tests.concurrency_helpers import (
    HTTP_SECONDS,
    Deliveries,
    OrderFacts,
    OverHTTP,
    Rounds,
    stock_of,
)
from tests.conftest import Shopper, checked, make_app, order
from tests.gunicorn_servers import Customer, Server, gunicorn, host_checkout, server_environment
from tests.helpers import free_port
from tests.invariants import broken_promises

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ORDER_STATUS_LIMIT = 3  # per minute and address, for the two hosts together
HOST_SETTINGS = dict.fromkeys(RATE_LIMITS, "100000 per minute") | {
    "RATELIMIT_ENABLED": "1",
    "RATELIMIT_ORDER_STATUS": f"{ORDER_STATUS_LIMIT} per minute",
    "WEB_CONCURRENCY": "2",  # read by gunicorn.conf.py
    "GUNICORN_THREADS": "2",
}
SPLIT_ROUNDS = 10  # of payments whose deliveries are split between the hosts
VBANK_EVERY = 5
RECONCILED = 6  # orders paid in the window that nobody told the shop about
RECONCILER = "two-hosts-reconcile"  # its PostgreSQL connections' application_name
BARRIER_SECONDS = 30
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Host:
    server: Server
    environment: dict[str, str]
    checkout: Path

    @property
    def url(self) -> str:
        return self.server.url

    def flask(self, *args: str) -> subprocess.Popen:
        """A `flask --app shop` command on this host, as its cron would start it; its
        database connections are named, for the test to see them wait."""
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "shop", *args],
            cwd=self.checkout,
            env=self.environment | {"PGAPPNAME": RECONCILER},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The test's own shop on PostgreSQL: it buys and pays, and reads the tables."""
    yield from checked(make_app(tmp_path_factory.mktemp("shop"), "postgresql"))


@pytest.fixture(scope="module")
def redis_url():
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.flushdb()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis를 쓸 수 없습니다 ({REDIS_URL}): make test로 실행하세요. {error}")
    yield REDIS_URL
    store.flushdb()
    store.close()


@pytest.fixture(scope="module")
def hosts(app, redis_url, tmp_path_factory):
    with ExitStack() as stack:
        yield tuple(
            stack.enter_context(host(app, redis_url, tmp_path_factory.mktemp(f"host-{name}")))
            for name in "ab"
        )


@contextmanager
def host(app, redis_url: str, folder: Path) -> Iterator[Host]:
    """One host: its own checkout and instance folder, the shared settings, gunicorn."""
    url = f"http://127.0.0.1:{free_port()}"
    environment = server_environment(app, url) | HOST_SETTINGS
    environment["RATELIMIT_STORAGE_URI"] = redis_url
    checkout = host_checkout(folder / "checkout")
    config = str(checkout / "gunicorn.conf.py")
    with gunicorn(environment, folder, "--config", config, checkout=checkout) as server:
        yield Host(server, environment, checkout)


@pytest.fixture(scope="module")
def rounds(app, hosts):
    """Payments whose PC callbacks go to host A, phone returns and webhooks to host B."""
    a, b = hosts
    deliveries = Deliveries(OverHTTP(a.url), elsewhere=OverHTTP(b.url))
    return Rounds(app, Shopper(app.test_client()), deliveries, "two hosts")


def test_a_rate_limit_counts_the_requests_of_both_hosts(hosts, shopper):
    path = f"/orders/{shopper.buy()}/status"
    answers = [
        requests.get(hosts[n % 2].url + path, timeout=HTTP_SECONDS).status_code
        for n in range(2 * ORDER_STATUS_LIMIT)
    ]
    assert answers == [200] * ORDER_STATUS_LIMIT + [429] * ORDER_STATUS_LIMIT


def test_deliveries_of_one_payment_split_between_the_hosts_settle_it_once(app, rounds):
    for number in range(1, SPLIT_ROUNDS + 1):
        if number % VBANK_EVERY:
            rounds.card()
        else:
            rounds.virtual_account()  # deposited through host B's sandbox console
    print(rounds.tally.line())
    assert (rounds.tally.rounds, rounds.tally.server_errors) == (SPLIT_ROUNDS, 0)
    assert broken_promises(app) == []


def test_reconciliation_started_on_both_hosts_at_once_changes_each_order_once(app, hosts, rounds):
    before = stock_of(app, rounds.product_id)
    orders = [rounds.order()[0] for _ in range(RECONCILED)]  # paid; nobody told the shop
    outputs = reconciled_together(app, hosts)
    print("reconcile on two hosts:", *(output.splitlines()[-1] for output in outputs))
    paid_once = OrderFacts(
        status="paid",
        notices={"payment_confirmed": 1},
        moves=[("pending", "paid")],
        claims=0,  # not compared: each run may record a claim
        stock=before - RECONCILED,
    )
    assert [rounds.facts(merchant_uid) for merchant_uid in orders] == [paid_once] * RECONCILED
    assert broken_promises(app) == []


def reconciled_together(app, hosts) -> list[str]:
    """What `flask reconcile` printed on each host, both let go at once: the test holds the
    order table locked until both wait for it."""
    with app.app_context(), db.engine.connect() as connection:
        table = db.engine.dialect.identifier_preparer.quote(Order.__tablename__)
        connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        runs = [h.flask("reconcile", "--older-than", "0") for h in hosts]
        wait_until_all_wait(runs)
        connection.commit()
    outputs = [run.communicate(timeout=BARRIER_SECONDS)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    return outputs


WAITING = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE application_name = :name AND wait_event_type = 'Lock'"
)


def wait_until_all_wait(runs: list[subprocess.Popen]) -> None:
    """Until every run waits for a lock (the barrier); a run that exits first fails the test.
    Each look is a connection of its own: a transaction sees one snapshot of the activity."""
    deadline = time.monotonic() + BARRIER_SECONDS
    while True:
        with db.engine.connect() as watcher:
            if watcher.execute(WAITING, {"name": RECONCILER}).scalar_one() == len(runs):
                return
        exited = [run.communicate()[0] for run in runs if run.poll() is not None]
        assert not exited, exited
        assert time.monotonic() < deadline, "the runs did not both reach the lock"
        time.sleep(POLL_SECONDS)


def test_a_session_and_csrf_token_made_on_one_host_work_on_the_other(app, hosts):
    a, b = hosts
    customer = Customer(a.url)
    customer.cushion_in_cart()  # the cart and the 주문서's token, from host A
    customer.url = b.url  # the load balancer sends the 주문서 to host B
    merchant_uid = customer.place_order()
    assert [line.product_id for line in order(app, merchant_uid).lines] == [3]
