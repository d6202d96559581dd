"""현금영수증: what the buyer asks for at checkout and the facts the shop follows.

Sources: 소득세법 제162조의3 (e-commerce retail issues a receipt for a cash payment of 10만원
or more even when the buyer asks for none, to the 국세청 지정번호 010-000-1234); the PortOne V1
spec's POST /receipts/{imp_uid} (`type` person 소득공제 / company 지출증빙, `identifier_type`
phone / business, 현금성 거래 = 계좌이체 and 가상계좌).
"""

import enum
import re

from shop.core.phones import phone

CASH_METHODS = frozenset({"trans", "vbank"})
MANDATORY_FROM = 100_000  # KRW: from here a receipt is issued whatever the buyer chose
NTS_NUMBER = "0100001234"  # 국세청 지정번호 for a receipt nobody asked for (자진발급)
MOBILE = re.compile(r"01[016789]\d{7,8}")
BUSINESS_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


class ReceiptPurpose(enum.Enum):
    """The buyer's choice on the 주문서; the value is what the form posts."""

    INCOME_DEDUCTION = "income_deduction"  # 소득공제용, to a mobile number
    EXPENSE_PROOF = "expense_proof"  # 지출증빙용, to a 사업자등록번호
    NONE = "none"  # 미발행 (below MANDATORY_FROM)

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]

    @property
    def receipt_type(self) -> str:
        """The spec's `type`."""
        return "company" if self is ReceiptPurpose.EXPENSE_PROOF else "person"

    @property
    def identifier_type(self) -> str:
        """The spec's `identifier_type`."""
        return "business" if self is ReceiptPurpose.EXPENSE_PROOF else "phone"


PURPOSE_LABELS = {
    ReceiptPurpose.INCOME_DEDUCTION: "소득공제용",
    ReceiptPurpose.EXPENSE_PROOF: "지출증빙용",
    ReceiptPurpose.NONE: "미발행",
}


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def is_mobile(number: str) -> bool:
    return MOBILE.fullmatch(number) is not None


def is_business_number(number: str) -> bool:
    """사업자등록번호: ten digits, the last a check digit (국세청's weights 1,3,7,1,3,7,1,3,5,
    plus the ninth digit × 5 / 10)."""
    if not re.fullmatch(r"\d{10}", number):
        return False
    values = [int(d) for d in number]
    total = sum(v * w for v, w in zip(values, BUSINESS_WEIGHTS, strict=False))
    total += values[8] * 5 // 10
    return (10 - total % 10) % 10 == values[9]


def masked(number: str) -> str:
    """What a page or a mail shows of a receipt's number: enough to recognise it."""
    if number == NTS_NUMBER:
        return f"국세청 지정번호 {phone(NTS_NUMBER)}"
    if len(number) == 10 and not number.startswith("01"):
        return f"{number[:3]}-{number[3:5]}-***{number[-2:]}"
    return f"{number[:3]}-****-{number[-4:]}"
