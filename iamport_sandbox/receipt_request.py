"""What a cash receipt request (POST /receipts/{imp_uid}, POST /receipts/external/{merchant_uid})
names: who the receipt is for, the PG's own required fields, and how its amount splits.

Facts from the V1 spec (issueReceipt, issueExternalReceipt): `identifier` is required (a
국세청 현금영수증카드, phone, 주민등록번호 or 사업자등록번호 number); `identifier_type` is one of
IdentifierType; `type` is person (소득공제) or company (지출증빙), person by default; VAT is 1/11
of the amount less `tax_free` unless `vat_amount` names it; the fields REQUIRED_BY_PG lists are
required by those PGs only. Every refusal is a 400, its text the sandbox's own.
"""

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum

from .money import split_vat
from .params import MISSING_FIELD, as_number, text_field
from .pay_request import BUYER_FIELDS
from .rest import Refusal


class ReceiptType(StrEnum):
    PERSON = "person"  # 소득공제용 (개인)
    COMPANY = "company"  # 지출증빙용 (법인)


class IdentifierType(StrEnum):
    PERSON = "person"  # 주민등록번호
    BUSINESS = "business"  # 사업자등록번호
    PHONE = "phone"  # 휴대폰번호
    TAXCARD = "taxcard"  # 국세청현금영수증카드


class ProductType(StrEnum):
    REAL = "real"  # 실물상품
    DIGITAL = "digital"  # 디지털컨텐츠


class CashMethod(StrEnum):
    """The cash-type pay_methods a receipt is for (the spec: 가상계좌, 계좌이체)."""

    TRANS = "trans"
    VBANK = "vbank"


# The spec's x-portone-per-pg "required" marks of the two issue operations' fields.
REQUIRED_BY_PG: dict[str, tuple[str, ...]] = {
    "ksnet": ("product_type", "buyer_name"),
    "kicc": ("identifier_type",),
    "settle": ("identifier_type",),
    "nice_v2": ("identifier_type", "type"),
    "smartro_v2": ("type", "buyer_name", "buyer_tel"),
    "welcome": ("type", "buyer_tel", "corp_reg_no", "pay_method"),
    "daou": ("company_tel", "company_name", "corp_reg_no"),
}
CHOICES: dict[str, type[StrEnum]] = {
    "type": ReceiptType,
    "identifier_type": IdentifierType,
    "product_type": ProductType,
    "pay_method": CashMethod,
}
KEPT_FIELDS = ("identifier", *CHOICES, "corp_reg_no", "company_name", "company_tel", *BUYER_FIELDS)

NOT_A_CHOICE = "{name} 파라메터는 {choices} 중 하나여야 합니다(받은 값: {value})."
NOT_AN_AMOUNT = "{name} 파라메터는 0 이상의 정수여야 합니다."
TAX_FREE_OVER_AMOUNT = "면세금액(tax_free)은 발행금액({amount}원)보다 클 수 없습니다."


def requested_holder(fields: Mapping[str, object], pg_provider: str) -> dict:
    """Who the receipt is for and the PG's fields, as text; Refusal when one is unusable."""
    for name in ("identifier", *REQUIRED_BY_PG.get(pg_provider, ())):
        if text_field(fields, name) is None:
            raise Refusal(MISSING_FIELD.format(name=name), 400)
    holder = {name: text_field(fields, name) for name in KEPT_FIELDS}
    for name, choices in CHOICES.items():
        holder[name] = choice(holder[name], name, choices)
    holder["type"] = holder["type"] or ReceiptType.PERSON.value
    return holder


def choice(value: str | None, name: str, choices: type[StrEnum]) -> str | None:
    if value is None or value in {member.value for member in choices}:
        return value
    names = ", ".join(member.value for member in choices)
    raise Refusal(NOT_A_CHOICE.format(name=name, choices=names, value=value), 400)


def whole_amount(fields: Mapping[str, object], name: str) -> int | None:
    """A whole number of won, 0 or more, from the body; None when absent."""
    if fields.get(name) in (None, ""):
        return None
    number = as_number(fields[name])
    if number is None or number < 0 or not float(number).is_integer():
        raise Refusal(NOT_AN_AMOUNT.format(name=name), 400)
    return int(number)


def receipt_amounts(fields: Mapping[str, object], amount: int) -> dict[str, int]:
    """amount and vat of a receipt for `amount` won: vat_amount when given, else 1/11 of what
    is not tax-free (money.split_vat); tax_free is kept for the console."""
    tax_free = whole_amount(fields, "tax_free") or 0
    if tax_free > amount:
        raise Refusal(TAX_FREE_OVER_AMOUNT.format(amount=amount), 400)
    vat = whole_amount(fields, "vat_amount")
    if vat is None:
        vat = int(split_vat(Decimal(amount - tax_free), "KRW")[1])
    return {"amount": amount, "vat": vat, "tax_free": tax_free}
