"""Every form of the shop; all of them carry a CSRF token."""

import re

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from shop.payments.methods import METHODS, offered
from shop.storefront.consent import ConsentItem
from shop.storefront.receipt_fields import CashReceiptFields

MAX_QUANTITY = 99


class QuantityForm(FlaskForm):
    quantity = IntegerField(
        "수량",
        default=1,
        validators=[
            DataRequired("수량을 입력해 주세요."),
            NumberRange(1, MAX_QUANTITY, f"수량은 1개에서 {MAX_QUANTITY}개 사이로 입력해 주세요."),
        ],
    )


TEL_PATTERN = r"^0\d{1,2}-?\d{3,4}-?\d{4}$"
TEL_HINT = "예: 010-1234-5678 형식으로 입력해 주세요."
# 2015년 8월 1일부터 우편번호는 국가기초구역 번호 다섯 자리입니다 (예전 여섯 자리 135-080 등).
OLD_POSTCODE = re.compile(r"^\d{3}-?\d{3}$")
DELIVERY_MEMOS = (
    "문 앞에 놓아 주세요",
    "경비실에 맡겨 주세요",
    "택배함에 넣어 주세요",
    "배송 전에 연락 주세요",
)
MEMO_TYPED = "typed"  # 직접 입력


def postcode_is_current(form, field) -> None:
    if OLD_POSTCODE.match(field.data.strip()):
        raise ValidationError(
            "예전 여섯 자리 우편번호입니다. 우편번호 찾기로 다섯 자리 새 우편번호를 찾아 주세요."
        )
    if not re.fullmatch(r"\d{5}", field.data.strip()):
        raise ValidationError("우편번호는 숫자 5자리입니다. 우편번호 찾기를 이용해 주세요.")


def needed_unless_same_as_buyer(message: str):
    def check(form, field) -> None:
        if not form.same_as_buyer.data and not (field.data or "").strip():
            raise StopValidation(message)

    return check


def consent_field(item: ConsentItem) -> BooleanField:
    return BooleanField(
        item.document.label,
        validators=[DataRequired(f"{item.document.label}가 필요합니다.")],
    )


class CheckoutForm(CashReceiptFields, FlaskForm):
    source = HiddenField(default="cart")
    buyer_name = StringField(
        "이름", validators=[DataRequired("이름을 입력해 주세요."), Length(max=50)]
    )
    buyer_email = EmailField(
        "이메일",
        validators=[
            DataRequired("이메일을 입력해 주세요."),
            Email("올바른 이메일 주소를 입력해 주세요.", check_deliverability=False),
            Length(max=120),
        ],
    )
    buyer_tel = TelField(
        "휴대폰 번호",
        validators=[
            DataRequired("휴대폰 번호를 입력해 주세요."),
            Regexp(TEL_PATTERN, message=TEL_HINT),
        ],
    )
    same_as_buyer = BooleanField("주문자 정보와 동일", default=True)
    recipient_name = StringField(
        "받는 분",
        default="",
        validators=[needed_unless_same_as_buyer("받는 분 이름을 입력해 주세요."), Length(max=50)],
    )
    recipient_tel = TelField(
        "받는 분 휴대폰 번호",
        default="",
        validators=[
            needed_unless_same_as_buyer("받는 분 휴대폰 번호를 입력해 주세요."),
            Optional(),
            Regexp(TEL_PATTERN, message=TEL_HINT),
        ],
    )
    buyer_postcode = StringField(
        "우편번호", validators=[DataRequired("우편번호를 입력해 주세요."), postcode_is_current]
    )
    buyer_addr = StringField(
        "주소", validators=[DataRequired("배송받을 주소를 입력해 주세요."), Length(max=200)]
    )
    address_detail = StringField(
        "상세주소",
        default="",
        validators=[Length(max=100, message="상세주소는 100자 안으로 입력해 주세요.")],
    )
    delivery_memo = SelectField(
        "배송 메모",
        choices=[SelectChoice("", "배송 메모를 선택해 주세요 (선택)")]
        + [SelectChoice(memo, memo) for memo in DELIVERY_MEMOS]
        + [SelectChoice(MEMO_TYPED, "직접 입력")],
        default="",
        invalid_choice_message="목록에 있는 배송 메모를 골라 주세요.",
    )
    delivery_memo_typed = StringField(
        "배송 메모 직접 입력",
        default="",
        validators=[Length(max=100, message="배송 메모는 100자 안으로 입력해 주세요.")],
    )
    pay_method = RadioField(
        "결제 수단",
        default="card",
        validators=[DataRequired("결제 수단을 골라 주세요.")],
        invalid_choice_message="이 상점에서 받는 결제 수단 중에서 골라 주세요.",
    )
    agree_purchase = consent_field(ConsentItem.PURCHASE)
    agree_privacy_collection = consent_field(ConsentItem.PRIVACY_COLLECTION)
    agree_privacy_third_party = consent_field(ConsentItem.PRIVACY_THIRD_PARTY)
    agree_electronic_finance = consent_field(ConsentItem.ELECTRONIC_FINANCE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keys = offered(current_app.config)
        self.pay_method.choices = [SelectChoice(key, METHODS[key].label) for key in keys]

    def consent_fields(self) -> list[tuple[ConsentItem, BooleanField]]:
        return [(item, self[f"agree_{item.value}"]) for item in ConsentItem]

    def recipient(self) -> tuple[str, str]:
        if self.same_as_buyer.data:
            return self.buyer_name.data.strip(), self.buyer_tel.data.strip()
        return self.recipient_name.data.strip(), self.recipient_tel.data.strip()

    def memo(self) -> str:
        if self.delivery_memo.data == MEMO_TYPED:
            return self.delivery_memo_typed.data.strip()
        return self.delivery_memo.data or ""


class LookupForm(FlaskForm):
    order_number = StringField(
        "주문번호",
        validators=[
            DataRequired("주문번호를 입력해 주세요."),
            Regexp(r"^\s*\d{8}-\d{6}\s*$", message="주문번호는 20261122-123456 형식입니다."),
        ],
    )
    buyer_tel = TelField(
        "휴대폰 번호",
        validators=[DataRequired("주문할 때 입력한 휴대폰 번호를 입력해 주세요."), Length(max=20)],
    )


# Banks a refund of a virtual-account payment can go to (PortOne's standard bank codes).
REFUND_BANKS = {
    "004": "KB국민은행",
    "088": "신한은행",
    "020": "우리은행",
    "081": "하나은행",
    "011": "NH농협은행",
    "003": "IBK기업은행",
    "090": "카카오뱅크",
    "092": "토스뱅크",
    "089": "케이뱅크",
    "023": "SC제일은행",
    "031": "iM뱅크(대구)",
    "032": "부산은행",
    "071": "우체국",
}


class CancelForm(FlaskForm):
    confirm = BooleanField(
        "주문 취소 내용을 확인했습니다",
        validators=[DataRequired("취소하려면 확인란을 선택해 주세요.")],
    )


class RefundAccountForm(CancelForm):
    """A paid virtual account is refunded to an account the customer names."""

    refund_holder = StringField(
        "예금주", validators=[DataRequired("예금주를 입력해 주세요."), Length(max=20)]
    )
    refund_bank = SelectField(
        "은행",
        choices=[SelectChoice("", "은행을 고르세요")]
        + [SelectChoice(code, name) for code, name in REFUND_BANKS.items()],
        validators=[DataRequired("은행을 골라 주세요.")],
        invalid_choice_message="목록에 있는 은행을 골라 주세요.",
    )
    refund_account = StringField(
        "계좌번호",
        validators=[
            DataRequired("계좌번호를 입력해 주세요."),
            Regexp(r"^[0-9-]{10,20}$", message="계좌번호는 숫자와 -만 10~20자로 입력해 주세요."),
        ],
    )

    def account(self) -> dict[str, str]:
        """What PortOne's cancel takes; kept nowhere else."""
        return {
            "refund_holder": self.refund_holder.data.strip(),
            "refund_bank": self.refund_bank.data,
            "refund_account": self.refund_account.data.replace("-", ""),
        }
