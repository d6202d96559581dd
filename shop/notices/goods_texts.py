"""What the customer is told as the goods move (shop.core.fulfilment): that they left, with the
courier, the invoice number and the tracking link, and that they arrived."""

from shop.core.formatting import korean_date
from shop.core.ledger import NoticeKind
from shop.core.models import Order
from shop.core.returns import windows
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
    lines = ["주문하신 상품이 배송 완료되었습니다. 상품을 확인해 주세요."]
    last = windows(order)  # delivered_at is written with the move this notice tells of
    if last is not None:
        lines += [
            "주문 내역에서 반품을 신청하실 수 있습니다.",
            f"단순 변심: {korean_date(last.changed_mind)}까지 (왕복 배송비 고객 부담)",
            f"불량·설명과 다른 상품·오배송: {korean_date(last.not_as_promised)}까지",
        ]
    return f"[배송 완료] {order.name} 상품이 도착했습니다", letter(order, "\n".join(lines))


GOODS_TEXTS = {
    NoticeKind.SHIPPED: _shipped,
    NoticeKind.DELIVERED: _delivered,
}
