"""The goods' moves (shop.core.fulfilment): every pair of states is either in the table or
refused, none goes back, and the couriers' invoices and tracking links."""

import itertools

import pytest

from shop.core.couriers import Courier, invoice_digits
from shop.core.fulfilment import MOVES, NOT_SENT, Fulfilment, may_move, sent

F = Fulfilment
ALLOWED = {
    (F.ORDERED, F.PREPARING),
    (F.ORDERED, F.SHIPPING),
    (F.PREPARING, F.SHIPPING),
    (F.SHIPPING, F.DELIVERED),
    (F.SHIPPING, F.RETURN_REQUESTED),
    (F.DELIVERED, F.CONFIRMED),
    (F.DELIVERED, F.RETURN_REQUESTED),
    (F.RETURN_REQUESTED, F.RETURN_APPROVED),
    (F.RETURN_REQUESTED, F.RETURN_REFUSED),
    (F.RETURN_APPROVED, F.RETURNED),
    (F.RETURNED, F.RETURN_REFUNDED),
}
PAIRS = list(itertools.product(Fulfilment, repeat=2))
# The order in which the goods can pass through the states: a move never goes to an earlier one.
JOURNEY = list(Fulfilment)


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED, key=str))
def test_the_table_allows_each_forward_move(current, target):
    assert may_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"), [pair for pair in PAIRS if pair not in ALLOWED], ids=str
)
def test_every_other_move_is_refused(current, target):
    assert not may_move(current, target)


def test_every_state_has_a_row_and_no_move_goes_back_or_stays():
    assert set(MOVES) == set(Fulfilment)
    for current, targets in MOVES.items():
        assert all(JOURNEY.index(target) > JOURNEY.index(current) for target in targets)


def test_the_final_states_go_nowhere():
    assert [state for state, targets in MOVES.items() if not targets] == [
        F.CONFIRMED,
        F.RETURN_REFUNDED,
        F.RETURN_REFUSED,
    ]


def test_goods_count_as_sent_from_the_courier_on():
    assert {F.ORDERED, F.PREPARING} == NOT_SENT
    assert [state for state in Fulfilment if sent(state)] == JOURNEY[2:]


def test_every_state_has_words_and_an_outcome_that_fits_the_event_column():
    assert len({state.label for state in Fulfilment}) == len(Fulfilment)
    assert all(len(state.event_outcome) <= 30 for state in Fulfilment)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("123456789012", "123456789012"),
        ("1234-5678-9012", "123456789012"),
        (" 6012 3456 7890 ", "601234567890"),
        ("1234567890", "1234567890"),
        ("12345678901234", "12345678901234"),
    ],
)
def test_an_invoice_number_is_stored_as_its_digits(typed, stored):
    assert invoice_digits(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123456789",
        "123456789012345",
        "12345abc9012",
        "１２３４５６７８９０１２",
        "1234.5678.90",
    ],
)
def test_what_is_not_an_invoice_number_is_refused(typed):
    assert invoice_digits(typed) is None


def test_each_courier_has_a_name_and_an_https_tracking_link_with_the_invoice():
    assert [courier.label for courier in Courier] == [
        "CJ대한통운",
        "한진택배",
        "롯데택배",
        "우체국택배",
        "로젠택배",
    ]
    for courier in Courier:
        link = courier.tracking_url("123456789012")
        assert link.startswith("https://") and link.endswith("123456789012")
