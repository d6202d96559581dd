"""The parts every notice shares: the greeting, the order's facts, the 배송지, where to look the
order up, and the signature."""

from flask import current_app

from shop.core.formatting import won
from shop.core.models import Order
from shop.core.phones import phone
from shop.web.signed_links import LIFETIME, order_link

SubjectAndBody = tuple[str, str]


def letter(
    order: Order, message: str, amount_label: str = "결제 금액", delivery: bool = False
) -> str:
    shop_name = current_app.config["SHOP_NAME"]
    return "\n\n".join(
        (
            f"{order.buyer_name}님, 안녕하세요. {shop_name}입니다.",
            message,
            order_facts(order, amount_label),
            *([delivery_facts(order)] if delivery else []),
            where_to_look(order),
            f"{shop_name} 드림\n이 메일은 발신 전용입니다.",
        )
    )


def order_facts(order: Order, amount_label: str) -> str:
    lines = [f"주문번호: {order.number}", f"상품명: {order.name}"]
    if order.shipping_fee > 0:
        lines += [f"상품 금액: {won(order.goods_amount)}", f"배송비: {won(order.shipping_fee)}"]
    return "\n".join([*lines, f"{amount_label}: {won(order.amount)}"])


def delivery_facts(order: Order) -> str:
    """배송지; an empty 받는 분 (or their phone) is the buyer's."""
    name = order.recipient_name or order.buyer_name
    tel = phone(order.recipient_tel or order.buyer_tel)
    lines = [
        "[배송지]",
        f"받는 분: {name} ({tel})",
        f"주소: ({order.buyer_postcode}) {order.delivery_address}",
    ]
    if order.delivery_memo:
        lines.append(f"배송 메모: {order.delivery_memo}")
    return "\n".join(lines)


def where_to_look(order: Order) -> str:
    shop_url = current_app.config["SHOP_URL"]
    return (
        f"주문 내역 보기: {order_link(order.merchant_uid)}\n"
        f"(이 링크는 {LIFETIME.days}일 동안 어느 기기에서나 주문 내역을 보여 줍니다.)\n"
        f"주문조회({shop_url}/orders/lookup)에서 주문번호와 주문하신 분의 휴대폰 번호로도 "
        "주문을 찾을 수 있습니다."
    )
