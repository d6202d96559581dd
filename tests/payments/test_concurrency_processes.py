"""One payment, many deliveries at once, answered by separate processes: gunicorn's workers.

The shop runs under gunicorn with three synchronous workers on 127.0.0.1, on the same database
and the same sandbox file as this test's own app. The test buys and pays through its own app,
then lets go together, from a barrier in its threads, real HTTP requests for that one payment:
callbacks (with a session cookie and CSRF token the server gave), phone returns and webhooks
(JSON and form, each twice). Whatever worker answers what, the order is paid once: one
transition to paid, one stock decrement, one notice, and no answer is a server error.

`pytest -s` shows each test's figures in one line.
"""

import pytest

from tests.concurrency_helpers import (
    CARD_DELIVERIES,
    VBANK_DELIVERIES,
    Deliveries,
    OverHTTP,
    Rounds,
)
from tests.conftest import DATABASES
from tests.gunicorn_servers import gunicorn, server_environment
from tests.helpers import free_port
from tests.invariants import broken_promises

pytestmark = [pytest.mark.parametrize("app", DATABASES, indirect=True), pytest.mark.slow]

WORKERS = 3
# Every fifth round is a virtual account (issued, then deposited), the others a card.
ROUNDS = 100
VBANK_EVERY = 5


@pytest.fixture
def server(app, tmp_path):
    """gunicorn serving the shop (its sandbox included) on 127.0.0.1."""
    url = f"http://127.0.0.1:{free_port()}"
    with gunicorn(server_environment(app, url), tmp_path, "--workers", str(WORKERS)) as served:
        yield served


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
