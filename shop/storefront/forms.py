"""Every form of the shop; all of them carry a CSRF token."""

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
from wtforms.validators import DataRequired, Email, Length, NumberRange, Regexp

from shop.payments.methods import METHODS, offered

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


class CheckoutForm(FlaskForm):
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
            Regexp(
                r"^0\d{1,2}-?\d{3,4}-?\d{4}$", message="예: 010-1234-5678 형식으로 입력해 주세요."
            ),
        ],
    )
    buyer_postcode = StringField(
        "우편번호",
        validators=[
            DataRequired("우편번호를 입력해 주세요."),
            Regexp(r"^\d{5}$", message="우편번호는 숫자 5자리입니다."),
        ],
    )
    buyer_addr = StringField(
        "주소", validators=[DataRequired("배송받을 주소를 입력해 주세요."), Length(max=200)]
    )
    pay_method = RadioField(
        "결제 수단",
        default="card",
        validators=[DataRequired("결제 수단을 골라 주세요.")],
    )
    # 전자상거래법 제8조 제2항: the buyer confirms the order's terms before paying.
    agree = BooleanField(
        "주문 내용을 확인하였으며, 구매조건 확인 및 결제진행에 동의합니다.",
        validators=[DataRequired("구매조건 확인 및 결제진행에 동의해 주세요.")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keys = offered(current_app.config)
        self.pay_method.choices = [SelectChoice(key, METHODS[key].label) for key in keys]


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
