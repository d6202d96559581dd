"""The notices of a 반품: approved (the courier comes for the goods) and refused (why). Its
refund is told as every refund is (shop.notices.texts.refund_letter)."""

from shop.core.business_days import REFUND_BUSINESS_DAYS
from shop.core.formatting import won
from shop.core.ledger import NoticeKind, ReturnRequest
from shop.core.models import Order
from shop.core.queries import return_of
from shop.notices.letters import SubjectAndBody, letter


def _approved(order: Order) -> SubjectAndBody:
    asked = _asked(order)
    return (
        f"[반품 승인] {order.name} 반품 신청이 승인되었습니다",
        letter(
            order,
            "반품 신청을 승인했습니다. 택배 기사님이 상품을 찾으러 방문합니다(회수중).\n"
            f"반품 사유: {asked.reason.label}\n"
            f"{_deduction(asked)}\n"
            f"상품이 도착하면 {REFUND_BUSINESS_DAYS}영업일 안에 환불해 드립니다.",
            amount_label="주문 금액",
        ),
    )


def _deduction(asked: ReturnRequest) -> str:
    if not asked.shipping_deduction:
        return "반품 배송비는 상점이 부담합니다."
    return f"왕복 배송비 {won(asked.shipping_deduction)}을 뺀 금액을 환불해 드립니다."


def _refused(order: Order) -> SubjectAndBody:
    asked = _asked(order)
    return (
        f"[반품 거절] {order.name} 반품 신청을 받아들이지 못했습니다",
        letter(
            order,
            "죄송합니다. 반품 신청을 받아들이지 못했습니다.\n"
            f"사유: {asked.refusal}\n"
            "궁금하신 점은 고객센터로 문의해 주세요.",
            amount_label="주문 금액",
        ),
    )


def _asked(order: Order) -> ReturnRequest:
    asked = return_of(order)
    if asked is None:  # shop.payments.returns queues these only for an order with a return
        raise ValueError(f"order {order.merchant_uid} has no return to tell of")
    return asked


RETURN_TEXTS = {NoticeKind.RETURN_APPROVED: _approved, NoticeKind.RETURN_REFUSED: _refused}
