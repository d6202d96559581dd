"""The 반품 rules without a shop: each reason's window in Seoul days (the day of delivery not
counted), the return shipping each reason charges, and the refund's deadline in Korean
business days, past weekends, 설날, 추석 and 대체공휴일."""

from datetime import UTC, date, datetime

import pytest

from shop.core.business_days import add_business_days, business_day, refund_deadline
from shop.core.formatting import korean_date
from shop.core.fulfilment import Fulfilment
from shop.core.models import SEOUL, Order
from shop.core.returns import (
    ReturnReason,
    add_months,
    refund_due,
    refund_late,
    shipping_deduction,
    within_window,
)

R = ReturnReason
DELIVERED = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)


def seoul(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("reason", "asked", "allowed"),
    [
        (R.CHANGED_MIND, seoul(2026, 12, 1, 10, 1), True),
        (R.CHANGED_MIND, seoul(2026, 12, 8, 23, 59), True),  # day 7
        (R.CHANGED_MIND, seoul(2026, 12, 9, 0, 0), False),  # day 8
        (R.NOT_AS_DESCRIBED, seoul(2026, 12, 9, 0, 0), True),
        (R.NOT_AS_DESCRIBED, seoul(2027, 3, 1, 23, 59), True),  # 3 months
        (R.NOT_AS_DESCRIBED, seoul(2027, 3, 2, 0, 0), False),
        (R.DEFECTIVE, seoul(2027, 2, 15), True),
        (R.WRONG_ITEM, seoul(2027, 3, 2), False),
    ],
)
def test_each_reason_has_its_window_in_seoul_days(reason, asked, allowed):
    assert within_window(reason, DELIVERED.astimezone(UTC), asked.astimezone(UTC)) is allowed


def test_a_delivery_late_in_the_seoul_evening_counts_from_the_seoul_date():
    delivered = seoul(2026, 12, 1, 23, 30).astimezone(UTC)  # still 1 December in UTC too: 14:30
    assert within_window(R.CHANGED_MIND, delivered, seoul(2026, 12, 8, 23, 0))
    assert not within_window(R.CHANGED_MIND, delivered, seoul(2026, 12, 9, 0, 5))


@pytest.mark.parametrize(
    ("day", "later"),
    [
        (date(2026, 12, 7), date(2027, 3, 7)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),
    ],
)
def test_three_months_end_on_the_same_day_or_the_months_last(day, later):
    assert add_months(day, 3) == later


@pytest.mark.parametrize(
    ("reason", "order_shipping_fee", "deducted"),
    [
        (R.CHANGED_MIND, 3000, 6000),  # the way back, and the fee paid for the way there
        (R.CHANGED_MIND, 0, 6000),  # sent free: both ways
        (R.DEFECTIVE, 3000, 0),
        (R.DEFECTIVE, 0, 0),
        (R.NOT_AS_DESCRIBED, 0, 0),
        (R.WRONG_ITEM, 3000, 0),
    ],
)
def test_only_a_change_of_mind_pays_the_return_shipping(reason, order_shipping_fee, deducted):
    assert shipping_deduction(reason, order_shipping_fee, 3000) == deducted


@pytest.mark.parametrize(
    ("arrived", "deadline"),
    [
        (date(2026, 12, 7), date(2026, 12, 10)),  # Monday: Thursday
        (date(2026, 12, 4), date(2026, 12, 9)),  # Friday: past the weekend
        (date(2026, 2, 13), date(2026, 2, 23)),  # before 설날 (16–18 February)
        (date(2026, 9, 23), date(2026, 9, 30)),  # before 추석 (24–26 September) and a weekend
        (date(2027, 2, 5), date(2027, 2, 12)),  # 설날 on a weekend, 대체공휴일 on the 9th
        (date(2027, 10, 1), date(2027, 10, 7)),  # 개천절's 대체공휴일 on the 4th
    ],
)
def test_the_refund_is_due_three_business_days_after_arrival(arrived, deadline):
    assert refund_deadline(arrived) == deadline


def test_weekends_and_korean_public_holidays_are_not_business_days():
    assert not business_day(date(2027, 2, 9))  # 대체공휴일
    assert not business_day(date(2026, 12, 25))
    assert not business_day(date(2026, 12, 12))  # Saturday
    assert business_day(date(2026, 12, 11))
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def returned(state: Fulfilment, arrived: datetime) -> Order:
    return Order(fulfilment=state, returned_at=arrived.astimezone(UTC))


def test_a_return_not_refunded_past_its_deadline_is_late():
    order = returned(Fulfilment.RETURNED, seoul(2026, 2, 13, 15, 0))
    assert refund_due(order) == date(2026, 2, 23)
    assert not refund_late(order, seoul(2026, 2, 23, 23, 59))
    assert refund_late(order, seoul(2026, 2, 24, 0, 0))
    refunded = returned(Fulfilment.RETURN_REFUNDED, seoul(2026, 2, 13, 15, 0))
    assert not refund_late(refunded, seoul(2026, 3, 1))
    assert refund_due(Order(fulfilment=Fulfilment.RETURN_APPROVED)) is None


def test_dates_read_the_korean_way():
    assert korean_date(date(2026, 12, 14)) == "2026년 12월 14일 (월)"
    assert korean_date(None) == ""
