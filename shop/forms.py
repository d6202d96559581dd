"""Every form of the shop; all of them carry a CSRF token."""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TelField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Regexp

from shop.payment_methods import METHODS

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
        choices=[SelectChoice(key, method.label) for key, method in METHODS.items()],
        default="card",
        validators=[DataRequired("결제 수단을 골라 주세요.")],
    )
