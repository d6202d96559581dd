"""The steps an order's page shows, as Korean shops do: 결제완료 → 상품준비중 → 배송중 → 배송완료,
with 입금대기 first for an order paid into a virtual account.

Only orders on their way to the customer have a step: one awaiting its deposit, or one that
holds money, whose goods' state (shop.core.fulfilment) says which; the others (unpaid, declined,
cancelled, refunded, forged, expired, in review, on the return path) show their status instead.
"""

import enum
from dataclasses import dataclass

from shop.core.fulfilment import Fulfilment
from shop.core.models import Order, OrderStatus
from shop.payments.results import payment_shown
from shop.payments.states import HOLDS_MONEY


class Step(enum.Enum):
    """Each step's value is what the page says."""

    AWAITING_DEPOSIT = "입금대기"
    PAID = "결제완료"
    PREPARING = "상품준비중"
    SHIPPING = "배송중"
    DELIVERED = "배송완료"


DELIVERY = (Step.PAID, Step.PREPARING, Step.SHIPPING, Step.DELIVERED)
BY_DEPOSIT = (Step.AWAITING_DEPOSIT, *DELIVERY)

# The step an order that holds money has reached, by where its goods are; 구매확정 stays at
# 배송완료 (the page says 구매확정 beside the invoice).
REACHED = {
    Fulfilment.ORDERED: Step.PAID,
    Fulfilment.PREPARING: Step.PREPARING,
    Fulfilment.SHIPPING: Step.SHIPPING,
    Fulfilment.DELIVERED: Step.DELIVERED,
    Fulfilment.CONFIRMED: Step.DELIVERED,
}


class StepState(enum.StrEnum):
    DONE = "done"
    CURRENT = "current"
    AHEAD = "ahead"


@dataclass(frozen=True)
class Progress:
    steps: tuple[Step, ...]
    current: Step

    def state_of(self, step: Step) -> StepState:
        here, there = self.steps.index(self.current), self.steps.index(step)
        if there == here:
            return StepState.CURRENT
        return StepState.DONE if there < here else StepState.AHEAD


def progress(order: Order) -> Progress | None:
    """None for an order with no step to show."""
    reached = reached_step(order)
    if reached is None:
        return None
    return Progress(BY_DEPOSIT if by_deposit(order) else DELIVERY, reached)


def reached_step(order: Order) -> Step | None:
    if order.status == OrderStatus.VBANK_ISSUED:
        return Step.AWAITING_DEPOSIT
    return REACHED.get(order.fulfilment) if order.status in HOLDS_MONEY else None


def by_deposit(order: Order) -> bool:
    """An account awaits the deposit, or was paid into: the payment says, not the method
    chosen at checkout."""
    if order.status == OrderStatus.VBANK_ISSUED:
        return True
    payment = payment_shown(order)
    return payment is not None and payment.pay_method == "vbank"
