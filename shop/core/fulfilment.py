"""Where the goods are (배송 상태), beside where the money is (OrderStatus), and the only moves
between those places.

The goods move forward only: 주문접수 → 상품준비중 → 배송중 → 배송완료 → 구매확정, or, once they
have left, back through the return path (반품요청 → 반품승인 → 반품완료 → 환불, or 반품요청 → 반품거절). Which payment
statuses each move needs, and the conditional update that makes it, are in
shop.payments.shipments.
"""

import enum


class Fulfilment(enum.Enum):
    ORDERED = "ordered"  # nothing done with the goods yet (paid or not)
    PREPARING = "preparing"
    SHIPPING = "shipping"  # handed to the courier: order.shipped_at, courier, invoice_number
    DELIVERED = "delivered"
    CONFIRMED = "confirmed"  # 구매확정: the sale is final
    RETURN_REQUESTED = "return_requested"
    RETURN_APPROVED = "return_approved"  # the courier collects the goods
    RETURNED = "returned"  # the goods are back with the shop
    RETURN_REFUNDED = "return_refunded"
    RETURN_REFUSED = "return_refused"  # the shop said no; the goods stay with the customer

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def event_outcome(self) -> str:
        """The outcome of the event that records a move here (PaymentEvent.outcome)."""
        return f"fulfilment_{self.value}"


F = Fulfilment

LABELS = {
    F.ORDERED: "주문접수",
    F.PREPARING: "상품준비중",
    F.SHIPPING: "배송중",
    F.DELIVERED: "배송완료",
    F.CONFIRMED: "구매확정",
    F.RETURN_REQUESTED: "반품요청",
    F.RETURN_APPROVED: "반품승인 (회수중)",
    F.RETURNED: "반품완료",
    F.RETURN_REFUNDED: "반품 환불",
    F.RETURN_REFUSED: "반품거절",
}

# The only moves; none goes back. A return starts from goods that have left the shop.
MOVES: dict[Fulfilment, frozenset[Fulfilment]] = {
    F.ORDERED: frozenset({F.PREPARING, F.SHIPPING}),
    F.PREPARING: frozenset({F.SHIPPING}),
    F.SHIPPING: frozenset({F.DELIVERED, F.RETURN_REQUESTED}),
    F.DELIVERED: frozenset({F.CONFIRMED, F.RETURN_REQUESTED}),
    F.CONFIRMED: frozenset(),
    F.RETURN_REQUESTED: frozenset({F.RETURN_APPROVED, F.RETURN_REFUSED}),
    F.RETURN_APPROVED: frozenset({F.RETURNED}),
    F.RETURNED: frozenset({F.RETURN_REFUNDED}),
    F.RETURN_REFUNDED: frozenset(),
    F.RETURN_REFUSED: frozenset(),
}

# The goods are still with the shop: the customer may cancel the order (주문 취소). Past this,
# what was bought comes back as a 반품.
NOT_SENT = frozenset({F.ORDERED, F.PREPARING})


def may_move(current: Fulfilment, target: Fulfilment) -> bool:
    return target in MOVES[current]


def sent(fulfilment: Fulfilment) -> bool:
    return fulfilment not in NOT_SENT
