"""How the sandbox's pages name things: amounts, Korean times, pay methods, cash receipt types,
payment statuses (a
partial cancel and a revoked account told apart), the order a window is for and webhook
outcomes. The window and the console register the first ones as template filters (window.py,
dashboard.py)."""

from typing import NamedTuple

from .deadlines import kst_text
from .receipt_request import ReceiptType
from .store.cancels import is_revoked
from .webguard import Payment, loads

PAY_METHOD_LABELS = {
    "card": "신용카드",
    "trans": "실시간 계좌이체",
    "vbank": "가상계좌",
    "phone": "휴대폰 소액결제",
    "kakaopay": "카카오페이",
    "naverpay": "네이버페이",
    "payco": "페이코",
    "tosspay": "토스페이",
    "samsungpay": "삼성페이",
    "ssgpay": "SSG페이",
    "lpay": "L페이",
    "applepay": "애플페이",
    "paypal": "PayPal",
}
STATUS_LABELS = {
    "ready": "미결제",
    "paid": "결제완료",
    "cancelled": "결제취소",
    "failed": "결제실패",
}
DELIVERY_OUTCOMES = {
    "delivered": "성공",
    "refused": "실패",
    "error": "연결 오류",
    "dropped": "유실(스위치)",
    "no_url": "URL 없음",
}
CASH_RECEIPT_TYPES = {
    ReceiptType.PERSON: "소득공제용 (개인)",
    ReceiptType.COMPANY: "지출증빙용 (사업자)",
}
MAX_ORDER_NUMBER_LENGTH = 40  # the sandbox's guess at an order number that fits its line


class OrderReference(NamedTuple):
    label: str
    value: str
    is_merchant_uid: bool


def format_money(amount: float, currency: str = "KRW") -> str:
    return f"{amount:,}원" if currency == "KRW" else f"{amount:,} {currency}"


def format_kst(timestamp: int) -> str:
    return kst_text(timestamp) if timestamp else "-"


def pay_method_label(pay_method: str) -> str:
    return PAY_METHOD_LABELS.get(pay_method, pay_method)


def cash_receipt_type_label(receipt_type: str) -> str:
    return CASH_RECEIPT_TYPES.get(ReceiptType(receipt_type), receipt_type)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def payment_status(payment: Payment) -> str:
    """The status as the console says it, telling a partial cancel from a full one."""
    if is_revoked(payment):
        return "발급취소"
    if payment["status"] == "cancelled" and payment["cancel_amount"] < payment["amount"]:
        return "부분취소"
    if payment["status"] == "ready" and payment["vbank_num"]:
        return "입금대기"
    return status_label(payment["status"])


def order_reference(merchant_uid: str, custom_data: object) -> OrderReference:
    """The order as the window names it: the merchant's order number when custom_data carries
    one, else the merchant_uid, which may be a key no customer knows.

    Real PG windows show the 상품명 and 금액, not an order number. Reading
    custom_data.order_number is the sandbox's convenience for merchants: any merchant may send
    {"order_number": "..."} in request_pay()'s custom_data to see it here.
    """
    number = custom_order_number(custom_data)
    if number:
        return OrderReference("주문번호", number, is_merchant_uid=False)
    return OrderReference("가맹점 주문번호 (merchant_uid)", merchant_uid, is_merchant_uid=True)


def custom_order_number(custom_data: object) -> str | None:
    """custom_data.order_number when it is short text; None for any other custom_data (stored as
    JSON text, which may hold any JSON or, inserted directly, none)."""
    try:
        data = loads(custom_data) if isinstance(custom_data, str) else None
    except ValueError:
        return None
    number = data.get("order_number") if isinstance(data, dict) else None
    if not isinstance(number, str):
        return None
    number = number.strip()
    is_short = 0 < len(number) <= MAX_ORDER_NUMBER_LENGTH and number.isprintable()
    return number if is_short else None
