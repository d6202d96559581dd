"""Cash receipts (/receipts/{imp_uid}, /receipts/external/{merchant_uid}) to the V1 spec, the
payment's cash_receipt_issued, and the sales slip at its own path (/slips/{imp_uid})."""

from urllib.parse import urlsplit

import pytest

from iamport_sandbox import receipts
from tests.helpers import assert_portone_refusal

UNKNOWN_IMP_UID = "imp_000000000000"
HOLDER = {"identifier": "01012345678", "buyer_name": "홍길동", "buyer_tel": "01012345678"}
EXTERNAL = HOLDER | {"name": "현장 결제 머그컵", "amount": 33000}


@pytest.fixture
def cash_payment(store) -> str:
    return store.insert_payment(status="paid", pay_method="trans", amount=11000)["imp_uid"]


def issue(client, auth, imp_uid, fields=HOLDER):
    return client.post(f"/receipts/{imp_uid}", json=fields, headers=auth)


def payment_of(client, auth, imp_uid) -> dict:
    return client.get(f"/payments/{imp_uid}", headers=auth).json["response"]


# POST, GET and DELETE /receipts/{imp_uid}


def test_issue_answers_the_receipt_and_marks_the_payment(
    client, auth, cash_payment, clock, validate
):
    response = issue(client, auth, cash_payment)

    assert response.status_code == 200
    validate(response.json, "ReceiptResponse")
    receipt = response.json["response"]
    assert receipt["imp_uid"] == cash_payment
    assert (receipt["type"], receipt["amount"], receipt["vat"]) == ("person", 11000, 1000)
    assert receipt["apply_num"].isdigit()
    assert (receipt["applied_at"], receipt["cancelled_at"]) == (clock.now, 0)
    assert payment_of(client, auth, cash_payment)["cash_receipt_issued"] is True


def test_the_receipt_url_serves_the_cash_receipt_page(client, auth, cash_payment):
    receipt = issue(client, auth, cash_payment).json["response"]

    page = client.get(urlsplit(receipt["receipt_url"]).path)

    assert page.status_code == 200
    assert receipt["apply_num"] in page.get_data(as_text=True)


def test_lookup_answers_the_issued_receipt(client, auth, cash_payment):
    issued = issue(client, auth, cash_payment).json["response"]

    response = client.get(f"/receipts/{cash_payment}", headers=auth)

    assert response.json["response"] == issued


def test_tax_free_and_type_shape_the_receipt(client, auth, cash_payment):
    fields = HOLDER | {"type": "company", "identifier_type": "business", "tax_free": 2200}

    receipt = issue(client, auth, cash_payment, fields).json["response"]

    assert (receipt["type"], receipt["amount"], receipt["vat"]) == ("company", 11000, 800)


def test_a_partly_cancelled_payment_gets_a_receipt_for_what_is_left(client, auth, store):
    imp_uid = store.insert_payment(status="paid", pay_method="vbank", amount=11000)["imp_uid"]
    store.cancel(
        imp_uid,
        amount=5500,
        refund={"refund_holder": "홍", "refund_bank": "088", "refund_account": "1"},
    )

    assert issue(client, auth, imp_uid).json["response"]["amount"] == 5500


def test_revoke_cancels_the_receipt_and_unmarks_the_payment(
    client, auth, cash_payment, clock, validate
):
    issue(client, auth, cash_payment)
    clock.advance(60)

    response = client.delete(f"/receipts/{cash_payment}", headers=auth)

    validate(response.json, "ReceiptResponse")
    assert response.json["response"]["cancelled_at"] == clock.now
    assert payment_of(client, auth, cash_payment)["cash_receipt_issued"] is False
    lookup = client.get(f"/receipts/{cash_payment}", headers=auth).json["response"]
    assert lookup["cancelled_at"] == clock.now


def test_a_cancelled_receipt_can_be_issued_again(client, auth, cash_payment):
    first = issue(client, auth, cash_payment).json["response"]
    client.delete(f"/receipts/{cash_payment}", headers=auth)

    second = issue(client, auth, cash_payment).json["response"]

    assert second["receipt_tid"] != first["receipt_tid"]
    assert payment_of(client, auth, cash_payment)["cash_receipt_issued"] is True


def test_a_second_issue_is_a_400(client, auth, cash_payment):
    issue(client, auth, cash_payment)

    assert_portone_refusal(
        issue(client, auth, cash_payment), status=400, code=-1, message=receipts.ALREADY_ISSUED
    )


@pytest.mark.parametrize("pay_method", ["card", "phone", "kakaopay"])
def test_a_payment_not_in_cash_is_a_400(client, auth, store, pay_method):
    imp_uid = store.insert_payment(status="paid", pay_method=pay_method)["imp_uid"]

    response = issue(client, auth, imp_uid)

    assert_portone_refusal(response, status=400, code=-1, message_part=pay_method)
    assert payment_of(client, auth, imp_uid)["cash_receipt_issued"] is False


@pytest.mark.parametrize("status", ["ready", "failed", "cancelled"])
def test_a_payment_not_paid_is_a_400(client, auth, store, status):
    imp_uid = store.insert_payment(status=status, pay_method="vbank")["imp_uid"]

    assert_portone_refusal(issue(client, auth, imp_uid), status=400, code=-1, message_part=status)


def test_issuing_to_an_unknown_payment_is_a_404(client, auth):
    response = issue(client, auth, UNKNOWN_IMP_UID)

    assert_portone_refusal(response, status=404, code=-1, message="존재하지 않는 결제정보입니다.")


def test_a_pg_without_receipts_is_a_501(client, auth, store):
    imp_uid = store.insert_payment(status="paid", pay_method="trans", pg_provider="paypal")
    response = issue(client, auth, imp_uid["imp_uid"])

    assert_portone_refusal(response, status=501, code=-1, message_part="paypal")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({}, "identifier"),
        (HOLDER | {"type": "personal"}, "type"),
        (HOLDER | {"identifier_type": "card"}, "identifier_type"),
        (HOLDER | {"tax_free": -1}, "tax_free"),
        (HOLDER | {"tax_free": 20000}, "tax_free"),
        (HOLDER | {"vat_amount": "많이"}, "vat_amount"),
    ],
)
def test_an_unusable_field_is_a_400_that_names_it(client, auth, cash_payment, fields, named):
    response = issue(client, auth, cash_payment, fields)

    assert_portone_refusal(response, status=400, code=-1, message_part=named)


@pytest.mark.parametrize(
    ("pg_provider", "needed"), [("kicc", "identifier_type"), ("ksnet", "product_type")]
)
def test_a_pg_needs_its_own_fields(client, auth, store, pg_provider, needed):
    imp_uid = store.insert_payment(status="paid", pay_method="trans", pg_provider=pg_provider)
    response = issue(client, auth, imp_uid["imp_uid"])

    assert_portone_refusal(response, status=400, code=-1, message_part=needed)


def test_a_lookup_without_a_receipt_is_a_404(client, auth, cash_payment):
    for imp_uid in (cash_payment, UNKNOWN_IMP_UID):
        response = client.get(f"/receipts/{imp_uid}", headers=auth)
        assert_portone_refusal(response, status=404, code=-1, message=receipts.RECEIPT_NOT_FOUND)


def test_revoking_what_was_never_issued_is_a_400(client, auth, cash_payment):
    for imp_uid in (cash_payment, UNKNOWN_IMP_UID):
        response = client.delete(f"/receipts/{imp_uid}", headers=auth)
        assert_portone_refusal(response, status=400, code=-1, message=receipts.NEVER_ISSUED)


def test_revoking_twice_is_a_400(client, auth, cash_payment):
    issue(client, auth, cash_payment)
    client.delete(f"/receipts/{cash_payment}", headers=auth)

    response = client.delete(f"/receipts/{cash_payment}", headers=auth)

    assert_portone_refusal(response, status=400, code=-1, message=receipts.ALREADY_CANCELLED)


def test_the_api_needs_a_token(client, cash_payment):
    assert_portone_refusal(
        client.post(f"/receipts/{cash_payment}", json=HOLDER), status=401, code=-1
    )


def test_the_console_shows_the_receipt(client, auth, cash_payment):
    apply_num = issue(client, auth, cash_payment).json["response"]["apply_num"]

    page = client.get(f"/dashboard/payments/{cash_payment}").get_data(as_text=True)

    assert "소득공제용" in page and apply_num in page


# /receipts/external/{merchant_uid}


def test_external_issue_lookup_and_revoke(client, auth, clock, validate):
    issued = client.post("/receipts/external/cash-order-1", json=EXTERNAL, headers=auth)
    looked_up = client.get("/receipts/external/cash-order-1", headers=auth)
    revoked = client.delete("/receipts/external/cash-order-1", headers=auth)

    for response in (issued, looked_up, revoked):
        validate(response.json, "ExternalReceiptResponse")
    receipt = issued.json["response"]
    assert receipt["merchant_uid"] == "cash-order-1"
    assert (receipt["amount"], receipt["vat"], receipt["cancelled_at"]) == (33000, 3000, 0)
    assert looked_up.json["response"] == receipt
    assert revoked.json["response"]["cancelled_at"] == clock.now


@pytest.mark.parametrize("missing", ["name", "amount", "identifier"])
def test_external_issue_needs_its_fields(client, auth, missing):
    fields = {key: value for key, value in EXTERNAL.items() if key != missing}

    response = client.post("/receipts/external/cash-order-1", json=fields, headers=auth)

    assert_portone_refusal(response, status=400, code=-1, message_part=missing)


def test_external_issue_twice_is_a_400(client, auth):
    client.post("/receipts/external/cash-order-1", json=EXTERNAL, headers=auth)

    response = client.post("/receipts/external/cash-order-1", json=EXTERNAL, headers=auth)

    assert_portone_refusal(response, status=400, code=-1, message=receipts.ALREADY_ISSUED)


@pytest.mark.parametrize("method", ["get", "delete"])
def test_an_external_receipt_never_issued_is_a_404(client, auth, method):
    response = getattr(client, method)("/receipts/external/nothing-here", headers=auth)

    assert_portone_refusal(response, status=404, code=-1)


def test_an_external_receipt_is_not_a_payments_receipt(client, auth):
    client.post("/receipts/external/cash-order-1", json=EXTERNAL, headers=auth)

    assert client.get("/receipts/cash-order-1", headers=auth).status_code == 404


# The sales slip, moved off the cash receipt API's path


def test_a_paid_payment_links_its_slip_at_slips(window, client):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")

    slip = client.get(f"/slips/{imp_uid}")

    assert slip.status_code == 200
    assert "매출전표" in slip.get_data(as_text=True)


def test_receipts_path_is_the_api_not_the_slip(window, client):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")

    response = client.get(f"/receipts/{imp_uid}")

    assert_portone_refusal(response, status=401, code=-1, message="Unauthorized")
