"""청약철회 by a 반품: why the customer sends the goods back, until when they may, and who pays
the parcel's way back (전자상거래법 제17조, 제18조).

Days are Seoul dates. The day of delivery does not count (민법 제157조), so goods delivered on
the 1st may be returned until the end of the 8th: 7 days. Goods that are not what the listing
or the contract said may be returned for 3 months from delivery; the law's other limit, 30 days
from when the customer knew or could have known, is a question of fact for a person, so the
shop applies the 3 months alone and says so on its terms page.
"""

import calendar
import enum
from datetime import date, datetime, timedelta
from typing import NamedTuple

from shop.core.business_days import refund_deadline
from shop.core.fulfilment import Fulfilment
from shop.core.models import SEOUL, Order, as_utc

CHANGE_OF_MIND_DAYS = 7  # 제17조 ①
NOT_AS_PROMISED_MONTHS = 3  # 제17조 ③


class ReturnReason(enum.Enum):
    CHANGED_MIND = "changed_mind"
    DEFECTIVE = "defective"
    NOT_AS_DESCRIBED = "not_as_described"
    WRONG_ITEM = "wrong_item"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]

    @property
    def customer_pays_shipping(self) -> bool:
        """단순 변심 only (제18조 ⑨); the shop pays for goods that are not what it promised."""
        return self is ReturnReason.CHANGED_MIND

    def last_day(self, delivered_on: date) -> date:
        """The last Seoul date a return for this reason may be asked for."""
        if self.customer_pays_shipping:
            return delivered_on + timedelta(days=CHANGE_OF_MIND_DAYS)
        return add_months(delivered_on, NOT_AS_PROMISED_MONTHS)


REASON_LABELS = {
    ReturnReason.CHANGED_MIND: "단순 변심",
    ReturnReason.DEFECTIVE: "상품 불량·파손",
    ReturnReason.NOT_AS_DESCRIBED: "상품이 설명과 다름",
    ReturnReason.WRONG_ITEM: "오배송 (주문과 다른 상품)",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (11월 30일 + 3개월 = 2월 28일)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def seoul_date(moment: datetime) -> date:
    return as_utc(moment).astimezone(SEOUL).date()


def within_window(reason: ReturnReason, delivered_at: datetime, now: datetime) -> bool:
    return seoul_date(now) <= reason.last_day(seoul_date(delivered_at))


def shipping_deduction(reason: ReturnReason, order_shipping_fee: int, fee_each_way: int) -> int:
    """What comes off the refund for the parcel's ways: nothing when the shop pays; for 단순
    변심 both ways (왕복 배송비), the way back and the way there, which is the fee the customer
    paid or, for an order sent free, what the shop paid for it (fee_each_way)."""
    if not reason.customer_pays_shipping:
        return 0
    return fee_each_way + (order_shipping_fee or fee_each_way)


class Windows(NamedTuple):
    """The last day of each window a delivered order's page shows."""

    changed_mind: date
    not_as_promised: date

    def open(self, now: datetime) -> bool:
        return seoul_date(now) <= max(self)


def windows(order: Order) -> Windows | None:
    if order.delivered_at is None:
        return None
    delivered_on = seoul_date(order.delivered_at)
    return Windows(*(reason.last_day(delivered_on) for reason in WINDOW_REASONS))


WINDOW_REASONS = (ReturnReason.CHANGED_MIND, ReturnReason.NOT_AS_DESCRIBED)


def refund_due(order: Order) -> date | None:
    """The last day to refund a return that came back (제18조 ②), once it has."""
    return refund_deadline(seoul_date(order.returned_at)) if order.returned_at else None


def refund_late(order: Order, now: datetime) -> bool:
    """Back with the shop, not refunded, and past the deadline."""
    due = refund_due(order)
    return order.fulfilment is Fulfilment.RETURNED and due is not None and seoul_date(now) > due
