"""What the shop tells its customers by e-mail, in Korean: one text per kind of notice, and
for each refund what came back and what is left.

Each names the order by the number the customer reads and types (order.number) and links to its
page. A notice never carries a refund account, a card number or anything secret: a mail passes
through servers the shop does not control.
"""

from shop.core.cash_receipts import masked
from shop.core.formatting import seoul_time, won
from shop.core.ledger import CashReceipt, NoticeKind, Refund, RefundCause
from shop.core.models import Order
from shop.notices.letters import SubjectAndBody, letter

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


def receipt_letter(order: Order, receipt: CashReceipt) -> SubjectAndBody:
    """현금영수증 발급: for what, to which number (masked), and where to see it."""
    lines = [
        f"{won(receipt.amount or 0)} 현금영수증이 발급되었습니다.",
        f"용도: {receipt.purpose.label}",
        f"발급 번호: {masked(receipt.identifier)}",
        f"승인번호: {receipt.apply_num or '-'}",
    ]
    if receipt.receipt_url:
        lines.append(f"현금영수증 보기: {receipt.receipt_url}")
    subject = f"[현금영수증 발급] {order.name} 현금영수증이 발급되었습니다"
    return subject, letter(order, "\n".join(lines))


def _cancelled(order: Order) -> SubjectAndBody:
    return (
        f"[주문 취소] {order.name} 주문이 취소되었습니다",
        letter(order, "요청하신 대로 주문을 취소했습니다.", amount_label="주문 금액"),
    )


NOTICE_TEXTS = {
    NoticeKind.PAYMENT_CONFIRMED: _confirmed,
    NoticeKind.VBANK_ISSUED: _vbank_issued,
    NoticeKind.DEPOSIT_RECEIVED: _deposit_received,
    NoticeKind.REFUNDED: _refunded,
    NoticeKind.CANCELLED: _cancelled,
}
