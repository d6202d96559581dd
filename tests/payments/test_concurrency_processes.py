"""One payment, many deliveries at once, answered by separate processes: gunicorn's workers.

The shop runs under gunicorn with three synchronous workers on 127.0.0.1, on the same database
and the same sandbox file as this test's own app. The test buys and pays through its own app,
then lets go together, from a barrier in its threads, real HTTP requests for that one payment:
callbacks (with a session cookie and CSRF token the server gave), phone returns and webhooks
(JSON and form, each twice). Whatever worker answers what, the order is paid once: one
transition to paid, one stock decrement, one notice, and no answer is a server error.

`pytest -s` shows each test's figures in one line.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from shop.core.settings import ENV_SETTINGS
from tests.concurrency_helpers import (
    CARD_DELIVERIES,
    VBANK_DELIVERIES,
    Deliveries,
    OverHTTP,
    Rounds,
)
from tests.conftest import DATABASES
from tests.helpers import free_port, log_tail, wait_until_up
from tests.invariants import broken_promises

pytestmark = [pytest.mark.parametrize("app", DATABASES, indirect=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
STOP_SECONDS = 10
# Every fifth round is a virtual account (issued, then deposited), the others a card.
ROUNDS = 100
VBANK_EVERY = 5


def server_environment(app, url: str) -> dict[str, str]:
    """The test app's database and sandbox file, passed as the shop reads them; none of the
    caller's own shop settings (live PortOne keys, say) leak in."""
    assert "SANDBOX_DATABASE" in ENV_SETTINGS, "the workers must share the sandbox's file"
    inherited = {name: value for name, value in os.environ.items() if name not in ENV_SETTINGS}
    return inherited | {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SANDBOX_DATABASE": app.config["SANDBOX_DATABASE"],
        "SHOP_URL": url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "PAYMENT_MODE": "sandbox",
        # Hundreds of deliveries from one address in a minute: far past any customer's limits.
        "RATELIMIT_ENABLED": "0",
        # Each delivery must reach PortOne, however many a worker holds at once.
        "PORTONE_CONCURRENCY": "0",
    }


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_SECONDS)


@dataclass(frozen=True)
class Server:
    url: str
    access_log: Path

    def answers(self) -> list[tuple[str, int]]:
        """(worker pid, status) of every request answered so far."""
        lines = self.access_log.read_text().split()
        return [(pid, int(status)) for pid, status in zip(lines[::2], lines[1::2], strict=True)]


@pytest.fixture
def server(app, tmp_path):
    """gunicorn serving the shop (its sandbox included) on 127.0.0.1."""
    url = f"http://127.0.0.1:{free_port()}"
    log = tmp_path / "gunicorn.log"
    access_log = tmp_path / "access.log"
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(WORKERS),
        "--bind", url.removeprefix("http://"),
        "--chdir", str(ROOT),
        "--graceful-timeout", "3",
        "--access-logfile", str(access_log),
        "--access-logformat", "%(p)s %(s)s",
        "wsgi:app",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=server_environment(app, url), stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_up(url + "/", process, log)
        yield Server(url, access_log)
    finally:
        stop(process)
    assert "Traceback" not in log.read_text(errors="replace"), log_tail(log)


def test_concurrent_deliveries_to_several_worker_processes_fulfil_each_payment_once(
    app, shopper, server
):
    rounds = Rounds(app, shopper, Deliveries(OverHTTP(server.url)), f"gunicorn -w {WORKERS}")
    for number in range(1, ROUNDS + 1):
        if number % VBANK_EVERY:
            rounds.card()
        else:
            rounds.virtual_account()  # the deposit through a worker's sandbox console

    tally = rounds.tally
    workers = {pid for pid, _ in server.answers()}
    print(tally.line(), f"workers_answering={len(workers)}")
    vbank_rounds = ROUNDS // VBANK_EVERY
    card_rounds = ROUNDS - vbank_rounds
    assert (tally.rounds, tally.server_errors) == (ROUNDS, 0)
    assert tally.deliveries == card_rounds * CARD_DELIVERIES + vbank_rounds * VBANK_DELIVERIES
    moves = card_rounds + vbank_rounds * 2
    assert tally.duplicates + tally.stored == tally.deliveries - moves
    assert tally.copies == card_rounds * 3 + vbank_rounds * 6
    assert len(workers) > 1, "one process answered everything: nothing ran in parallel"
    assert [status for _, status in server.answers() if status >= 500] == []
    assert broken_promises(app) == []
