"""The admin's forms; every message is the operator's language."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    DateRange,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from shop.core.couriers import INVOICE_DIGITS, Courier, invoice_digits
from shop.core.ledger import Payment
from shop.core.models import OrderStatus
from shop.storefront.forms import RefundAccountForm
from shop.storefront.returns import ReturnForm

DATES = DateRange(
    date(2000, 1, 1), date(2999, 12, 31), "2000-01-01부터 2999-12-31 사이의 날짜를 입력해 주세요."
)
DATE_SHAPE = "날짜는 2026-01-31 형식으로 입력해 주세요."


class LoginForm(FlaskForm):
    password = PasswordField(
        "관리자 비밀번호", validators=[DataRequired("비밀번호를 입력해 주세요.")]
    )


class OrderFilterForm(FlaskForm):
    """A GET form: the filters live in the URL, so a list can be bookmarked and shared."""

    class Meta:
        csrf = False

    status = SelectField(
        "상태",
        choices=[SelectChoice("", "전체")] + [SelectChoice(s.value, s.label) for s in OrderStatus],
        validate_choice=False,  # anything else reads as 전체
    )
    date_from = DateField("주문일 (부터)", [Optional(), DATES], invalid_value_message=DATE_SHAPE)
    date_to = DateField("주문일 (까지)", [Optional(), DATES], invalid_value_message=DATE_SHAPE)
    q = StringField(
        "검색",
        [Optional(), Length(max=100, message="검색어는 100자까지 입력할 수 있습니다.")],
    )
    escrow_denied = BooleanField("에스크로 구매거절만")

    def chosen_status(self) -> OrderStatus | None:
        return next((s for s in OrderStatus if s.value == self.status.data), None)


class WonField(IntegerField):
    """Whole won, as people type them: 10000, 10,000 or 10,000원."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].replace(",", "").strip().removesuffix("원").strip()
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError("금액은 원 단위 숫자로 입력해 주세요 (예: 10000).") from None


class ConfirmForm(FlaskForm):
    confirm = BooleanField(validators=[DataRequired("확인란을 선택해 주세요.")])


class ShipForm(ConfirmForm):
    """배송 시작: the courier and the invoice number go to the customer's order page."""

    courier = SelectField(
        "택배사",
        choices=[SelectChoice("", "택배사 선택")]
        + [SelectChoice(c.value, c.label) for c in Courier],
        validate_choice=False,  # validate_courier says it in the operator's words
    )
    invoice_number = StringField("송장번호", validators=[DataRequired("송장번호를 입력해 주세요.")])

    def validate_courier(self, field: SelectField) -> None:
        if self.chosen_courier() is None:
            raise ValidationError("택배사를 선택해 주세요.")

    def validate_invoice_number(self, field: StringField) -> None:
        if invoice_digits(field.data or "") is None:
            shortest, longest = INVOICE_DIGITS
            raise ValidationError(
                f"송장번호는 숫자 {shortest}~{longest}자리로 입력해 주세요 (하이픈과 공백은 빼고 저장합니다)."
            )

    def chosen_courier(self) -> Courier | None:
        return next((c for c in Courier if c.value == self.courier.data), None)

    def shipment(self) -> tuple[Courier, str]:
        """After validation: the courier, and the invoice number as stored (digits)."""
        return Courier(self.courier.data), invoice_digits(self.invoice_number.data) or ""


class RefundForm(ConfirmForm):
    """Starts empty: the operator types what goes back. Giving back all that is left takes a
    box of its own, so a full refund is never a form sent as it came."""

    left = 0  # what the payment still holds (limit_to)
    amount = WonField("환불 금액 (원)", validators=[InputRequired("환불 금액을 입력해 주세요.")])
    full_refund = BooleanField("전액 환불합니다")
    reason = StringField(
        "환불 사유",
        validators=[
            DataRequired("환불 사유를 입력해 주세요."),
            Length(max=100, message="환불 사유는 100자까지 입력할 수 있습니다."),
        ],
    )

    def limit_to(self, left: int) -> None:
        """The amount may not exceed what the payment still holds."""
        self.left = left
        message = f"환불할 수 있는 금액은 1원부터 {left:,}원까지입니다."
        self.amount.validators = [*self.amount.validators, NumberRange(1, left, message)]

    def validate_full_refund(self, field: BooleanField) -> None:
        everything = self.amount.data == self.left
        if everything and not field.data:
            raise ValidationError(
                f"남은 {self.left:,}원을 모두 환불하려면 ‘전액 환불합니다’를 선택해 주세요."
            )
        if field.data and not everything:
            raise ValidationError(
                f"전액 환불은 남은 금액 {self.left:,}원을 그대로 입력해야 합니다. 일부만 환불하려면 선택을 해제해 주세요."
            )

    def account(self) -> dict[str, str] | None:
        return None


class VbankRefundForm(RefundForm):
    """A virtual-account payment goes back to an account the customer names."""

    refund_holder = RefundAccountForm.refund_holder
    refund_bank = RefundAccountForm.refund_bank
    refund_account = RefundAccountForm.refund_account
    account = RefundAccountForm.account


class RefuseReturnForm(ConfirmForm):
    """반품거절: the reason is what the customer reads, on the order's page and in a notice."""

    refusal = StringField(
        "거절 사유",
        validators=[
            DataRequired("거절 사유를 입력해 주세요."),
            Length(max=200, message="거절 사유는 200자까지 입력할 수 있습니다."),
        ],
    )


class TakeReturnForm(ReturnForm, ConfirmForm):
    """반품 접수: the customer's own form (the reason decides the deduction), confirmed."""


class MoneyBackForm(ConfirmForm):
    """Money going back in an amount the shop decides, never typed: a 반품 환불 (paid less the
    deduction), a review's 결제 하나 환불 or 주문 취소 (all that is left)."""

    def account(self) -> dict[str, str] | None:
        return None


class VbankMoneyBackForm(MoneyBackForm):
    refund_holder = RefundAccountForm.refund_holder
    refund_bank = RefundAccountForm.refund_bank
    refund_account = RefundAccountForm.refund_account
    account = RefundAccountForm.account


def money_back_form(payment: Payment | None, prefix: str = "") -> MoneyBackForm:
    """With the refund account when the money goes back from a virtual account; `prefix`
    keeps apart several forms on one page."""
    vbank = payment is not None and payment.pay_method == "vbank"
    return (VbankMoneyBackForm if vbank else MoneyBackForm)(prefix=prefix)


def refund_form(payment: Payment | None) -> RefundForm | None:
    """The form for the payment that holds money (shop.payments.refunds.refund_source): up to
    what it still holds, never more."""
    if payment is None:
        return None
    form_class = VbankRefundForm if payment.pay_method == "vbank" else RefundForm
    form = form_class()
    form.limit_to(payment.refundable)
    return form
