"""What the shop tells its customers by e-mail, in Korean: one text per kind of notice, and
for each refund what came back and what is left.

Each names the order by the number the customer reads and types (order.number) and links to its
page. A notice never carries a refund account, a card number or anything secret: a mail passes
through servers the shop does not control.
"""

from flask import current_app

from shop.core.formatting import seoul_time, won
from shop.core.ledger import NoticeKind, Refund, RefundCause
from shop.core.models import Order
from shop.core.phones import phone
from shop.web.signed_links import LIFETIME, order_link

SubjectAndBody = tuple[str, str]
TAKES_DAYS = "결제 수단에 따라 환불 금액이 반영되기까지 며칠 걸릴 수 있습니다."


def _confirmed(order: Order) -> SubjectAndBody:
    return (
        f"[주문 확인] {order.name} 결제가 완료되었습니다",
        letter(
            order,
            f"{won(order.amount)} 결제가 확인되었습니다. 주문해 주셔서 감사합니다.",
            delivery=True,
        ),
    )


def _vbank_issued(order: Order) -> SubjectAndBody:
    payment = order.vbank_payment
    if (
        payment is None
    ):  # shop.payments.states gives an order this status only with an account issued
        raise ValueError(f"order {order.merchant_uid} has no virtual account to tell of")
    return (
        f"[입금 안내] {order.name} 가상계좌가 발급되었습니다",
        letter(
            order,
            f"아래 가상계좌로 {won(order.amount)}을 입금해 주세요.\n"
            "입금이 확인되면 다시 알려 드리겠습니다.\n\n"
            f"은행: {payment.vbank_name}\n"
            f"계좌번호: {payment.vbank_num}\n"
            f"예금주: {payment.vbank_holder or '-'}\n"
            f"입금 기한: {seoul_time(payment.vbank_date)}까지",
            amount_label="입금하실 금액",
        ),
    )


def _deposit_received(order: Order) -> SubjectAndBody:
    return (
        f"[입금 확인] {order.name} 입금이 확인되었습니다",
        letter(
            order,
            f"{won(order.amount)} 입금이 확인되었습니다. 주문해 주셔서 감사합니다.",
            delivery=True,
        ),
    )


def _refunded(order: Order) -> SubjectAndBody:
    """Money PortOne gave back without the shop asking (a cancel in its console); each refund
    the shop makes is told by refund_letter."""
    return (
        f"[환불 완료] {order.name} 결제가 취소되었습니다",
        letter(order, f"{_all_back(order.amount)}\n{TAKES_DAYS}"),
    )


def refund_letter(order: Order, refund: Refund, paid: int) -> SubjectAndBody:
    """One refund of a payment of `paid`: what came back this time and what is left of it."""
    left = refund.checksum - refund.amount  # what PortOne held before this refund, less it
    subject = (
        f"[부분 환불] {order.name} {won(refund.amount)}이 환불되었습니다"
        if left
        else f"[환불 완료] {order.name} 결제가 취소되었습니다"
    )
    lines = [*_how_much(refund.amount, paid, left), *_why(refund), TAKES_DAYS]
    return subject, letter(order, "\n".join(lines), amount_label="주문 금액")


def _how_much(amount: int, paid: int, left: int) -> list[str]:
    refunded = paid - left  # this refund and those before it
    if not left:
        if amount == paid:
            return [_all_back(paid)]
        return [f"{won(amount)}이 환불되어 결제하신 {won(paid)}이 모두 환불되었습니다."]
    lines = [f"{won(amount)}이 환불되었습니다."]
    if refunded != amount:
        lines.append(f"지금까지 환불된 금액: {won(refunded)}")
    return [*lines, f"남은 결제 금액: {won(left)}"]


def _all_back(paid: int) -> str:
    return f"결제하신 {won(paid)}이 모두 환불되었습니다."


def _why(refund: Refund) -> list[str]:
    """The reason, but an operator's: it goes to PortOne and may be a note for colleagues."""
    return [] if refund.cause == RefundCause.OPERATOR else [f"환불 사유: {refund.reason}"]


def _cancelled(order: Order) -> SubjectAndBody:
    return (
        f"[주문 취소] {order.name} 주문이 취소되었습니다",
        letter(order, "요청하신 대로 주문을 취소했습니다.", amount_label="주문 금액"),
    )


def letter(
    order: Order, message: str, amount_label: str = "결제 금액", delivery: bool = False
) -> str:
    shop_name = current_app.config["SHOP_NAME"]
    return "\n\n".join(
        (
            f"{order.buyer_name}님, 안녕하세요. {shop_name}입니다.",
            message,
            _order_facts(order, amount_label),
            *([_delivery(order)] if delivery else []),
            _where_to_look(order),
            f"{shop_name} 드림\n이 메일은 발신 전용입니다.",
        )
    )


def _order_facts(order: Order, amount_label: str) -> str:
    lines = [f"주문번호: {order.number}", f"상품명: {order.name}"]
    if order.shipping_fee > 0:
        lines += [f"상품 금액: {won(order.goods_amount)}", f"배송비: {won(order.shipping_fee)}"]
    return "\n".join([*lines, f"{amount_label}: {won(order.amount)}"])


def _delivery(order: Order) -> str:
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


def _where_to_look(order: Order) -> str:
    shop_url = current_app.config["SHOP_URL"]
    return (
        f"주문 내역 보기: {order_link(order.merchant_uid)}\n"
        f"(이 링크는 {LIFETIME.days}일 동안 어느 기기에서나 주문 내역을 보여 줍니다.)\n"
        f"주문조회({shop_url}/orders/lookup)에서 주문번호와 주문하신 분의 휴대폰 번호로도 "
        "주문을 찾을 수 있습니다."
    )


NOTICE_TEXTS = {
    NoticeKind.PAYMENT_CONFIRMED: _confirmed,
    NoticeKind.VBANK_ISSUED: _vbank_issued,
    NoticeKind.DEPOSIT_RECEIVED: _deposit_received,
    NoticeKind.REFUNDED: _refunded,
    NoticeKind.CANCELLED: _cancelled,
}
