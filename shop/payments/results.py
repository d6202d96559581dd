"""What the customer reads on the order's page, from the order's true state and the last sync:
the result, and which payment it was made with."""

from dataclasses import dataclass

from shop.core.ledger import Payment
from shop.core.models import Order, OrderStatus
from shop.payments.failures import CLOSED, explain_for_customer
from shop.payments.methods import METHODS, reported_method
from shop.payments.outcomes import Outcome, SyncResult

# A final decline or a closed window: the page says so, and offers to pay again.
DECLINES = ("failed", "closed")


@dataclass(frozen=True)
class ResultView:
    kind: str  # paid, vbank, failed, closed, pending, checking, forged, expired, review,
    # refunded, mismatch, missing, invalid
    title: str
    message: str = ""
    can_retry: bool = False
    detail: str = ""  # the PG's own code and text, as PortOne reported it

    @property
    def final(self) -> bool:
        """Nothing the customer should wait for: no "this page will change" note. (A late
        approval may still come, and the page still follows it, silently.)"""
        return self.kind in DECLINES


BY_STATUS = {
    OrderStatus.PAID: ResultView("paid", "결제가 완료되었습니다", "주문해 주셔서 감사합니다."),
    OrderStatus.VBANK_ISSUED: ResultView(
        "vbank",
        "가상계좌가 발급되었습니다",
        "입금 기한 안에 아래 계좌로 입금하시면 주문이 완료됩니다.",
    ),
    OrderStatus.FORGED: ResultView(
        "forged",
        "결제를 확인하지 못했습니다",
        "결제된 금액이 주문 금액과 달라 주문을 처리하지 않았습니다. 결제된 금액은 자동으로 환불됩니다.",
    ),
    OrderStatus.PENDING: ResultView(
        "pending", "결제가 아직 완료되지 않았습니다", "결제하기를 눌러 결제를 진행해 주세요.", True
    ),
    OrderStatus.EXPIRED: ResultView(
        "expired",
        "입금 기한이 지났습니다",
        "기한 안에 입금이 확인되지 않아 주문이 취소되었습니다. 다시 주문해 주세요.",
    ),
    OrderStatus.NEEDS_REVIEW: ResultView(
        "review",
        "주문을 확인하고 있습니다",
        "결제는 확인되었지만 상점의 확인이 필요한 주문입니다. 확인 후 연락드리겠습니다.",
    ),
    OrderStatus.PARTIALLY_REFUNDED: ResultView(
        "paid", "결제가 완료되었습니다", "결제 금액 중 일부가 환불되었습니다."
    ),
    OrderStatus.REFUNDED: ResultView(
        "refunded", "결제가 취소되었습니다", "결제하신 금액이 전액 환불되었습니다."
    ),
    OrderStatus.CANCELLED: ResultView(
        "refunded", "주문이 취소되었습니다", "요청하신 대로 주문을 취소했습니다."
    ),
}

BY_OUTCOME = {
    Outcome.UNAVAILABLE: ResultView(
        "checking",
        "결제 결과를 확인하고 있습니다",
        "결제사 응답이 늦어지고 있습니다. 잠시 후 자동으로 다시 확인합니다.",
    ),
    Outcome.MISMATCH: ResultView(
        "mismatch",
        "주문 정보가 일치하지 않습니다",
        "이 결제는 요청한 주문의 결제가 아닙니다. 주문 내역을 확인해 주세요.",
    ),
    Outcome.UNKNOWN_PAYMENT: ResultView(
        "missing",
        "결제 정보를 찾을 수 없습니다",
        "결제가 시작되지 않았거나 주소가 올바르지 않습니다.",
    ),
    Outcome.UNKNOWN_ORDER: ResultView(
        "missing",
        "주문을 찾을 수 없습니다",
        "이 결제에 해당하는 주문이 없습니다. 고객센터로 문의해 주세요.",
    ),
    Outcome.INVALID: ResultView(
        "invalid", "결제 결과를 확인할 수 없습니다", "결제 결과 주소가 올바르지 않습니다."
    ),
}


def describe(
    order: Order | None, result: SyncResult | None = None, error_msg: str | None = None
) -> ResultView:
    """`error_msg` is the return URL's copy of the PG's message: it may pick which sentence is
    shown, but is never printed (anyone can write a link with any text in it)."""
    outcome = result.outcome if result else None
    if outcome == Outcome.UNKNOWN_PAYMENT and order is not None:
        return not_opened(order, error_msg)
    if outcome in BY_OUTCOME:
        return BY_OUTCOME[outcome]
    if order is None:
        return BY_OUTCOME[Outcome.INVALID]
    if order.status == OrderStatus.FAILED:
        return failure(order, error_msg)
    return BY_STATUS[order.status]


def failure(order: Order, error_msg: str | None) -> ResultView:
    told = order.latest_payment.fail_reason if order.latest_payment else None
    explained = explain_for_customer(told or error_msg, order.merchant_uid)
    kind = "closed" if explained is CLOSED else "failed"
    detail = "" if explained.merchant_side else (told or "")
    return ResultView(kind, explained.title, explained.advice, True, detail)


def not_opened(order: Order, error_msg: str | None) -> ResultView:
    """PortOne refused the request before any payment existed (no imp_uid came back)."""
    if order.status not in (OrderStatus.PENDING, OrderStatus.FAILED):
        return BY_STATUS[order.status]
    explained = explain_for_customer(error_msg, order.merchant_uid)
    if explained.merchant_side or explained is CLOSED:
        return ResultView("failed", explained.title, explained.advice, True)
    return ResultView(
        "failed",
        "결제창을 열지 못했습니다",
        "잠시 후 다시 시도하시거나 다른 결제 수단을 이용해 주세요.",
        True,
    )


def payment_shown(order: Order) -> Payment | None:
    """The payment the page speaks of: the account awaiting its deposit, the one that paid
    (refunded since or not), else the last one tried."""
    if order.status == OrderStatus.VBANK_ISSUED:
        return order.vbank_payment
    paid = (payment for payment in reversed(order.payments) if payment.paid_at)
    return next(paid, order.latest_payment)


def paid_with(order: Order) -> str:
    """The method's label: the payment's own, else the one chosen at checkout (the pay page
    lets an order be paid another way)."""
    payment = payment_shown(order)
    reported = reported_method(payment.pg_provider, payment.pay_method) if payment else None
    key = reported or (order.pay_method if order.pay_method in METHODS else None)
    return METHODS[key].label if key else order.pay_method
