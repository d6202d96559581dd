"""Every claim about an order's payments, and every move of its goods, in the order they
arrived, in the operator's words.

The raw values stay beside the words: they are what PortOne's console and the logs say.
"""

from sqlalchemy import or_, select

from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import EventSource, NoticeKind, PaymentEvent, RefundCause
from shop.core.models import Order, OrderStatus, PaymentStatus
from shop.payments.cash_receipts import Receipting
from shop.payments.escrow import Registration
from shop.payments.escrow_changes import Verdict
from shop.payments.review import Resolution

SOURCES = {
    EventSource.CALLBACK: "결제창 콜백 (PC)",
    EventSource.REDIRECT: "결제 후 복귀 (모바일)",
    EventSource.WEBHOOK: "웹훅",
    EventSource.RECONCILE: "정기 대사",
    EventSource.CONFIRM: "결제 승인 전 확인",
    EventSource.REFUND: "환불",
    EventSource.REVOKE: "가상계좌 회수",
    EventSource.CUSTOMER: "고객 요청",
    EventSource.ADMIN: "관리자",
}
OUTCOMES = {
    "paid": "결제 완료",
    "vbank_issued": "가상계좌 발급",
    "failed": "결제 실패",
    "not_completed": "결제 미완료",
    "cancelled": "취소·환불 반영",
    "forged": "금액 불일치",
    "needs_review": "확인 필요",
    "mismatch": "다른 주문의 결제",
    "unknown_payment": "PortOne에 없는 결제",
    "unknown_order": "알 수 없는 주문",
    "invalid": "잘못된 요청",
    "unavailable": "확인하지 못함",
    "confirmed": "승인 허용",
    "refused": "승인 거절",
    "hold_expired": "재고 확보 만료",
    "requested": "요청 처리",
} | {state.event_outcome: f"배송 상태: {state.label}" for state in Fulfilment}
OUTCOMES |= {attempt.value: attempt.label for attempt in Registration}
OUTCOMES |= {attempt.value: attempt.label for attempt in Receipting}
OUTCOMES |= {verdict.value: verdict.label for verdict in Verdict}
OUTCOMES |= {decision.value: f"확인 필요 처리: {decision.label}" for decision in Resolution}
GATEWAY_STATUSES = {
    PaymentStatus.READY: "대기",
    PaymentStatus.PAID: "결제됨",
    PaymentStatus.FAILED: "실패",
    PaymentStatus.CANCELLED: "취소됨",
}
STATUS_LABELS = {status.value: status.label for status in OrderStatus}
REFUND_STATES = {
    "sending": "요청 중",
    "done": "완료",
    "refused": "거절됨",
    "unknown": "결과 확인 중",
}
REFUND_CAUSES = {
    RefundCause.FORGED: "금액 불일치",
    RefundCause.DUPLICATE: "중복 결제",
    RefundCause.OUT_OF_STOCK: "재고 부족",
    RefundCause.TEST_CHANNEL: "테스트 채널",
    RefundCause.CANCELLED_ORDER: "취소된 주문",
    RefundCause.CUSTOMER: "고객 취소",
    RefundCause.OPERATOR: "관리자",
    RefundCause.RETURN: "반품",
}
NOTICE_KINDS = {
    NoticeKind.PAYMENT_CONFIRMED: "주문 확인",
    NoticeKind.VBANK_ISSUED: "입금 안내",
    NoticeKind.DEPOSIT_RECEIVED: "입금 확인",
    NoticeKind.REFUNDED: "환불 안내",
    NoticeKind.CANCELLED: "주문 취소",
    NoticeKind.CASH_RECEIPT_ISSUED: "현금영수증 발급",
    NoticeKind.SHIPPED: "배송 시작",
    NoticeKind.DELIVERED: "배송 완료",
    NoticeKind.RETURN_APPROVED: "반품 승인",
    NoticeKind.RETURN_REFUSED: "반품 거절",
}


def events_of(order: Order) -> list[PaymentEvent]:
    """The order's events, and claims that named it but whose payment belongs elsewhere."""
    query = (
        select(PaymentEvent)
        .where(
            or_(
                PaymentEvent.order_id == order.id,
                PaymentEvent.claimed_merchant_uid == order.merchant_uid,
            )
        )
        .order_by(PaymentEvent.created_at, PaymentEvent.id)
    )
    return list(db.session.execute(query).scalars())


def labels() -> dict:
    """The words templates show beside each raw value."""
    return {
        "sources": SOURCES,
        "outcomes": OUTCOMES,
        "gateway_statuses": GATEWAY_STATUSES,
        "status_labels": STATUS_LABELS,
        "refund_states": REFUND_STATES,
        "refund_causes": REFUND_CAUSES,
        "notice_kinds": NOTICE_KINDS,
    }
