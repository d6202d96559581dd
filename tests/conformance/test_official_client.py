"""PortOne's Python client (iamport-rest-client 0.9.0), unmodified, gets what it expects.

Every test runs against the sandbox; the read-only ones (and prepare, with a fresh
merchant_uid) also run against PortOne's real API when credentials are given.

The client has no escrow (/escrows/logis) or cash receipt (/receipts) calls, so those are
covered through the Node.js client only (test_node_client.py);
test_the_client_has_no_escrow_or_receipt_calls notices when a new version brings some.
"""

import inspect
import uuid

import pytest
from iamport import Iamport

UNKNOWN_IMP_UID = "imp_000000000000"
NO_PAYMENT_TO_CANCEL = "취소할 결제건이 존재하지 않습니다."
ALREADY_CANCELLED = "이미 전액취소된 주문입니다."


def fresh_merchant_uid() -> str:
    return f"conformance_{uuid.uuid4().hex[:20]}"


def raised(call) -> Exception:
    with pytest.raises((Iamport.HttpError, Iamport.ResponseError)) as caught:
        call()
    return caught.value


# What the client covers


def test_the_client_has_no_escrow_or_receipt_calls():
    source = inspect.getsource(Iamport)

    assert "escrows/" not in source
    assert "receipts/" not in source
    assert [name for name in dir(Iamport) if "escrow" in name or "receipt" in name] == []
    assert "payments/prepare" in source  # what it does call, written the same way


# Read-only, against both targets


@pytest.mark.parametrize(
    "lookup",
    [
        lambda client: client.find(imp_uid=UNKNOWN_IMP_UID),
        lambda client: client.find_by_imp_uid(UNKNOWN_IMP_UID),
        lambda client: client.find(merchant_uid=fresh_merchant_uid()),
        lambda client: client.find_by_merchant_uid(fresh_merchant_uid()),
        lambda client: client.is_paid(1000, imp_uid=UNKNOWN_IMP_UID),
    ],
    ids=["find-imp_uid", "find_by_imp_uid", "find-merchant_uid", "find_by_merchant_uid", "is_paid"],
)
def test_unknown_payment_raises_http_error_404(target, lookup):
    error = raised(lambda: lookup(target.client))

    assert isinstance(error, Iamport.HttpError)
    assert error.code == 404


@pytest.mark.parametrize(
    "cancel",
    [
        lambda client: client.cancel("테스트", imp_uid=UNKNOWN_IMP_UID),
        lambda client: client.cancel_by_imp_uid(UNKNOWN_IMP_UID, "테스트", amount=100),
        lambda client: client.cancel("테스트", merchant_uid=fresh_merchant_uid()),
        lambda client: client.cancel_by_merchant_uid(fresh_merchant_uid(), "테스트"),
    ],
    ids=["cancel-imp_uid", "cancel_by_imp_uid", "cancel-merchant_uid", "cancel_by_merchant_uid"],
)
def test_cancel_of_an_unknown_payment_raises_response_error_1(target, cancel):
    error = raised(lambda: cancel(target.client))

    assert isinstance(error, Iamport.ResponseError)
    assert (error.code, error.message) == (1, NO_PAYMENT_TO_CANCEL)


def test_wrong_credentials_raise_http_error_401(target):
    client = Iamport("wrong-key", "wrong-secret", imp_url=target.url)

    error = raised(lambda: client.find(imp_uid=UNKNOWN_IMP_UID))
    client.requests_session.close()

    assert isinstance(error, Iamport.HttpError)
    assert error.code == 401


def test_prepare_registers_the_amount_that_prepare_validate_checks(target):
    merchant_uid = fresh_merchant_uid()

    prepared = target.client.prepare(merchant_uid, 1004)

    assert prepared["merchant_uid"] == merchant_uid
    assert prepared["amount"] == 1004
    assert target.client.prepare_validate(merchant_uid, 1004) is True
    assert target.client.prepare_validate(merchant_uid, 1005) is False


def test_preparing_a_merchant_uid_twice_raises_response_error_1(target):
    merchant_uid = fresh_merchant_uid()
    target.client.prepare(merchant_uid, 1004)

    error = raised(lambda: target.client.prepare(merchant_uid, 2000))

    assert isinstance(error, Iamport.ResponseError)
    assert error.code == 1
    assert target.client.prepare_validate(merchant_uid, 1004) is True


def test_prepare_validate_of_an_unregistered_merchant_uid_raises_http_error_404(target):
    error = raised(lambda: target.client.prepare_validate(fresh_merchant_uid(), 1004))

    assert isinstance(error, Iamport.HttpError)
    assert error.code == 404


# With a paid payment: the sandbox only


@pytest.fixture
def paid(store):
    return store.insert_payment(merchant_uid=fresh_merchant_uid(), amount=1004, status="paid")


def test_find_answers_the_payment_by_either_id(target, paid):
    client = target.client

    assert client.find(imp_uid=paid["imp_uid"]) == paid
    assert client.find_by_imp_uid(paid["imp_uid"]) == paid
    assert client.find(merchant_uid=paid["merchant_uid"]) == paid
    assert client.find_by_merchant_uid(paid["merchant_uid"]) == paid


def test_find_by_merchant_uid_answers_the_newest_attempt(target, store):
    merchant_uid = fresh_merchant_uid()
    store.insert_payment(merchant_uid=merchant_uid, status="failed", started_at=1)
    newest = store.insert_payment(merchant_uid=merchant_uid, status="paid")

    assert target.client.find_by_merchant_uid(merchant_uid) == newest


@pytest.mark.parametrize("ids", [["imp_uid"], ["merchant_uid"]])
def test_is_paid_holds_for_the_paid_amount_only(target, paid, ids):
    given = {name: paid[name] for name in ids}

    assert target.client.is_paid(1004, **given) is True
    assert target.client.is_paid(1000, **given) is False
    assert target.client.is_paid(1004, response=target.client.find(**given)) is True


def test_is_paid_is_false_after_a_partial_cancel(target, paid):
    target.client.cancel("부분 환불", imp_uid=paid["imp_uid"], amount=4)

    assert target.client.is_paid(1004, imp_uid=paid["imp_uid"]) is False


def test_full_cancel_answers_the_cancelled_payment(target, paid):
    cancelled = target.client.cancel("고객 변심", imp_uid=paid["imp_uid"])

    assert cancelled["status"] == "cancelled"
    assert cancelled["cancel_amount"] == 1004
    assert cancelled["cancel_reason"] == "고객 변심"
    assert [entry["amount"] for entry in cancelled["cancel_history"]] == [1004]
    assert target.client.find(imp_uid=paid["imp_uid"]) == cancelled


def test_partial_cancels_with_amount_and_checksum_add_up(target, paid):
    client = target.client

    first = client.cancel_by_imp_uid(paid["imp_uid"], "첫 환불", amount=300, checksum=1004)
    second = client.cancel("남은 금액", imp_uid=paid["imp_uid"], amount=704, checksum=704)
    error = raised(lambda: client.cancel("또", imp_uid=paid["imp_uid"]))

    assert (first["status"], first["cancel_amount"]) == ("cancelled", 300)
    assert second["cancel_amount"] == 1004
    assert [entry["amount"] for entry in second["cancel_history"]] == [300, 704]
    assert (error.code, error.message) == (1, ALREADY_CANCELLED)


def test_wrong_checksum_raises_response_error_and_changes_nothing(target, paid):
    error = raised(lambda: target.client.cancel("환불", imp_uid=paid["imp_uid"], checksum=1000))

    assert isinstance(error, Iamport.ResponseError)
    assert error.code == 1
    assert target.client.find(imp_uid=paid["imp_uid"]) == paid


def test_amount_over_the_remainder_raises_the_pgs_response_error(target, paid):
    error = raised(lambda: target.client.cancel("환불", imp_uid=paid["imp_uid"], amount=2000))

    assert isinstance(error, Iamport.ResponseError)
    assert error.code == -1
    assert error.message.startswith("결제취소에 실패하였습니다.")


@pytest.mark.parametrize(
    "cancel",
    [
        lambda client, merchant_uid: client.cancel_by_merchant_uid(merchant_uid, "환불"),
        lambda client, merchant_uid: client.cancel("환불", merchant_uid=merchant_uid),
    ],
    ids=["cancel_by_merchant_uid", "cancel-merchant_uid"],
)
def test_cancel_by_merchant_uid_cancels_the_paid_payment(target, paid, cancel):
    cancelled = cancel(target.client, paid["merchant_uid"])

    assert cancelled["imp_uid"] == paid["imp_uid"]
    assert cancelled["cancel_amount"] == 1004
