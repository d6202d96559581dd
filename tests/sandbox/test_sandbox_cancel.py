import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from iamport_sandbox.store import CancelRefused, SandboxStore
from tests.helpers import assert_portone_refusal

NOT_FOUND = {"code": 1, "message": "취소할 결제건이 존재하지 않습니다.", "response": None}
ALREADY_CANCELLED = {"code": 1, "message": "이미 전액취소된 주문입니다.", "response": None}
RECEIPT_URL = "http://sandbox.test/slips/imp_123456789012"
REFUND = {"refund_holder": "홍길동", "refund_bank": "88", "refund_account": "56211105948400"}


def cancel(client, auth, as_json=True, path="/payments/cancel", **fields):
    if as_json:
        return client.post(path, json=fields, headers=auth)
    return client.post(path, data=fields, headers=auth)


@pytest.fixture
def paid(store):
    return store.insert_payment(
        merchant_uid="order-1", amount=10000, status="paid", receipt_url=RECEIPT_URL
    )


@pytest.mark.parametrize("amount", [None, 0, "0", ""])
def test_missing_or_zero_amount_cancels_everything(client, auth, store, clock, paid, amount):
    clock.advance(60)
    body = {"imp_uid": paid["imp_uid"], "reason": "고객 변심"}
    if amount is not None:
        body["amount"] = amount

    response = cancel(client, auth, **body)

    assert response.status_code == 200
    assert response.json["code"] == 0
    assert response.json["message"] is None
    payment = response.json["response"]
    assert payment["status"] == "cancelled"
    assert payment["cancel_amount"] == 10000
    assert payment["cancelled_at"] == clock.now
    assert payment["cancel_reason"] == "고객 변심"
    [entry] = payment["cancel_history"]
    assert entry["amount"] == 10000
    assert entry["cancelled_at"] == clock.now
    assert entry["reason"] == "고객 변심"
    assert entry["pg_tid"] == paid["pg_tid"]
    assert entry["receipt_url"] == RECEIPT_URL
    assert entry["cancellation_id"]
    assert payment["cancel_receipt_urls"] == [RECEIPT_URL]
    assert store.get_payment(paid["imp_uid"]) == payment


def test_cancel_answers_the_spec_payment_object(client, auth, paid, validate):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000)

    validate(response.json, "PaymentResponse")
    validate(response.json["response"]["cancel_history"][0], "PaymentCancelAnnotation")


def test_partial_cancel_leaves_a_cancelled_payment_with_a_remainder(client, auth, paid):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=3000, reason="부분 환불")

    payment = response.json["response"]
    assert payment["status"] == "cancelled"
    assert payment["amount"] == 10000
    assert payment["cancel_amount"] == 3000
    assert [entry["amount"] for entry in payment["cancel_history"]] == [3000]


def test_partial_cancels_repeat_until_nothing_is_left(client, auth, clock, paid):
    for amount, checksum, reason in [
        (3000, 10000, "첫째"),
        (2500, 7000, "둘째"),
        (0, 4500, "셋째"),
    ]:
        clock.advance(60)
        response = cancel(
            client, auth, imp_uid=paid["imp_uid"], amount=amount, checksum=checksum, reason=reason
        )
        assert response.json["code"] == 0, response.json

    payment = response.json["response"]
    assert payment["cancel_amount"] == 10000
    assert payment["cancel_reason"] == "셋째"
    assert payment["cancelled_at"] == clock.now
    history = payment["cancel_history"]
    assert [entry["amount"] for entry in history] == [3000, 2500, 4500]
    assert [entry["reason"] for entry in history] == ["첫째", "둘째", "셋째"]
    assert [entry["cancelled_at"] for entry in history] == [
        clock.now - 120,
        clock.now - 60,
        clock.now,
    ]
    assert len({entry["cancellation_id"] for entry in history}) == 3
    assert payment["cancel_receipt_urls"] == [RECEIPT_URL] * 3
    assert cancel(client, auth, imp_uid=paid["imp_uid"]).json == ALREADY_CANCELLED


def test_fractional_amounts_add_up_exactly(client, auth, store):
    imp_uid = store.insert_payment(amount=10.3, currency="USD", status="paid")["imp_uid"]

    cancel(client, auth, imp_uid=imp_uid, amount=0.1)
    cancel(client, auth, imp_uid=imp_uid, amount=0.2)
    response = cancel(client, auth, imp_uid=imp_uid, checksum=10)

    assert response.json["response"]["cancel_amount"] == 10.3
    assert [entry["amount"] for entry in response.json["response"]["cancel_history"]] == [
        0.1,
        0.2,
        10,
    ]


def test_right_checksum_is_accepted(client, auth, paid):
    cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000, checksum=10000)

    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000, checksum=9000)

    assert response.json["code"] == 0
    assert response.json["response"]["cancel_amount"] == 2000


@pytest.mark.parametrize("checksum", [10000, 8000, 0, 9000.5])
def test_wrong_checksum_is_refused_and_changes_nothing(client, auth, store, paid, checksum):
    cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000)
    before = store.get_payment(paid["imp_uid"])

    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000, checksum=checksum)

    assert_portone_refusal(response)
    assert "checksum" in response.json["message"]
    assert store.get_payment(paid["imp_uid"]) == before


@pytest.mark.parametrize("amount", [10001, 20000])
def test_amount_over_the_remainder_is_refused_as_the_pg_would(client, auth, store, paid, amount):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=amount)

    assert_portone_refusal(response, code=-1)
    assert response.json["message"].startswith("결제취소에 실패하였습니다.")
    assert store.get_payment(paid["imp_uid"]) == paid


def test_amount_over_what_is_left_after_a_partial_cancel_is_refused(client, auth, paid):
    cancel(client, auth, imp_uid=paid["imp_uid"], amount=6000)

    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=4001)

    assert_portone_refusal(response, code=-1)


@pytest.mark.parametrize("field", ["amount", "checksum", "tax_free", "vat_amount"])
@pytest.mark.parametrize("value", ["abc", "nan", True, [1000]])
def test_a_number_field_that_is_not_a_number_is_refused(client, auth, store, paid, field, value):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], **{field: value})

    assert_portone_refusal(response, message=f"{field} 파라메터는 숫자여야 합니다.")
    assert store.get_payment(paid["imp_uid"]) == paid


def test_negative_amount_is_refused(client, auth, store, paid):
    response = cancel(client, auth, imp_uid=paid["imp_uid"], amount=-1000)

    assert_portone_refusal(response)
    assert store.get_payment(paid["imp_uid"]) == paid


def test_tax_free_and_vat_amount_are_accepted(client, auth, paid):
    response = cancel(
        client, auth, imp_uid=paid["imp_uid"], amount=1100, tax_free=0, vat_amount=100
    )

    assert response.json["code"] == 0
    assert response.json["response"]["cancel_amount"] == 1100


@pytest.fixture
def paid_vbank(store):
    return store.insert_payment(amount=30000, pay_method="vbank", status="paid")


@pytest.mark.parametrize("missing", ["refund_holder", "refund_bank", "refund_account"])
def test_vbank_refund_needs_the_whole_refund_account(client, auth, store, paid_vbank, missing):
    fields = {key: value for key, value in REFUND.items() if key != missing}

    response = cancel(client, auth, imp_uid=paid_vbank["imp_uid"], **fields)

    assert_portone_refusal(response)
    assert response.json["message"].endswith("지정해주셔야합니다.")
    assert store.get_payment(paid_vbank["imp_uid"]) == paid_vbank


def test_vbank_refund_with_a_refund_account_is_cancelled(client, auth, paid_vbank):
    response = cancel(client, auth, imp_uid=paid_vbank["imp_uid"], amount=10000, **REFUND)

    assert response.json["code"] == 0
    assert response.json["response"]["cancel_amount"] == 10000


def test_card_refund_needs_no_refund_account(client, auth, paid):
    assert cancel(client, auth, imp_uid=paid["imp_uid"]).json["code"] == 0


@pytest.fixture
def attempts(store, clock):
    """An order tried three times: failed, then paid, then a window left open."""
    failed = store.insert_payment(merchant_uid="order-1", amount=10000, status="failed")
    clock.advance(60)
    paid = store.insert_payment(merchant_uid="order-1", amount=10000, status="paid")
    clock.advance(60)
    ready = store.insert_payment(merchant_uid="order-1", amount=10000)
    return {"failed": failed, "paid": paid, "ready": ready}


def test_merchant_uid_cancels_the_orders_paid_payment(client, auth, store, attempts):
    response = cancel(client, auth, merchant_uid="order-1", amount=1000)

    assert response.json["response"]["imp_uid"] == attempts["paid"]["imp_uid"]
    assert store.get_payment(attempts["ready"]["imp_uid"]) == attempts["ready"]


def test_merchant_uid_keeps_cancelling_a_partly_cancelled_payment(client, auth, attempts):
    cancel(client, auth, merchant_uid="order-1", amount=1000)

    response = cancel(client, auth, merchant_uid="order-1", checksum=9000)

    assert response.json["response"]["imp_uid"] == attempts["paid"]["imp_uid"]
    assert response.json["response"]["cancel_amount"] == 10000


def test_merchant_uid_of_a_fully_cancelled_order_is_refused(client, auth, attempts):
    cancel(client, auth, merchant_uid="order-1")

    assert cancel(client, auth, merchant_uid="order-1").json == ALREADY_CANCELLED


def test_merchant_uid_of_an_order_never_paid_is_refused(client, auth, store):
    store.insert_payment(merchant_uid="order-1", status="failed")

    assert_portone_refusal(cancel(client, auth, merchant_uid="order-1"))


def test_imp_uid_wins_over_merchant_uid(client, auth, store, attempts):
    other = store.insert_payment(merchant_uid="order-2", amount=5000, status="paid")

    response = cancel(client, auth, imp_uid=other["imp_uid"], merchant_uid="order-1")

    assert response.json["response"]["imp_uid"] == other["imp_uid"]
    assert store.get_payment(attempts["paid"]["imp_uid"]) == attempts["paid"]


def test_unknown_imp_uid_fails_even_with_a_valid_merchant_uid(client, auth, store, attempts):
    response = cancel(client, auth, imp_uid="imp_000000000000", merchant_uid="order-1")

    assert response.status_code == 200
    assert response.json == NOT_FOUND
    assert store.get_payment(attempts["paid"]["imp_uid"]) == attempts["paid"]


@pytest.mark.parametrize("body", [{"imp_uid": "imp_000000000000"}, {"merchant_uid": "order-9"}])
def test_unknown_payment_is_refused(client, auth, body):
    response = cancel(client, auth, **body)

    assert response.status_code == 200
    assert response.json == NOT_FOUND


def test_fully_cancelled_payment_is_refused(client, auth, store):
    imp_uid = store.insert_payment(status="cancelled")["imp_uid"]

    response = cancel(client, auth, imp_uid=imp_uid)

    assert response.status_code == 200
    assert response.json == ALREADY_CANCELLED


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "ready"},
        {"status": "failed"},
        {"status": "ready", "pay_method": "vbank", "vbank_num": "56211105948400"},
    ],
)
def test_payment_that_was_never_paid_is_refused(client, auth, store, fields):
    payment = store.insert_payment(**fields)

    response = cancel(client, auth, imp_uid=payment["imp_uid"], **REFUND)

    assert_portone_refusal(response, message="결제가 완료되지 않은 결제건은 취소할 수 없습니다.")
    assert store.get_payment(payment["imp_uid"]) == payment


@pytest.mark.parametrize("body", [{}, {"imp_uid": "", "merchant_uid": ""}, {"amount": 1000}])
def test_cancel_without_an_id_is_refused(client, auth, body):
    response = cancel(client, auth, **body)

    assert_portone_refusal(response)
    assert response.json["message"].endswith("지정해주셔야합니다.")


def test_form_encoded_cancel_is_understood(client, auth, paid):
    response = cancel(
        client,
        auth,
        as_json=False,
        imp_uid=paid["imp_uid"],
        amount="3000",
        checksum="10000",
        reason="폼 취소",
        enable_webhook="false",
    )

    assert response.json["code"] == 0
    assert response.json["response"]["cancel_amount"] == 3000
    assert response.json["response"]["cancel_reason"] == "폼 취소"


def test_trailing_slash_is_tolerated(client, auth, paid):
    response = cancel(client, auth, path="/payments/cancel/", imp_uid=paid["imp_uid"])

    assert response.json["code"] == 0


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}])
def test_cancel_needs_a_token(client, store, paid, headers):
    response = cancel(client, headers, imp_uid=paid["imp_uid"])

    assert response.status_code == 401
    assert response.json["code"] == -1
    assert store.get_payment(paid["imp_uid"]) == paid


def test_cancel_is_recorded_as_an_update(client, auth, store, clock, paid):
    later = store.insert_payment(merchant_uid="order-1", status="failed")
    clock.advance(60)

    cancel(client, auth, imp_uid=paid["imp_uid"], amount=1000)

    assert store.find_payment("order-1", sorting="-updated")["imp_uid"] == paid["imp_uid"]
    assert store.find_payment("order-1", sorting="-started")["imp_uid"] == later["imp_uid"]


def test_a_window_payment_is_cancelled_with_its_receipt(client, auth, window):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")

    response = cancel(client, auth, imp_uid=imp_uid, amount=4900)

    payment = response.json["response"]
    assert payment["receipt_url"].endswith(f"/slips/{imp_uid}")
    assert payment["cancel_receipt_urls"] == [payment["receipt_url"]]
    assert payment["cancel_amount"] == 4900


@pytest.fixture
def notified(monkeypatch):
    """Records the webhooks the API asks for instead of sending them."""
    webhooks = pytest.importorskip("iamport_sandbox.webhooks")
    calls = []
    monkeypatch.setattr(webhooks, "notify", lambda *args: calls.append(args))
    return calls


@pytest.mark.parametrize("as_json, enabled", [(True, True), (True, "true"), (False, "true")])
def test_enable_webhook_notifies_the_cancel(client, auth, paid, notified, as_json, enabled):
    response = cancel(
        client,
        auth,
        as_json=as_json,
        imp_uid=paid["imp_uid"],
        amount="1000",
        enable_webhook=enabled,
    )

    payment = response.json["response"]
    assert notified == [(payment, "cancelled", payment["cancel_history"][-1]["cancellation_id"])]


@pytest.mark.parametrize("enabled", [None, False, "false", "0"])
def test_api_cancel_sends_no_webhook_by_default(client, auth, paid, notified, enabled):
    body = {"imp_uid": paid["imp_uid"]} | ({} if enabled is None else {"enable_webhook": enabled})

    cancel(client, auth, **body)

    assert notified == []


def test_refused_cancel_sends_no_webhook(client, auth, notified):
    cancel(client, auth, imp_uid="imp_000000000000", enable_webhook=True)

    assert notified == []


def test_store_cancel_returns_the_payment_and_the_cancellation_id(store, paid):
    payment, cancellation_id = store.cancel(paid["imp_uid"], amount=2000, reason="콘솔 취소")

    assert payment["cancel_amount"] == 2000
    assert payment["cancel_history"][-1]["cancellation_id"] == cancellation_id
    assert store.get_payment(paid["imp_uid"]) == payment


def test_store_cancel_refusal_carries_code_and_message(store):
    with pytest.raises(CancelRefused) as refused:
        store.cancel("imp_000000000000")

    assert (refused.value.code, refused.value.message) == (1, NOT_FOUND["message"])


def run_together(count: int, attempt) -> list:
    """Runs `attempt` in `count` threads released at the same moment."""
    start = threading.Barrier(count)

    def run(_):
        start.wait()
        try:
            return attempt()
        except CancelRefused as refusal:
            return refusal.code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_partial_cancels_never_take_more_than_the_amount(store, clock, paid):
    workers = [SandboxStore(store.path, clock) for _ in range(8)]
    turn = iter(workers)
    lock = threading.Lock()

    def attempt():
        with lock:
            worker = next(turn)
        return worker.cancel(paid["imp_uid"], amount=3000)

    outcomes = run_together(8, attempt)

    assert sum(isinstance(outcome, tuple) for outcome in outcomes) == 3
    assert sorted(outcome for outcome in outcomes if not isinstance(outcome, tuple)) == [-1] * 5
    payment = store.get_payment(paid["imp_uid"])
    assert payment["cancel_amount"] == 9000
    assert len(payment["cancel_history"]) == 3


def test_concurrent_full_cancels_succeed_once(store, paid):
    outcomes = run_together(6, lambda: store.cancel(paid["imp_uid"]))

    assert sum(isinstance(outcome, tuple) for outcome in outcomes) == 1
    assert sorted(outcome for outcome in outcomes if not isinstance(outcome, tuple)) == [1] * 5
    assert len(store.get_payment(paid["imp_uid"])["cancel_history"]) == 1
