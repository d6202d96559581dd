"""영업일: the days a Korean business works, Monday to Friday but for the public holidays
(공휴일, 대체공휴일 included) the `holidays` package knows for South Korea."""

from datetime import date, timedelta
from functools import cache

import holidays

# 전자상거래법 제18조 ②: the money goes back within 3 영업일 of the goods coming back.
REFUND_BUSINESS_DAYS = 3


@cache
def korean_holidays() -> holidays.HolidayBase:
    """Filled in year by year as dates are asked about."""
    return holidays.country_holidays("KR")


def business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in korean_holidays()


def add_business_days(start: date, count: int) -> date:
    """The `count`-th business day after `start` (the day itself does not count)."""
    day = start
    while count:
        day += timedelta(days=1)
        count -= business_day(day)
    return day


def refund_deadline(returned_on: date) -> date:
    """The last day to give a returned order's money back."""
    return add_business_days(returned_on, REFUND_BUSINESS_DAYS)
