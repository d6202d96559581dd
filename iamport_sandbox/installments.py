"""Card installments (할부): the months the card window offers, and the one the buyer chose,
which the payment reports as card_quota (an integer; 0 is 일시불, as the spec's
PaymentAnnotation says).

PortOne's docs: 할부 needs a request of 50,000원 or more, and request_pay()'s
`display.card_quota` narrows the months offered. Its docs read that list in two ways (QuotaRule):
the SDK's request_pay page takes the months listed, KCP's and KG이니시스's pages take every month
up to the largest one listed. `[]` is 일시불 only on every page.
"""

from collections.abc import Mapping
from enum import Enum

from flask import abort

from .webguard import Payment

LUMP_SUM = 0  # 일시불
MONTHS = range(2, 13)  # the sandbox's guess at a card's list: 2~12개월
MIN_INSTALLMENT_AMOUNT = 50_000
BELOW_MINIMUM_NOTE = "할부는 5만원 이상 결제할 때 선택할 수 있습니다."


class QuotaRule(Enum):
    """How a PG reads display.card_quota."""

    LISTED = "listed"  # v1 SDK, request_pay: [6] is 일시불 and 6개월
    UP_TO_LARGEST = "up_to_largest"  # KCP, KG이니시스: [6] is 일시불 and 2~6개월


QUOTA_RULES = {"kcp": QuotaRule.UP_TO_LARGEST, "html5_inicis": QuotaRule.UP_TO_LARGEST}


def merchant_months(display: object) -> list[int] | None:
    """display.card_quota from request_pay(): the months it names, None when it names no list.

    The sandbox's guess: anything but a list is ignored (the default list is offered), and so
    is each entry that is not a month of MONTHS (0, 일시불, is offered anyway).
    """
    quota = display.get("card_quota") if isinstance(display, Mapping) else None
    if not isinstance(quota, list):
        return None
    return [months for months in quota if type(months) is int and months in MONTHS]


def offered_quotas(payment: Payment, checkout: Mapping[str, object]) -> tuple[int, ...]:
    """일시불 first, then the months the window lets the buyer choose."""
    if not allows_installments(payment):
        return (LUMP_SUM,)
    listed = checkout.get("display_card_quota")
    if not isinstance(listed, list):
        return (LUMP_SUM, *MONTHS)
    if QUOTA_RULES.get(payment["pg_provider"], QuotaRule.LISTED) is QuotaRule.UP_TO_LARGEST:
        return (LUMP_SUM, *range(MONTHS.start, max(listed, default=LUMP_SUM) + 1))
    return (LUMP_SUM, *sorted(set(listed)))


def allows_installments(payment: Payment) -> bool:
    """A card payment of 5만원 or more; that it must be in 원 is the sandbox's guess."""
    return (
        payment["pay_method"] == "card"
        and payment["currency"] == "KRW"
        and payment["amount"] >= MIN_INSTALLMENT_AMOUNT
    )


def installment_note(payment: Payment) -> str | None:
    """Why a card payment offers 일시불 only, when its amount is the reason."""
    if payment["currency"] == "KRW" and payment["amount"] < MIN_INSTALLMENT_AMOUNT:
        return BELOW_MINIMUM_NOTE
    return None


def chosen_quota(payment: Payment, checkout: Mapping[str, object], form: Mapping[str, str]) -> int:
    """The months the buyer chose (일시불 when the form names none); 400 for any not offered."""
    offered = {str(months): months for months in offered_quotas(payment, checkout)}
    quota = offered.get(form.get("card_quota", str(LUMP_SUM)))
    if quota is None:
        abort(400)
    return quota


def quota_label(months: int) -> str:
    return "일시불" if months == LUMP_SUM else f"{months}개월"
