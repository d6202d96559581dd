"""What happened to an order's money and messages: PortOne's payments as last fetched, every
claim about them, the notices to the customer, and the refunds the shop asked for."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.cash_receipts import ReceiptPurpose
from shop.core.extensions import Model
from shop.core.models import Order, PaymentStatus, status_enum, utcnow
from shop.core.returns import ReturnReason


class EventSource(enum.StrEnum):
    """Where a claim about a payment came from (PaymentEvent.source)."""

    CALLBACK = "callback"  # the PC window's callback, posted by the pay page
    REDIRECT = "redirect"  # the phone's return to m_redirect_url
    WEBHOOK = "webhook"
    RECONCILE = "reconcile"
    CONFIRM = "confirm"  # PortOne's confirm process, right before approval
    REFUND = "refund"  # the answer to a cancel the shop sent
    REVOKE = "revoke"  # the answer to closing a virtual account
    CUSTOMER = "customer"
    ADMIN = "admin"


class RefundCause(enum.StrEnum):
    """Why the shop gave money back (Refund.cause)."""

    FORGED = "forged"
    DUPLICATE = "duplicate"
    OUT_OF_STOCK = "out_of_stock"
    TEST_CHANNEL = "test_channel"
    CANCELLED_ORDER = "cancelled_order"
    CUSTOMER = "customer"
    OPERATOR = "operator"
    RETURN = "return"  # a 반품 back with the shop (shop.payments.returns)


class NoticeKind(enum.StrEnum):
    """The customer notices (Notice.kind): one of each kind per order at most, but for
    REFUNDED, which is sent once for each refund (and once for money PortOne gave back alone)."""

    PAYMENT_CONFIRMED = "payment_confirmed"
    VBANK_ISSUED = "vbank_issued"
    DEPOSIT_RECEIVED = "deposit_received"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"
    SHIPPED = "shipped"  # the goods left (shop.core.fulfilment's 배송중)
    DELIVERED = "delivered"
    CASH_RECEIPT_ISSUED = "cash_receipt_issued"  # once for each receipt issued
    RETURN_APPROVED = "return_approved"
    RETURN_REFUSED = "return_refused"


class Payment(Model):
    """A gateway payment as last fetched from PortOne; the only source of payment truth."""

    id: Mapped[int] = mapped_column(primary_key=True)
    imp_uid: Mapped[str] = mapped_column(String(40), unique=True)
    merchant_uid: Mapped[str] = mapped_column(String(40), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    status: Mapped[PaymentStatus] = mapped_column(status_enum(PaymentStatus))
    amount: Mapped[int]
    cancel_amount: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3))
    pay_method: Mapped[str | None] = mapped_column(String(30))
    pg_provider: Mapped[str | None] = mapped_column(String(30))
    pg_tid: Mapped[str | None] = mapped_column(String(100))
    apply_num: Mapped[str | None] = mapped_column(String(30))
    card_name: Mapped[str | None] = mapped_column(String(50))
    card_quota: Mapped[int] = mapped_column(
        default=0, server_default="0"
    )  # 할부 개월 수; 0 is 일시불
    receipt_url: Mapped[str | None] = mapped_column(String(500))
    fail_reason: Mapped[str | None] = mapped_column(String(500))
    vbank_name: Mapped[str | None] = mapped_column(String(50))
    vbank_num: Mapped[str | None] = mapped_column(String(50))
    vbank_holder: Mapped[str | None] = mapped_column(String(100))
    vbank_date: Mapped[datetime | None]
    sandbox: Mapped[bool] = mapped_column(default=False)
    # 에스크로 (구매안전서비스): its parcel is registered with PortOne when it ships.
    escrow: Mapped[bool] = mapped_column(default=False, server_default=false())
    # PortOne's cash_receipt_issued: a receipt is in force, the shop's or one the PG issued.
    cash_receipt_issued: Mapped[bool] = mapped_column(default=False, server_default=false())
    started_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)  # when a fetch last changed it

    order: Mapped[Order | None] = relationship(back_populates="payments")

    @property
    def partly_cancelled(self) -> bool:
        """V1 reports a partial cancel as `cancelled` with a remainder."""
        return self.status == PaymentStatus.CANCELLED and self.cancel_amount < self.amount

    @property
    def refundable(self) -> int:
        return self.amount - self.cancel_amount

    def __repr__(self) -> str:
        return f"<Payment {self.imp_uid} {self.status} {self.amount}>"


class PaymentEvent(Model):
    """Append-only: every claim about a payment, where it came from and what came of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(20))  # callback, redirect, webhook, reconcile
    imp_uid: Mapped[str | None] = mapped_column(String(100))
    claimed_merchant_uid: Mapped[str | None] = mapped_column(String(100))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id"), index=True)
    gateway_status: Mapped[str | None] = mapped_column(String(20))
    gateway_amount: Mapped[int | None]
    outcome: Mapped[str] = mapped_column(String(30))
    order_status_before: Mapped[str | None] = mapped_column(String(20))
    order_status_after: Mapped[str | None] = mapped_column(String(20))
    # What an unauthenticated sender (a webhook, a confirm call, a browser) said, never acted
    # upon; `detail` is what the shop found and did.
    claim: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self) -> str:
        return f"<PaymentEvent {self.source} {self.imp_uid} {self.outcome}>"


class Notice(Model):
    """Outbox: a message to the customer, written in the transaction of the change that causes
    it and sent afterwards. One per key and order, whatever deliveries race."""

    __table_args__ = (UniqueConstraint("order_id", "key", name="one_notice_per_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"))
    kind: Mapped[str] = mapped_column(String(30))  # payment_confirmed, vbank_issued, refunded
    # What the notice is one of (shop.notices.queue): its kind for what an order is told once,
    # "refund:<id>" for a refund's. Never NULL, so the unique constraint holds for every row.
    key: Mapped[str] = mapped_column(String(40))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refund.id"))  # the refund it tells
    recipient: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]  # None: as soon as possible
    last_error: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Notice {self.key} order={self.order_id}>"


class RefundState(enum.Enum):
    SENDING = "sending"  # recorded, then sent to PortOne
    DONE = "done"
    REFUSED = "refused"  # PortOne said no; `message` says why
    UNKNOWN = "unknown"  # no answer: PortOne is asked what happened before anything else


class Refund(Model):
    """Every cancel the shop asks PortOne for: the ledger its checksums come from."""

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    imp_uid: Mapped[str] = mapped_column(String(40), index=True)
    amount: Mapped[int]
    checksum: Mapped[int]  # what PortOne should still hold of the payment before this cancel
    reason: Mapped[str] = mapped_column(String(200))
    # forged, duplicate, out_of_stock, test_channel, cancelled_order, customer, operator
    cause: Mapped[str] = mapped_column(String(20))
    state: Mapped[RefundState] = mapped_column(
        status_enum(RefundState), default=RefundState.SENDING
    )
    message: Mapped[str | None] = mapped_column(String(500))
    cancellation_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Refund {self.imp_uid} {self.amount}원 {self.state.value}>"


class CashReceipt(Model):
    """The 현금영수증 of a cash payment as the shop asked PortOne for it
    (shop.payments.cash_receipts): what is in force now, or what PortOne said when it was not."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    imp_uid: Mapped[str] = mapped_column(String(40), unique=True)
    purpose: Mapped[ReceiptPurpose] = mapped_column(status_enum(ReceiptPurpose))
    identifier: Mapped[str] = mapped_column(String(20))  # digits; NTS_NUMBER when 자진발급
    in_force: Mapped[bool] = mapped_column(default=False)
    amount: Mapped[int | None]  # what the receipt in force (or the last one) is for
    apply_num: Mapped[str | None] = mapped_column(String(30))  # 국세청 승인번호
    receipt_url: Mapped[str | None] = mapped_column(String(500))
    issued_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(String(500))  # the last attempt's failure

    def __repr__(self) -> str:
        return f"<CashReceipt {self.imp_uid} {self.amount}원 in_force={self.in_force}>"


class ReturnRequest(Model):
    """The customer's 반품 신청 of an order (one per order); where the goods are is the order's
    fulfilment. The deduction is decided when it is asked for, as the page showed it."""

    __table_args__ = (
        UniqueConstraint("order_id", name="one_return_per_order"),
        CheckConstraint("shipping_deduction >= 0", name="deduction_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"))
    reason: Mapped[ReturnReason] = mapped_column(status_enum(ReturnReason))
    detail: Mapped[str] = mapped_column(String(500), default="")  # what the customer wrote
    shipping_deduction: Mapped[int]  # 왕복 배송비 taken off the refund (단순 변심)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    refusal: Mapped[str | None] = mapped_column(
        String(200)
    )  # 반품거절: why, as the customer reads it

    order: Mapped[Order] = relationship()

    def __repr__(self) -> str:
        return f"<ReturnRequest {self.reason.value} order={self.order_id}>"
