"""The 주문서's 현금영수증 choice, for the cash methods only (shop.core.cash_receipts): checked
on the server only when the chosen method is one, so a page without JavaScript (which shows
the choice for every method) still places a card order whatever the choice says."""

from wtforms import RadioField, SelectChoice, StringField, TelField
from wtforms.validators import StopValidation, ValidationError

from shop.core.cash_receipts import (
    CASH_METHODS,
    ReceiptPurpose,
    digits,
    is_business_number,
    is_mobile,
)

PHONE_HINT = "현금영수증을 받을 휴대폰 번호를 010-1234-5678 형식으로 입력해 주세요."
BUSINESS_HINT = "사업자등록번호 10자리를 123-45-67890 형식으로 정확히 입력해 주세요."


def needed_for(purpose: ReceiptPurpose, message: str, valid):
    """A validator that asks for the number only when a cash method and `purpose` are chosen."""

    def check(form, field) -> None:
        chosen = form.pay_method.data in CASH_METHODS and form.cash_receipt.data == purpose.value
        if not chosen:
            raise StopValidation()  # not asked for: whatever was typed is left out
        if not valid(digits(field.data)):
            raise ValidationError(message)

    return check


class CashReceiptFields:
    """Mixed into CheckoutForm."""

    cash_receipt = RadioField(
        "현금영수증",
        choices=[SelectChoice(purpose.value, purpose.label) for purpose in ReceiptPurpose],
        default=ReceiptPurpose.NONE.value,
        invalid_choice_message="현금영수증 발급 방법을 목록에서 골라 주세요.",
    )
    cash_receipt_phone = TelField(
        "현금영수증 휴대폰 번호",
        default="",
        validators=[needed_for(ReceiptPurpose.INCOME_DEDUCTION, PHONE_HINT, is_mobile)],
    )
    cash_receipt_business = StringField(
        "사업자등록번호",
        default="",
        validators=[needed_for(ReceiptPurpose.EXPENSE_PROOF, BUSINESS_HINT, is_business_number)],
    )

    def cash_receipt_choice(self) -> tuple[ReceiptPurpose | None, str | None]:
        """What the order keeps: nothing for other methods, the number for a receipt asked for."""
        if self.pay_method.data not in CASH_METHODS:  # type: ignore[attr-defined]
            return None, None
        purpose = ReceiptPurpose(self.cash_receipt.data)
        fields = {
            ReceiptPurpose.INCOME_DEDUCTION: self.cash_receipt_phone,
            ReceiptPurpose.EXPENSE_PROOF: self.cash_receipt_business,
        }
        field = fields.get(purpose)
        return purpose, digits(field.data) if field is not None else None
