"""DELETE /vbanks/{imp_uid} (PortOne's 가상계좌 발급취소) and the console's 발급 취소."""

import pytest

from iamport_sandbox import webhooks
from tests.helpers import assert_portone_refusal, page_of
from tests.sandbox.webhook_receiver import wait_for, webhook_threads

NOT_FOUND = {"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": None}
VBANK_NUM = "56211111111111"


def revoke(client, auth, imp_uid):
    return client.delete(f"/vbanks/{imp_uid}", headers=auth)


def logged_statuses(store, imp_uid) -> list[str]:
    """The statuses of the payment's logged webhooks once no thread is delivering any more."""
    wait_for(lambda: not webhook_threads(imp_uid))
    return [delivery["status"] for delivery in webhooks.deliveries(store, imp_uid)]


@pytest.fixture
def issued(window):
    """A virtual account issued through the window and waiting for the deposit."""
    imp_uid = window.opened({"pay_method": "vbank"})
    window.decide(imp_uid, "vbank")
    return imp_uid


def test_revoke_cancels_the_waiting_account_and_answers_the_payment(
    client, auth, store, clock, issued, validate
):
    before = store.get_payment(issued)
    clock.advance(600)

    response = revoke(client, auth, issued)

    assert response.status_code == 200
    assert response.json["code"] == 0
    assert response.json["message"] is None
    validate(response.json, "PaymentResponse")
    payment = response.json["response"]
    assert payment["status"] == "cancelled"
    assert payment["cancel_amount"] == 0
    assert payment["cancelled_at"] == clock.now
    assert payment["cancel_history"] == []
    assert payment["paid_at"] == 0
    for kept in ("vbank_num", "vbank_name", "vbank_code", "vbank_holder", "vbank_date", "amount"):
        assert payment[kept] == before[kept]
    assert payment == store.get_payment(issued)
    assert client.get(f"/payments/{issued}", headers=auth).json["response"] == payment


def test_revoke_takes_the_token_header_as_the_other_endpoints_do(client, token, store, issued):
    response = client.delete(f"/vbanks/{issued}", headers={"X-ImpTokenHeader": token})

    assert response.status_code == 200
    assert store.get_payment(issued)["status"] == "cancelled"


def test_revoke_without_a_token_is_unauthorized(client, store, issued):
    response = client.delete(f"/vbanks/{issued}")

    assert response.status_code == 401
    assert response.json["response"] is None
    assert store.get_payment(issued)["status"] == "ready"


def test_revoke_sends_no_webhook(client, auth, store, receiver, issued):
    assert logged_statuses(store, issued) == ["ready"]

    revoke(client, auth, issued)

    assert logged_statuses(store, issued) == ["ready"]
    assert len(receiver.received) == 1


def test_an_unknown_imp_uid_is_not_found(client, auth):
    response = revoke(client, auth, "imp_000000000000")

    assert response.status_code == 404
    assert response.json == NOT_FOUND


@pytest.mark.parametrize(
    "prepare, message",
    [
        (
            lambda window, store: store.insert_payment(
                pay_method="vbank", vbank_num=VBANK_NUM, vbank_date=2_000_000_000, status="paid"
            )["imp_uid"],
            "이미 입금이 완료된 가상계좌",
        ),
        (
            lambda window, store: store.insert_payment(status="paid")["imp_uid"],
            "가상계좌 결제건이 아닙니다",
        ),
        (lambda window, store: window.opened(), "가상계좌 결제건이 아닙니다"),
        (
            lambda window, store: window.opened({"pay_method": "vbank"}),
            "발급된 가상계좌가 없습니다",
        ),
        (
            lambda window, store: store.insert_payment(pay_method="vbank", status="failed")[
                "imp_uid"
            ],
            "현재 status: failed",
        ),
    ],
    ids=["vbank-paid", "card-paid", "card-undecided", "vbank-not-issued", "vbank-failed"],
)
def test_revoke_refuses_anything_but_a_waiting_account(
    client, auth, window, store, prepare, message
):
    imp_uid = prepare(window, store)
    before = store.get_payment(imp_uid)

    response = revoke(client, auth, imp_uid)

    assert_portone_refusal(response, status=400, message_part=message)
    assert store.get_payment(imp_uid) == before


def test_a_deposited_account_is_refused_after_a_console_deposit(client, auth, store, issued):
    client.post(f"/dashboard/payments/{issued}/deposit")

    response = revoke(client, auth, issued)

    assert_portone_refusal(response, status=400, message_part="이미 입금이 완료된 가상계좌")
    assert store.get_payment(issued)["status"] == "paid"


def test_a_second_revoke_is_refused(client, auth, store, clock, issued):
    first = revoke(client, auth, issued).json["response"]
    clock.advance(60)

    response = revoke(client, auth, issued)

    assert_portone_refusal(response, status=400, message_part="이미 발급취소된 가상계좌")
    assert store.get_payment(issued) == first


def test_a_revoked_account_is_no_payment_to_cancel(client, auth, store, issued):
    revoked = revoke(client, auth, issued).json["response"]
    refund = {"refund_holder": "홍길동", "refund_bank": "088", "refund_account": "110123456789"}

    by_imp_uid = client.post("/payments/cancel", json={"imp_uid": issued, **refund}, headers=auth)
    by_order = client.post("/payments/cancel", json={"merchant_uid": "order-1"}, headers=auth)

    for response in (by_imp_uid, by_order):
        assert response.status_code == 200
        assert response.json["code"] == 1
        assert response.json["message"] == "결제가 완료되지 않은 결제건은 취소할 수 없습니다."
    assert store.get_payment(issued) == revoked


def test_a_cancel_by_order_skips_a_newer_revoked_account(client, auth, store, clock):
    card = store.insert_payment(merchant_uid="order-9", status="paid", amount=5000)
    clock.advance(60)
    store.insert_payment(
        merchant_uid="order-9",
        pay_method="vbank",
        vbank_num=VBANK_NUM,
        status="cancelled",
        cancel_amount=0,
        cancel_history=[],
        cancelled_at=clock.now,
    )

    response = client.post("/payments/cancel", json={"merchant_uid": "order-9"}, headers=auth)

    assert response.json["code"] == 0
    assert response.json["response"]["imp_uid"] == card["imp_uid"]
    assert response.json["response"]["cancel_amount"] == 5000


def test_a_revoked_account_is_listed_as_cancelled(client, auth, clock, issued):
    revoke(client, auth, issued)

    response = client.get("/payments/status/cancelled", headers=auth)

    assert [payment["imp_uid"] for payment in response.json["response"]["list"]] == [issued]


# The console


def test_the_console_offers_revoking_a_waiting_account_only(client, window, issued):
    paid = window.opened({"merchant_uid": "order-2"})
    window.decide(paid, "approve")

    waiting_page = page_of(client.get(f"/dashboard/payments/{issued}"))
    paid_page = page_of(client.get(f"/dashboard/payments/{paid}"))

    assert f'action="/dashboard/payments/{issued}/revoke"' in waiting_page
    assert "발급 취소" in waiting_page
    assert "/revoke" not in paid_page


def test_the_console_revokes_as_the_api_does(client, store, clock, receiver, issued):
    assert logged_statuses(store, issued) == ["ready"]
    clock.advance(60)

    response = client.post(f"/dashboard/payments/{issued}/revoke")

    payment = store.get_payment(issued)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/dashboard/payments/{issued}?done=revoked"
    assert payment["status"] == "cancelled"
    assert payment["cancel_amount"] == 0
    assert payment["cancelled_at"] == clock.now
    assert payment["vbank_num"]
    assert logged_statuses(store, issued) == ["ready"]
    page = page_of(client.get(response.headers["Location"]))
    assert "가상계좌 발급을 취소했습니다" in page
    assert "가상계좌 발급취소" in page  # the history
    assert ">발급취소</span>" in page  # the status, not 부분취소
    assert "부분취소" not in page
    assert "취소하기" not in page  # nothing was paid, so nothing to refund
    assert "/revoke" not in page


def test_a_console_revoke_of_a_card_payment_is_refused(client, window, store):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")

    response = client.post(f"/dashboard/payments/{imp_uid}/revoke")

    assert response.status_code == 409
    assert "가상계좌 결제건이 아닙니다" in page_of(response)
    assert store.get_payment(imp_uid)["status"] == "paid"


@pytest.mark.parametrize("how", ["api", "console"])
def test_a_revoked_account_takes_no_deposit(client, auth, store, receiver, issued, how):
    if how == "api":
        revoke(client, auth, issued)
    else:
        client.post(f"/dashboard/payments/{issued}/revoke")
    revoked = store.get_payment(issued)

    deposit = client.post(f"/dashboard/payments/{issued}/deposit")
    expire = client.post(f"/dashboard/payments/{issued}/expire")

    assert deposit.status_code == expire.status_code == 409
    assert "발급취소된 가상계좌입니다" in page_of(deposit)
    assert store.get_payment(issued) == revoked
    assert logged_statuses(store, issued) == ["ready"]


def test_the_console_sends_no_webhook_again_for_a_revoked_account(client, auth, store, issued):
    revoke(client, auth, issued)

    response = client.post(f"/dashboard/payments/{issued}/webhook")

    assert response.status_code == 409
    assert "발급취소에는 웹훅을 보내지 않습니다" in page_of(response)
