"""The 주문서's 현금영수증 choice: checked only for a cash method, with Korean messages for a
number that cannot be one, and kept on the order as digits."""

import pytest

from shop.core.cash_receipts import ReceiptPurpose
from tests.conftest import BUYER, order
from tests.helpers import page_of


def submit(shopper, **fields):
    shopper.add_to_cart(4)
    data = BUYER | {"csrf_token": shopper.csrf_token()} | fields
    return shopper.client.post("/checkout", data=data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"cash_receipt": "income_deduction", "cash_receipt_phone": "02-123-4567"},
            "현금영수증을 받을 휴대폰 번호를 010-1234-5678 형식으로 입력해 주세요.",
        ),
        (
            {"cash_receipt": "income_deduction", "cash_receipt_phone": ""},
            "현금영수증을 받을 휴대폰 번호를 010-1234-5678 형식으로 입력해 주세요.",
        ),
        (
            {"cash_receipt": "expense_proof", "cash_receipt_business": "124-81-00990"},
            "사업자등록번호 10자리를 123-45-67890 형식으로 정확히 입력해 주세요.",
        ),
        (
            {"cash_receipt": "expense_proof", "cash_receipt_business": "12345"},
            "사업자등록번호 10자리를 123-45-67890 형식으로 정확히 입력해 주세요.",
        ),
        ({"cash_receipt": "lottery"}, "현금영수증 발급 방법을 목록에서 골라 주세요."),
    ],
)
@pytest.mark.parametrize("method", ["trans", "vbank"])
def test_a_cash_method_needs_a_number_that_can_take_a_receipt(shopper, method, fields, message):
    answer = submit(shopper, pay_method=method, **fields)

    assert message in page_of(answer, 200)


def test_the_json_checkout_names_the_field_in_error(shopper):
    shopper.add_to_cart(4)
    data = BUYER | {"pay_method": "trans", "cash_receipt": "income_deduction"}
    answer = shopper.client.post(
        "/checkout",
        data=data | {"cash_receipt_phone": "123"},
        headers={"Accept": "application/json", "X-CSRFToken": shopper.csrf_token()},
    )

    assert answer.status_code == 422
    assert [e["field"] for e in answer.json["errors"]] == ["cash_receipt_phone"]


def test_a_card_order_ignores_the_choice_a_page_without_javascript_sent(app, shopper):
    fields = {"cash_receipt": "expense_proof", "cash_receipt_business": "nonsense"}
    answer = submit(shopper, pay_method="card", **fields)

    assert answer.status_code == 302
    placed = order(app, answer.headers["Location"].split("/")[2])
    assert placed.cash_receipt_purpose is None and placed.cash_receipt_number is None


@pytest.mark.parametrize(
    ("fields", "purpose", "number"),
    [
        (
            {"cash_receipt": "income_deduction", "cash_receipt_phone": "010-9876-5432"},
            ReceiptPurpose.INCOME_DEDUCTION,
            "01098765432",
        ),
        (
            {"cash_receipt": "expense_proof", "cash_receipt_business": "124-81-00998"},
            ReceiptPurpose.EXPENSE_PROOF,
            "1248100998",
        ),
        ({"cash_receipt": "none"}, ReceiptPurpose.NONE, None),
        ({}, ReceiptPurpose.NONE, None),
    ],
)
def test_the_choice_is_kept_on_the_order(app, shopper, fields, purpose, number):
    answer = submit(shopper, pay_method="trans", **fields)

    placed = order(app, answer.headers["Location"].split("/")[2])
    assert (placed.cash_receipt_purpose, placed.cash_receipt_number) == (purpose, number)


def test_the_form_offers_the_three_choices(shopper):
    shopper.add_to_cart(4)
    page = page_of(shopper.client.get("/checkout"), 200)

    for label in ("소득공제용", "지출증빙용", "미발행", "국세청 지정번호(010-000-1234)"):
        assert label in page
