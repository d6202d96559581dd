"""The shop's catalogue and orders (their payments, events, notices and refunds are in
shop.core.ledger). Money is integer KRW; times are timezone-aware UTC."""

import enum
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.core.cash_receipts import ReceiptPurpose
from shop.core.couriers import Courier
from shop.core.extensions import Model
from shop.core.fulfilment import Fulfilment
from shop.core.shipping import Totals

if TYPE_CHECKING:  # the ledger's rows point back at the order
    from shop.core.ledger import Payment, Refund

SEOUL = ZoneInfo("Asia/Seoul")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the shop writes UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_order_number() -> str:
    """What the customer reads and types (주문번호): the Seoul date and six random digits.
    Looking an order up also needs the buyer's phone, and attempts are rate-limited."""
    today = datetime.now(SEOUL).strftime("%Y%m%d")
    return f"{today}-{secrets.randbelow(1_000_000):06d}"


def new_merchant_uid() -> str:
    """Unique and unguessable (128 random bits): the order page is reachable by it alone."""
    return "ord_" + secrets.token_hex(16)


class OrderStatus(enum.Enum):
    PENDING = "pending"  # created, waiting for a payment
    PAID = "paid"
    VBANK_ISSUED = "vbank_issued"  # virtual account issued, waiting for the deposit
    EXPIRED = "expired"  # the virtual account's due date passed without a deposit
    FAILED = "failed"  # the last attempt failed; the customer may try again
    FORGED = "forged"  # the gateway's payment does not match the order; never fulfilled
    NEEDS_REVIEW = "needs_review"  # money arrived in a way no rule settles: a person decides
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"  # cancelled by the customer before any money was taken

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


class PaymentStatus(enum.StrEnum):
    """PortOne V1's payment statuses (the spec's `status`). A str, so a fetched payment's
    "paid" and PaymentStatus.PAID are the same value."""

    READY = "ready"  # the window opened, or a virtual account awaits its deposit
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"  # wholly or partly (cancel_amount says how much)


STATUS_LABELS = {
    OrderStatus.PENDING: "결제 대기",
    OrderStatus.PAID: "결제 완료",
    OrderStatus.VBANK_ISSUED: "입금 대기",
    OrderStatus.FAILED: "결제 실패",
    OrderStatus.FORGED: "결제 검증 실패",
    OrderStatus.EXPIRED: "입금 기한 만료",
    OrderStatus.NEEDS_REVIEW: "확인 필요",
    OrderStatus.PARTIALLY_REFUNDED: "부분 환불",
    OrderStatus.REFUNDED: "환불 완료",
    OrderStatus.CANCELLED: "주문 취소",
}


def status_enum(cls):
    """Store enum values (not names), as portable strings rather than native enum types."""
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Product(Model):
    __table_args__ = (CheckConstraint("price > 0", name="price_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    price: Mapped[int]
    stock: Mapped[int]
    image: Mapped[str] = mapped_column(String(200))
    # 청약철회 제한 (전자상거래법 제17조 ②), told before purchase on the product and checkout pages
    withdrawal_note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Product {self.slug} {self.price}원>"


class Order(Model):
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merchant_uid: Mapped[str] = mapped_column(String(40), unique=True, default=new_merchant_uid)
    number: Mapped[str] = mapped_column(String(20), unique=True, default=new_order_number)
    status: Mapped[OrderStatus] = mapped_column(
        status_enum(OrderStatus), default=OrderStatus.PENDING
    )
    name: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int]  # 결제 금액: the goods plus shipping_fee
    shipping_fee: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3), default="KRW")
    pay_method: Mapped[str] = mapped_column(String(20))
    buyer_name: Mapped[str] = mapped_column(String(50))
    buyer_email: Mapped[str] = mapped_column(String(120))
    buyer_tel: Mapped[str] = mapped_column(String(20))
    buyer_addr: Mapped[str] = mapped_column(String(200))
    buyer_postcode: Mapped[str] = mapped_column(String(10))  # the delivery address's
    # buyer_addr is the road-name address the search filled in; address_detail is typed.
    address_detail: Mapped[str] = mapped_column(String(100), default="", server_default="")
    recipient_name: Mapped[str] = mapped_column(
        String(50), default="", server_default=""
    )  # 받는 분
    recipient_tel: Mapped[str] = mapped_column(String(20), default="", server_default="")
    delivery_memo: Mapped[str] = mapped_column(
        String(100), default="", server_default=""
    )  # 배송 메모
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    paid_at: Mapped[datetime | None]
    # Set and cleared only by conditional updates, so stock moves once per order whatever
    # deliveries race (shop.payments.effects).
    stock_taken: Mapped[bool] = mapped_column(default=False)
    # A hold made by the confirm process gives its stock back at this moment unless paid for.
    stock_held_until: Mapped[datetime | None] = mapped_column(index=True)
    review_reason: Mapped[str | None] = mapped_column(String(200))
    # Where the goods are; moved only by shop.payments.shipments, which sets shipped_at,
    # courier and invoice_number with the move to 배송중, delivered_at and returned_at with
    # 배송완료 and 반품완료.
    fulfilment: Mapped[Fulfilment] = mapped_column(
        status_enum(Fulfilment), default=Fulfilment.ORDERED, server_default="ordered"
    )
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]
    courier: Mapped[Courier | None] = mapped_column(status_enum(Courier))
    invoice_number: Mapped[str | None] = mapped_column(String(20))  # 송장번호, digits only
    # An escrow payment's parcel as registered with PortOne (shop.payments.escrow): when it
    # was, or what PortOne said when it was not.
    escrow_registered_at: Mapped[datetime | None]
    escrow_error: Mapped[str | None] = mapped_column(String(500))
    # 현금영수증 as asked for on the 주문서 (None: not a cash method); its receipts: ledger.
    cash_receipt_purpose: Mapped[ReceiptPurpose | None] = mapped_column(status_enum(ReceiptPurpose))
    cash_receipt_number: Mapped[str | None] = mapped_column(String(20))  # digits only
    # 구매거절 as PortOne's escrow webhook reported it (shop.payments.escrow_changes): the order
    # waits for the operator, who takes the goods back as a return.
    escrow_denied_at: Mapped[datetime | None]
    escrow_denied_reason: Mapped[str | None] = mapped_column(String(200))

    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    payments: Mapped[list["Payment"]] = relationship(
        back_populates="order", order_by="Payment.started_at"
    )
    refunds: Mapped[list["Refund"]] = relationship(order_by="Refund.id", viewonly=True)
    consents: Mapped[list["Consent"]] = relationship(
        cascade="all, delete-orphan", order_by="Consent.id"
    )

    def __repr__(self) -> str:
        return f"<Order {self.merchant_uid} {self.status.value} {self.amount}원>"

    @property
    def delivery_address(self) -> str:
        return f"{self.buyer_addr} {self.address_detail}".strip()

    @property
    def tracking_url(self) -> str | None:
        if self.courier is None or not self.invoice_number:
            return None
        return self.courier.tracking_url(self.invoice_number)

    @property
    def goods_amount(self) -> int:
        return self.amount - self.shipping_fee

    @property
    def totals(self) -> Totals:
        return Totals(self.goods_amount, self.shipping_fee)

    @property
    def latest_payment(self) -> "Payment | None":
        return self.payments[-1] if self.payments else None

    @property
    def paid_payment(self) -> "Payment | None":
        return next((p for p in reversed(self.payments) if p.status == PaymentStatus.PAID), None)

    @property
    def vbank_payment(self) -> "Payment | None":
        return next((p for p in reversed(self.payments) if p.vbank_num), None)


class OrderLine(Model):
    """A product as it was sold: name and price are frozen at checkout."""

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    name: Mapped[str] = mapped_column(String(100))
    unit_price: Mapped[int]
    quantity: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="lines")

    @property
    def subtotal(self) -> int:
        return self.unit_price * self.quantity

    def __repr__(self) -> str:
        return f"<OrderLine {self.name} x{self.quantity}>"


class Consent(Model):
    """One required item the buyer agreed to at checkout, with the version of its text
    (shop.storefront.consent), kept as evidence of what was agreed and when."""

    __table_args__ = (UniqueConstraint("order_id", "item", name="one_consent_per_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    item: Mapped[str] = mapped_column(String(30))
    version: Mapped[str] = mapped_column(String(20))
    agreed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Consent {self.item} {self.version}>"
