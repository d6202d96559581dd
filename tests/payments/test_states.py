"""The state table and the status an order's payments call for (no database needed)."""

from datetime import UTC, datetime, timedelta

import pytest

from shop.core.ledger import Payment
from shop.core.models import Order, OrderStatus
from shop.payments.states import ALLOWED, REVIEW_EXITS, next_status, resolves, target

S = OrderStatus
NOW = datetime(2026, 11, 22, tzinfo=UTC)


def pay(status, amount=10_000, cancel_amount=0, vbank=False, due=None, currency="KRW"):
    paid = status == "paid" or (status == "cancelled" and not vbank)  # vbank: revoked unpaid
    return Payment(
        paid_at=NOW if paid else None,
        status=status,
        amount=amount,
        cancel_amount=cancel_amount,
        currency=currency,
        vbank_num="123-456" if vbank else None,
        vbank_date=due,
    )


def wanted(status, *payments):
    return target(Order(status=status, amount=10_000, currency="KRW"), payments, NOW)[0]


@pytest.mark.parametrize(
    ("payments", "expected"),
    [
        ((), None),
        ((pay("ready"),), None),  # a window left open is not a result
        ((pay("failed"),), S.FAILED),
        ((pay("failed"), pay("paid")), S.PAID),  # a retry, or a late approval
        ((pay("paid"), pay("failed")), S.PAID),  # a late failure does not undo a payment
        ((pay("ready", vbank=True, due=NOW + timedelta(days=1)),), S.VBANK_ISSUED),
        ((pay("ready", vbank=True, due=NOW - timedelta(seconds=1)),), S.EXPIRED),
        ((pay("paid", amount=100),), S.FORGED),
        ((pay("paid", currency="USD"),), S.FORGED),
        ((pay("ready", vbank=True, amount=100, due=NOW + timedelta(days=1)),), S.FORGED),
        ((pay("paid"), pay("paid")), S.NEEDS_REVIEW),
        ((pay("cancelled", cancel_amount=3_000),), S.PARTIALLY_REFUNDED),
        ((pay("cancelled", cancel_amount=10_000),), S.REFUNDED),
        ((pay("cancelled", cancel_amount=10_000), pay("paid")), S.PAID),
        ((pay("cancelled", cancel_amount=3_000), pay("paid")), S.NEEDS_REVIEW),
        ((pay("cancelled", vbank=True), pay("paid")), S.PAID),  # a revoked account held nothing
    ],
)
def test_the_payments_decide_where_a_pending_order_should_be(payments, expected):
    assert wanted(S.PENDING, *payments) == expected


def test_a_payment_that_does_not_fit_a_paid_order_is_reviewed_not_called_forged():
    assert wanted(S.PAID, pay("paid", amount=100)) == S.NEEDS_REVIEW


@pytest.mark.parametrize(
    ("current", "wanted_status", "step"),
    [
        (S.PENDING, S.PAID, S.PAID),
        (S.PAID, S.PAID, None),
        (S.PAID, S.VBANK_ISSUED, None),  # a stale `ready` never moves a paid order back
        (S.PAID, S.FAILED, None),
        (S.REFUNDED, S.PAID, S.NEEDS_REVIEW),  # money again on a refunded order
        (S.EXPIRED, S.PAID, S.NEEDS_REVIEW),  # a deposit after the due date
        (S.FORGED, S.PAID, S.NEEDS_REVIEW),
        (S.FORGED, S.REFUNDED, None),
        (S.NEEDS_REVIEW, S.PAID, None),  # the duplicate refunded: review waits for a person
        (S.NEEDS_REVIEW, S.PARTIALLY_REFUNDED, None),
        (S.NEEDS_REVIEW, S.REFUNDED, S.REFUNDED),  # the one named way out: all money went back
    ],
)
def test_a_move_is_made_only_where_the_table_allows(current, wanted_status, step):
    assert next_status(current, wanted_status) == step


def test_the_table_covers_every_status_and_never_loops_to_itself():
    assert set(ALLOWED) == set(OrderStatus)
    assert all(status not in targets for status, targets in ALLOWED.items())


def test_only_an_admin_resolves_a_review_and_only_named_moves_leave_it_on_their_own():
    assert ALLOWED[S.NEEDS_REVIEW] == set(REVIEW_EXITS) == {S.REFUNDED}
    assert all(resolves(S.NEEDS_REVIEW, step) for step in (S.PAID, S.CANCELLED))
    assert not any(resolves(status, S.PAID) for status in OrderStatus if status != S.NEEDS_REVIEW)
