"""현금영수증 of cash payments: issued after the payment (POST /receipts/{imp_uid}) to the
buyer's number, or to the 국세청 지정번호 from 10만원 when the buyer chose 미발행; skipped when
the PG issued one; cancelled on a full refund; cancelled and issued again for what is left on
a partial refund; a failure kept on the receipt and asked again by reconcile."""

import pytest
from sqlalchemy import select

from shop.core.cash_receipts import NTS_NUMBER, ReceiptPurpose
from shop.core.extensions import db
from shop.core.ledger import CashReceipt, Notice
from tests.admin.test_admin import PASSWORD_HASH, act, flashed, operator, refund
from tests.conftest import DATABASES, events

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)

MUGS = {"product_id": 4, "quantity": 5}  # 24,000원 × 5 = 120,000원, no shipping fee
INCOME = {"cash_receipt": "income_deduction", "cash_receipt_phone": "010-9876-5432"}


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


@pytest.fixture
def receipt_calls(app) -> list[str]:
    """The method of every request the shop sends to PortOne's receipt API."""
    calls: list[str] = []

    def seen(response, **_):
        if "/receipts/" in response.request.url:
            calls.append(response.request.method)

    app.extensions["portone"].session.hooks["response"].append(seen)
    return calls


def cash_paid(shopper, method="trans", product_id=4, quantity=5, **fields) -> tuple[str, str]:
    merchant_uid = shopper.buy(product_id, quantity, pay_method=method, **fields)
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid, imp_uid


def receipt_row(app, imp_uid: str) -> CashReceipt | None:
    with app.app_context():
        query = select(CashReceipt).where(CashReceipt.imp_uid == imp_uid)
        return db.session.execute(query).scalar_one_or_none()


def at_portone(sandbox, imp_uid: str) -> dict:
    from iamport_sandbox.store import ReceiptKind

    return sandbox.receipt(ReceiptKind.PAYMENT, imp_uid)


def receipt_outcomes(app) -> list[str]:
    return [e.outcome for e in events(app) if e.outcome.startswith("cash_receipt_")]


def test_a_transfer_of_120000_with_income_deduction_gets_its_receipt(app, shopper, sandbox):
    merchant_uid, imp_uid = cash_paid(shopper, **INCOME)

    issued = at_portone(sandbox, imp_uid)
    assert issued["issued_to"]["identifier"] == "01098765432"
    assert issued["issued_to"]["identifier_type"] == "phone"
    assert issued["type"] == "person" and issued["amount"] == 120_000
    row = receipt_row(app, imp_uid)
    assert row.in_force and row.amount == 120_000 and row.apply_num == issued["apply_num"]
    assert row.purpose is ReceiptPurpose.INCOME_DEDUCTION
    assert receipt_outcomes(app) == ["cash_receipt_issued"]
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert "소득공제용" in page and "010-****-5432" in page and issued["apply_num"] in page
    assert "01098765432" not in page
    with app.app_context():
        kinds = db.session.execute(select(Notice.kind)).scalars().all()
    assert "cash_receipt_issued" in kinds


def test_an_expense_proof_goes_to_the_business_number(app, shopper, sandbox):
    fields = {"cash_receipt": "expense_proof", "cash_receipt_business": "124-81-00998"}
    _, imp_uid = cash_paid(shopper, **fields)

    issued = at_portone(sandbox, imp_uid)
    assert issued["type"] == "company"
    assert issued["issued_to"]["identifier"] == "1248100998"
    assert issued["issued_to"]["identifier_type"] == "business"


def test_none_chosen_from_100000_goes_to_the_nts_number(app, shopper, sandbox):
    _, imp_uid = cash_paid(shopper, cash_receipt="none")

    issued = at_portone(sandbox, imp_uid)
    assert issued["issued_to"]["identifier"] == NTS_NUMBER == "0100001234"
    assert receipt_row(app, imp_uid).identifier == NTS_NUMBER


def test_none_chosen_below_100000_issues_nothing(app, shopper, sandbox, receipt_calls):
    _, imp_uid = cash_paid(shopper, quantity=4, cash_receipt="none")  # 96,000원

    assert receipt_calls == []
    assert at_portone(sandbox, imp_uid) is None
    assert receipt_row(app, imp_uid) is None


def test_a_card_payment_issues_nothing_whatever_was_chosen(app, shopper, receipt_calls):
    cash_paid(shopper, method="card", **INCOME)

    assert receipt_calls == []


def test_a_receipt_the_pg_issued_is_not_issued_again(app, shopper, sandbox, receipt_calls):
    merchant_uid = shopper.buy(4, 5, pay_method="trans", **INCOME)
    imp_uid = shopper.pay_in_window(merchant_uid)
    sandbox.update_payment(imp_uid, lambda *_: {"cash_receipt_issued": True})

    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"

    assert receipt_calls == []
    assert receipt_row(app, imp_uid) is None
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert "결제대행사 결제창에서 현금영수증이 발급되었습니다" in page


def test_a_full_refund_cancels_the_receipt(app, shopper, sandbox):
    merchant_uid, imp_uid = cash_paid(shopper, **INCOME)

    answer = refund(operator(app), merchant_uid, "120000", full_refund="y")

    assert answer.status_code == 302
    assert at_portone(sandbox, imp_uid)["cancelled_at"]
    row = receipt_row(app, imp_uid)
    assert not row.in_force and row.cancelled_at is not None
    assert receipt_outcomes(app) == ["cash_receipt_issued", "cash_receipt_cancelled"]
    page = operator(app).get(f"/admin/orders/{merchant_uid}").get_data(as_text=True)
    assert "발급 취소" in page


def test_a_partial_refund_cancels_and_issues_for_what_is_left(app, shopper, sandbox):
    merchant_uid, imp_uid = cash_paid(shopper, **INCOME)
    first = at_portone(sandbox, imp_uid)["apply_num"]

    refund(operator(app), merchant_uid, "20000")

    again = at_portone(sandbox, imp_uid)
    assert again["amount"] == 100_000 and not again["cancelled_at"]
    assert again["apply_num"] != first
    assert again["issued_to"]["identifier"] == "01098765432"
    assert receipt_row(app, imp_uid).amount == 100_000
    assert receipt_outcomes(app) == [
        "cash_receipt_issued",
        "cash_receipt_cancelled",
        "cash_receipt_issued",
    ]


def test_a_receipt_portone_did_not_answer_for_is_issued_by_reconcile(
    app, shopper, sandbox, gateway_link, runner, receipt_calls
):
    merchant_uid = shopper.buy(4, 5, pay_method="trans", **INCOME)
    imp_uid = shopper.pay_in_window(merchant_uid)
    gateway = app.extensions["portone"]
    issue = gateway.issue_receipt

    def cut_off(*args):
        gateway_link.cut()
        try:
            return issue(*args)
        finally:
            gateway_link.restore()

    gateway.issue_receipt = cut_off
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    del gateway.issue_receipt

    kept = receipt_row(app, imp_uid)
    assert not kept.in_force and kept.error == "PortOne이 제한 시간 안에 응답하지 않았습니다."
    admin_page = operator(app).get(f"/admin/orders/{merchant_uid}").get_data(as_text=True)
    assert "현금영수증 다시 요청" in admin_page

    first = runner.invoke(args=["reconcile"])
    second = runner.invoke(args=["reconcile"])

    assert f"{merchant_uid}: 현금영수증 발급" in first.output
    assert merchant_uid not in second.output
    assert at_portone(sandbox, imp_uid)["amount"] == 120_000
    assert receipt_row(app, imp_uid).error is None
    assert receipt_outcomes(app) == ["cash_receipt_failed", "cash_receipt_issued"]
    # The cut POST never reached PortOne; the shop then asked whether it had gone through.
    assert receipt_calls == ["GET", "POST"]


def test_a_refusal_is_kept_and_reconcile_says_it_failed(app, shopper, sandbox, runner):
    merchant_uid = shopper.buy(4, 5, pay_method="trans", **INCOME)
    imp_uid = shopper.pay_in_window(merchant_uid)
    sandbox.update_payment(imp_uid, lambda *_: {"pg_provider": "uplus"})  # no receipts there
    shopper.complete(imp_uid, merchant_uid)

    result = runner.invoke(args=["reconcile"])

    assert "현금영수증을 지원하지 않는 PG사" in receipt_row(app, imp_uid).error
    assert "현금영수증 요청 실패" in result.output
    assert result.exit_code == 1


def test_the_operators_retry_issues_what_portone_refused_before(app, shopper, sandbox):
    merchant_uid = shopper.buy(4, 5, pay_method="trans", **INCOME)
    imp_uid = shopper.pay_in_window(merchant_uid)
    sandbox.update_payment(imp_uid, lambda *_: {"pg_provider": "uplus"})
    shopper.complete(imp_uid, merchant_uid)
    assert not receipt_row(app, imp_uid).in_force
    sandbox.update_payment(imp_uid, lambda *_: {"pg_provider": "html5_inicis"})
    client = operator(app)

    act(client, merchant_uid, "cash-receipt")
    act(client, merchant_uid, "cash-receipt")  # nothing left to ask for

    page = flashed(client, merchant_uid)
    assert "PortOne에 요청할 현금영수증이 없습니다" in page
    assert receipt_row(app, imp_uid).in_force and receipt_row(app, imp_uid).error is None
    assert at_portone(sandbox, imp_uid)["amount"] == 120_000
    assert receipt_outcomes(app) == ["cash_receipt_failed", "cash_receipt_issued"]
