"""One payment, many deliveries at once: threads in this process, on SQLite and PostgreSQL.

Each round pays one order in the sandbox's window, then lets go together, from a barrier, the
browser's callbacks, the phone's return URL and PortOne's webhooks (each webhook twice, as
JSON and as a form) for that one payment. Whatever the interleaving, the order is paid once:
one transition to paid, one stock decrement, one notice, and no answer is a server error.
The sandbox's own webhooks are dropped (make_app): every delivery here is the test's.

`pytest -s` shows each test's figures in one line.
"""

import pytest

from tests.concurrency_helpers import (
    CARD_DELIVERIES,
    VBANK_DELIVERIES,
    Deliveries,
    InProcess,
    OrderFacts,
    Rounds,
    fetch_history,
)
from tests.conftest import DATABASES, checked, make_app
from tests.invariants import broken_promises

# Every test here is rounds of racing threads: 3 to 14 s each on two cores.
pytestmark = [pytest.mark.parametrize("app", DATABASES, indirect=True), pytest.mark.slow]

# 100 rounds per database in all: about 17 s per database on two cores.
CARD_ROUNDS = 70
VBANK_ROUNDS = 20
DEPOSIT_RACE_ROUNDS = 10
DEPOSIT_RACE_DELIVERIES = 11


@pytest.fixture
def app(request, tmp_path):
    """Deliveries unrationed: dozens at once in one process, each asking PortOne (the budget
    of tests/payments/test_gateway_budget.py would answer most of them "확인 중")."""
    yield from checked(make_app(tmp_path, request.param, PORTONE_CONCURRENCY=0))


def rounds(app, shopper, label: str) -> Rounds:
    return Rounds(app, shopper, Deliveries(InProcess(app)), f"threads {label}")


def test_concurrent_deliveries_of_one_card_payment_fulfil_it_once(app, shopper):
    card = rounds(app, shopper, "card")
    for _ in range(CARD_ROUNDS):
        card.card()

    tally = card.tally
    print(tally.line())
    assert (tally.rounds, tally.deliveries, tally.server_errors) == (
        CARD_ROUNDS,
        CARD_ROUNDS * CARD_DELIVERIES,
        0,
    )
    # One move to paid per round; every other delivery changed nothing.
    assert tally.duplicates + tally.stored == tally.deliveries - CARD_ROUNDS
    assert tally.copies == CARD_ROUNDS * 3
    assert broken_promises(app) == []


def test_concurrent_deliveries_before_and_after_a_deposit_fulfil_a_virtual_account_once(
    app, shopper
):
    vbank = rounds(app, shopper, "vbank")
    for _ in range(VBANK_ROUNDS):
        vbank.virtual_account()

    tally = vbank.tally
    print(tally.line())
    assert (tally.rounds, tally.deliveries, tally.server_errors) == (
        VBANK_ROUNDS,
        VBANK_ROUNDS * VBANK_DELIVERIES,
        0,
    )
    # Issued, then paid; every other delivery changed nothing.
    assert tally.duplicates + tally.stored == tally.deliveries - VBANK_ROUNDS * 2
    assert tally.copies == VBANK_ROUNDS * 6
    assert broken_promises(app) == []


def test_deliveries_racing_the_deposit_never_undo_it_nor_fulfil_twice(app, shopper):
    """Deliveries released together with the deposit: those that fetched the account before
    it was paid may be applied after one that fetched it paid. A stale `ready` must not move
    the order back, nor let it be fulfilled twice. PortOne's paid webhook (twice in each
    format) follows the deposit, so every round ends paid."""
    race = rounds(app, shopper, "deposit-race")
    routes = {"via_vbank_issued": 0, "straight_to_paid": 0}
    stale = 0  # `ready` fetches applied after a `paid` one
    for _ in range(DEPOSIT_RACE_ROUNDS):
        merchant_uid, imp_uid, stock = race.order("vbank")
        race.release(
            [
                race.deliveries.deposit(imp_uid),
                *race.deliveries.callbacks(imp_uid, merchant_uid, 1),
                *race.deliveries.returns(imp_uid, merchant_uid, 2),
                *race.deliveries.webhooks(imp_uid, merchant_uid, "ready"),
            ]
        )
        fetched, stored = fetch_history(app, merchant_uid)
        # A `ready` applied after a `paid` (fetched before the deposit) leaves the row paid.
        assert stored == (["paid"] if "paid" in fetched else ["ready"]), fetched
        if "paid" in fetched:
            stale += fetched[fetched.index("paid") :].count("ready")
        race.release(race.deliveries.webhooks(imp_uid, merchant_uid, "paid"))

        if race.facts(merchant_uid).moves == [("pending", "paid")]:
            routes["straight_to_paid"] += 1
            moves, notices = [("pending", "paid")], {"deposit_received": 1}
        else:
            routes["via_vbank_issued"] += 1
            moves = [("pending", "vbank_issued"), ("vbank_issued", "paid")]
            notices = {"vbank_issued": 1, "deposit_received": 1}
        race.check(
            merchant_uid,
            OrderFacts(
                status="paid",
                notices=notices,
                moves=moves,
                claims=DEPOSIT_RACE_DELIVERIES,
                stock=stock - 1,
            ),
            webhooks=8,
        )

    tally = race.tally
    print(tally.line(), f"stale_ready_after_paid={stale}", *(f"{r}={n}" for r, n in routes.items()))
    assert (tally.rounds, tally.deliveries, tally.server_errors) == (
        DEPOSIT_RACE_ROUNDS,
        DEPOSIT_RACE_ROUNDS * DEPOSIT_RACE_DELIVERIES,
        0,
    )
    assert tally.copies == DEPOSIT_RACE_ROUNDS * 6
    assert broken_promises(app) == []
