import re
import sqlite3
from contextlib import closing

import pytest

from iamport_sandbox.store import SandboxStore


def test_inserted_payment_has_a_default_for_every_field(store, clock, validate):
    payment = store.insert_payment()

    validate(payment, "PaymentAnnotation")
    assert re.fullmatch(r"imp_\d{12}", payment["imp_uid"])
    assert payment["status"] == "ready"
    assert payment["started_at"] == clock.now
    assert payment["sandbox"] is True
    assert store.get_payment(payment["imp_uid"]) == payment


def test_inserted_payment_takes_any_field(store):
    payment = store.insert_payment(merchant_uid="m1", amount=100, status="paid", paid_at=5)

    assert (payment["merchant_uid"], payment["amount"], payment["paid_at"]) == ("m1", 100, 5)


@pytest.mark.parametrize(
    "status, expected",
    [
        ("paid", {"paid_at": 1_700_000_000, "cancel_amount": 0}),
        ("failed", {"failed_at": 1_700_000_000, "paid_at": 0}),
        ("cancelled", {"cancelled_at": 1_700_000_000, "cancel_amount": 100}),
    ],
)
def test_inserted_payment_in_a_later_status_has_its_timestamps(store, validate, status, expected):
    payment = store.insert_payment(amount=100, status=status)

    validate(payment, "PaymentAnnotation")
    assert {key: payment[key] for key in expected} == expected


def test_cancelled_insert_records_the_cancellation(store):
    payment = store.insert_payment(amount=100, status="cancelled")

    assert [entry["amount"] for entry in payment["cancel_history"]] == [100]


def test_insert_refuses_a_field_a_payment_does_not_have(store):
    with pytest.raises(TypeError, match="amout"):
        store.insert_payment(amout=100)


def test_unknown_payment_and_registration_are_none(store):
    assert store.get_payment("imp_000000000000") is None
    assert store.prepared("order-1") is None


def test_store_uses_write_ahead_logging(store):
    with closing(sqlite3.connect(store.path)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_store_on_the_same_file_sees_the_same_state(store):
    payment = store.insert_payment()

    assert SandboxStore(store.path).get_payment(payment["imp_uid"]) == payment
