"""POST /vbanks, PUT /vbanks/{imp_uid} and GET /vbanks/holder: virtual accounts without a window."""

import pytest

from iamport_sandbox import banks, webhooks
from tests.helpers import assert_portone_refusal
from tests.sandbox.webhook_receiver import wait_for, webhook_threads

NOT_FOUND = {"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": None}
DAY = 24 * 60 * 60


@pytest.fixture
def account(clock) -> dict:
    """A complete issue request."""
    return {
        "merchant_uid": "vbank-order-1",
        "amount": 25000,
        "vbank_code": "004",
        "vbank_due": clock.now + 3 * DAY,
        "vbank_holder": "데모상점",
        "name": "머그컵 2개",
        "buyer_name": "홍길동",
        "buyer_email": "buyer@example.com",
    }


def issue(client, auth, fields, as_json=True):
    if as_json:
        return client.post("/vbanks", json=fields, headers=auth)
    return client.post("/vbanks", data=fields, headers=auth)


def change(client, auth, imp_uid, **fields):
    return client.put(f"/vbanks/{imp_uid}", json=fields, headers=auth)


def holder(client, auth, **query):
    return client.get("/vbanks/holder", query_string=query, headers=auth)


@pytest.fixture
def issued(client, auth, account) -> dict:
    return issue(client, auth, account).json["response"]


# POST /vbanks


def test_issue_records_a_waiting_account(client, auth, store, clock, account, validate):
    response = issue(client, auth, account | {"pg": "nice.MID1", "custom_data": {"a": 1}})

    assert response.status_code == 200
    validate(response.json, "PaymentResponse")
    payment = response.json["response"]
    assert payment["status"] == "ready"
    assert (payment["pay_method"], payment["channel"]) == ("vbank", "api")
    assert (payment["pg_provider"], payment["pg_id"]) == ("nice", "MID1")
    assert (payment["vbank_code"], payment["vbank_name"]) == ("004", "KB국민은행")
    assert payment["vbank_num"].isdigit()
    assert payment["vbank_holder"] == "데모상점"
    assert payment["vbank_date"] == account["vbank_due"]
    assert payment["vbank_issued_at"] == payment["started_at"] == clock.now
    assert (payment["amount"], payment["currency"]) == (25000, "KRW")
    assert (payment["name"], payment["buyer_name"]) == ("머그컵 2개", "홍길동")
    assert payment["custom_data"] == '{"a": 1}'
    assert payment == store.get_payment(payment["imp_uid"])


def test_a_form_encoded_issue_is_understood(client, auth, account):
    response = issue(client, auth, account, as_json=False)

    assert response.json["code"] == 0
    assert response.json["response"]["amount"] == 25000


def test_issue_sends_the_ready_webhook_to_notice_url(client, auth, account, receiver):
    notice_url = receiver.base_url + "/notice"

    payment = issue(client, auth, account | {"notice_url": notice_url}).json["response"]

    webhook = wait_for(lambda: receiver.received)[0]
    assert webhook["path"] == "/notice"
    assert webhook["fields"]["imp_uid"] == payment["imp_uid"]
    assert webhook["fields"]["status"] == "ready"


def test_an_issued_account_takes_a_deposit_in_the_console(client, auth, store, issued, receiver):
    deposited = client.post(f"/dashboard/payments/{issued['imp_uid']}/deposit")

    assert deposited.status_code == 303
    assert store.get_payment(issued["imp_uid"])["status"] == "paid"
    wait_for(lambda: not webhook_threads(issued["imp_uid"]))
    logged = webhooks.deliveries(store, issued["imp_uid"])
    assert [delivery["status"] for delivery in logged] == ["ready", "paid"]


@pytest.mark.parametrize(
    "missing", ["merchant_uid", "amount", "vbank_code", "vbank_due", "vbank_holder"]
)
def test_every_required_field_is_required(client, auth, store, account, missing):
    response = issue(client, auth, account | {missing: ""})

    assert_portone_refusal(response, status=200, message_part=missing)
    assert store.recent_payments() == []


@pytest.mark.parametrize(
    "field, value, part",
    [
        ("amount", 100.5, "정수"),
        ("amount", "100.5", "정수"),
        ("amount", 0, "amount"),
        ("amount", "abc", "amount"),
        ("vbank_code", "999", "은행코드"),
        ("vbank_due", "2030-01-01", "vbank_due"),
        ("vbank_due", 1.5, "vbank_due"),
        ("vbank_due", True, "vbank_due"),
    ],
)
def test_unusable_values_are_refused(client, auth, store, account, field, value, part):
    response = issue(client, auth, account | {field: value})

    assert_portone_refusal(response, status=200, message_part=part)
    assert store.recent_payments() == []


def test_a_deadline_in_the_past_is_refused(client, auth, clock, account):
    response = issue(client, auth, account | {"vbank_due": clock.now})

    assert_portone_refusal(response, status=200, message_part="vbank_due")


def test_a_two_digit_bank_code_is_read_with_its_leading_zero(client, auth, account):
    payment = issue(client, auth, account | {"vbank_code": "88"}).json["response"]

    assert (payment["vbank_code"], payment["vbank_name"]) == ("088", "신한은행")


def test_an_order_already_paid_is_refused(client, auth, store, account):
    store.insert_payment(merchant_uid=account["merchant_uid"], status="paid")

    assert_portone_refusal(
        issue(client, auth, account), status=200, message_part="이미 결제가 이루어진"
    )


def test_a_prepared_order_must_match_its_amount(client, auth, account):
    client.post(
        "/payments/prepare",
        json={"merchant_uid": account["merchant_uid"], "amount": 1000},
        headers=auth,
    )

    assert_portone_refusal(issue(client, auth, account), status=200, message_part="사전등록")
    assert issue(client, auth, account | {"amount": 1000}).json["code"] == 0


def test_issue_needs_a_token(client, store, account):
    assert client.post("/vbanks", json=account).status_code == 401
    assert store.recent_payments() == []


# PUT /vbanks/{imp_uid}


def test_change_sets_amount_and_deadline(client, auth, store, clock, issued, validate):
    new_due = clock.now + 7 * DAY

    response = change(client, auth, issued["imp_uid"], amount=30000, vbank_due=new_due)

    assert response.status_code == 200
    validate(response.json, "PaymentResponse")
    payment = response.json["response"]
    assert (payment["amount"], payment["vbank_date"]) == (30000, new_due)
    assert payment["vbank_num"] == issued["vbank_num"]
    assert payment == store.get_payment(issued["imp_uid"])


def test_a_new_amount_keeps_the_deadline(client, auth, issued):
    payment = change(client, auth, issued["imp_uid"], amount=1000).json["response"]

    assert (payment["amount"], payment["vbank_date"]) == (1000, issued["vbank_date"])


def test_a_new_deadline_keeps_the_amount(client, auth, clock, issued):
    payment = change(client, auth, issued["imp_uid"], vbank_due=clock.now + DAY).json["response"]

    assert (payment["amount"], payment["vbank_date"]) == (issued["amount"], clock.now + DAY)


def test_an_expired_account_can_get_a_new_deadline(client, clock, issued):
    clock.advance(4 * DAY)
    keys = {"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}
    token = client.post("/users/getToken", json=keys).json["response"]["access_token"]
    auth = {"Authorization": token}

    payment = change(client, auth, issued["imp_uid"], vbank_due=clock.now + DAY).json["response"]

    assert payment["vbank_date"] == clock.now + DAY


@pytest.mark.parametrize(
    "fields, part",
    [
        ({}, "amount 또는 vbank_due"),
        ({"amount": 100.5}, "정수"),
        ({"amount": -1}, "amount"),
        ({"vbank_due": 1}, "vbank_due"),
    ],
)
def test_unusable_changes_are_refused(client, auth, store, issued, fields, part):
    response = change(client, auth, issued["imp_uid"], **fields)

    assert_portone_refusal(response, status=400, message_part=part)
    assert store.get_payment(issued["imp_uid"]) == issued


def test_a_paid_account_cannot_change(client, auth, store, issued):
    client.post(f"/dashboard/payments/{issued['imp_uid']}/deposit")

    assert_portone_refusal(
        change(client, auth, issued["imp_uid"], amount=1000), status=400, message_part="paid"
    )


def test_a_revoked_account_cannot_change(client, auth, issued):
    client.delete(f"/vbanks/{issued['imp_uid']}", headers=auth)

    assert_portone_refusal(
        change(client, auth, issued["imp_uid"], amount=1000), status=400, message_part="발급취소"
    )


def test_a_card_payment_is_no_account_to_change(client, auth, store):
    imp_uid = store.insert_payment(status="paid")["imp_uid"]

    assert_portone_refusal(
        change(client, auth, imp_uid, amount=1000), status=400, message_part="가상계좌"
    )


def test_change_of_an_unknown_payment_is_not_found(client, auth):
    response = change(client, auth, "imp_000000000000", amount=1000)

    assert response.status_code == 404
    assert response.json == NOT_FOUND


def test_change_needs_a_token(client, store, issued):
    response = client.put(f"/vbanks/{issued['imp_uid']}", json={"amount": 1000})

    assert response.status_code == 401
    assert store.get_payment(issued["imp_uid"]) == issued


# GET /vbanks/holder


def test_holder_of_a_known_account(client, auth, validate):
    response = holder(client, auth, bank_code="088", bank_num="110-123-456789")

    assert response.status_code == 200
    validate(response.json, "VbankHolderResponse")
    assert response.json["response"] == {"bank_holder": "홍길동"}


def test_any_other_plausible_account_has_a_steady_test_holder(client, auth):
    first = holder(client, auth, bank_code="004", bank_num="94370200123456")
    again = holder(client, auth, bank_code="4", bank_num="943702-00-123456")

    assert first.json["response"]["bank_holder"] in banks.TEST_HOLDERS
    assert again.json == first.json


@pytest.mark.parametrize("bank_num", ["94370200120000", "123456789", "123456789012345"])
def test_an_account_that_does_not_exist_is_not_found(client, auth, bank_num):
    response = holder(client, auth, bank_code="004", bank_num=bank_num)

    assert response.status_code == 404
    assert response.json["code"] == -1
    assert response.json["response"] is None


@pytest.mark.parametrize(
    "query, part",
    [
        ({"bank_num": "94370200123456"}, "bank_code"),
        ({"bank_code": "004"}, "bank_num"),
        ({"bank_code": "999", "bank_num": "94370200123456"}, "은행코드"),
    ],
)
def test_a_missing_or_unknown_bank_is_a_bad_request(client, auth, query, part):
    response = holder(client, auth, **query)

    assert response.status_code == 400
    assert response.json["code"] == -1
    assert part in response.json["message"]


def test_holder_needs_a_token(client):
    response = client.get("/vbanks/holder?bank_code=088&bank_num=110123456789")

    assert response.status_code == 401


@pytest.mark.parametrize("method", ["put", "delete"])
def test_holder_is_no_imp_uid_to_change_or_revoke(client, auth, method):
    response = getattr(client, method)("/vbanks/holder", headers=auth)

    assert response.status_code == 405
    assert response.json["code"] == -1
    assert "GET" in response.headers["Allow"]
