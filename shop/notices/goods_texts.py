"""What the customer is told as the goods move (shop.core.fulfilment): that they left, with the
courier, the invoice number and the tracking link, and that they arrived."""

from shop.core.ledger import NoticeKind
from shop.core.models import Order
from shop.notices.letters import SubjectAndBody, delivery_facts, letter


def _shipped(order: Order) -> SubjectAndBody:
    assert order.courier is not None  # shop.payments.shipments.ship sets both with the move
    lines = [
        "주문하신 상품을 보냈습니다.",
        f"택배사: {order.courier.label}\n송장번호: {order.invoice_number}",
        f"배송 조회: {order.tracking_url}",
        delivery_facts(order),
    ]
    return f"[배송 시작] {order.name} 상품이 출발했습니다", letter(order, "\n\n".join(lines))


def _delivered(order: Order) -> SubjectAndBody:
    message = (
        "주문하신 상품이 배송 완료되었습니다. 상품을 확인해 주세요.\n"
        "받으신 상품이 주문과 다르거나 마음이 바뀌셨다면, 받으신 날부터 7일 안에 "
        "주문 내역에서 반품을 신청하실 수 있습니다."
    )
    return f"[배송 완료] {order.name} 상품이 도착했습니다", letter(order, message)


GOODS_TEXTS = {
    NoticeKind.SHIPPED: _shipped,
    NoticeKind.DELIVERED: _delivered,
}
