"""How the sandbox's pages name things: amounts, Korean times, pay methods, payment statuses (a
partial cancel and a revoked account told apart) and webhook outcomes. The window and the
console register the first ones as template filters (window.py, dashboard.py)."""

from .deadlines import kst_text
from .store.cancels import is_revoked
from .webguard import Payment

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


def format_money(amount: float, currency: str = "KRW") -> str:
    return f"{amount:,}원" if currency == "KRW" else f"{amount:,} {currency}"


def format_kst(timestamp: int) -> str:
    return kst_text(timestamp) if timestamp else "-"


def pay_method_label(pay_method: str) -> str:
    return PAY_METHOD_LABELS.get(pay_method, pay_method)


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
