import pytest
from markupsafe import escape

from iamport_sandbox import create_sandbox_app, switchboard, webhooks
from tests.helpers import page_of
from tests.sandbox.webhook_receiver import wait_for, webhook_threads


def settled(store, imp_uid):
    """The payment's webhook log once no thread is delivering for it any more."""
    wait_for(lambda: not webhook_threads(imp_uid))
    return webhooks.deliveries(store, imp_uid)


@pytest.fixture
def paid(window, store):
    """A paid payment whose paid webhook has been delivered (so later ones come after it)."""
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")
    settled(store, imp_uid)
    return imp_uid


@pytest.fixture
def issued(window):
    """A virtual account issued and waiting for the deposit."""
    imp_uid = window.opened({"pay_method": "vbank"})
    window.decide(imp_uid, "vbank")
    return imp_uid


def test_front_page_links_each_payment_to_its_page(client, paid):
    page = page_of(client.get("/"))

    assert f'href="/dashboard/payments/{paid}"' in page
    assert "신용카드" in page
    assert "2023-11-15 07:13:20" in page


def test_payment_page_shows_the_whole_payment_its_history_and_webhooks(
    client, store, receiver, paid
):
    client.post(f"/dashboard/payments/{paid}/webhook")
    settled(store, paid)

    page = page_of(client.get(f"/dashboard/payments/{paid}"))

    for field in store.get_payment(paid):
        assert f">{field}</dt>" in page
    for step in ("결제창 열림", "결제 승인"):
        assert step in page
    assert "64,900원" in page
    assert receiver.url in page
    assert page.count("성공 200") == 2
    assert "재발송</span>" in page


def test_payment_page_says_when_no_webhook_url_was_set(client, store, paid):
    page = page_of(client.get(f"/dashboard/payments/{paid}"))

    assert "URL 없음" in page


def test_unknown_payment_page_is_an_html_404(client):
    response = client.get("/dashboard/payments/imp_000000000000")

    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_deposit_pays_the_virtual_account_and_sends_a_paid_webhook(
    client, store, clock, receiver, issued
):
    settled(store, issued)
    clock.advance(3600)

    response = client.post(f"/dashboard/payments/{issued}/deposit")

    payment = store.get_payment(issued)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/dashboard/payments/{issued}?done=deposited"
    assert payment["status"] == "paid"
    assert payment["paid_at"] == clock.now
    assert payment["receipt_url"].endswith(f"/slips/{issued}")
    assert [d["status"] for d in settled(store, issued)] == ["ready", "paid"]
    assert "입금 확인" in page_of(client.get(response.headers["Location"]))
    assert "입금을 처리했습니다" in page_of(client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    "prepare, message",
    [
        (lambda window, store: window.opened(), "가상계좌가 발급된 결제건이 아닙니다"),
        (lambda window, store: window.opened({"pay_method": "vbank"}), "가상계좌가 발급된"),
        (
            lambda window, store: store.insert_payment(
                pay_method="vbank", vbank_num="56211111111111", vbank_date=1, status="paid"
            )["imp_uid"],
            "입금을 기다리는 가상계좌가 아닙니다",
        ),
        (
            lambda window, store: store.insert_payment(
                pay_method="vbank", vbank_num="56211111111111", vbank_date=1
            )["imp_uid"],
            "입금기한이 이미 지난",
        ),
    ],
    ids=["card", "vbank-not-issued", "already-paid", "past-due"],
)
def test_a_deposit_that_makes_no_sense_is_refused(client, window, store, prepare, message):
    imp_uid = prepare(window, store)
    before = store.get_payment(imp_uid)

    response = client.post(f"/dashboard/payments/{imp_uid}/deposit")

    assert response.status_code == 409
    assert message in page_of(response)
    assert store.get_payment(imp_uid) == before
    assert webhook_threads(imp_uid) == []


def test_an_expired_account_stays_ready_and_takes_no_deposit(client, store, clock, issued):
    expired = client.post(f"/dashboard/payments/{issued}/expire")
    clock.advance(1)
    deposit = client.post(f"/dashboard/payments/{issued}/deposit")
    again = client.post(f"/dashboard/payments/{issued}/expire")

    payment = store.get_payment(issued)
    assert expired.status_code == 303
    assert payment["status"] == "ready"
    assert payment["vbank_date"] == clock.now - 1
    assert deposit.status_code == again.status_code == 409
    assert "입금기한이 이미 지난" in page_of(deposit)
    assert [d["status"] for d in settled(store, issued)] == ["ready"]


def test_a_console_partial_cancel_sends_the_cancelled_webhook(client, store, receiver, paid):
    response = client.post(
        f"/dashboard/payments/{paid}/cancel", data={"amount": "10,000", "reason": "파손"}
    )

    payment = store.get_payment(paid)
    [cancellation] = payment["cancel_history"]
    assert response.status_code == 303
    assert payment["status"] == "cancelled"
    assert payment["cancel_amount"] == 10000
    assert cancellation["reason"] == "파손"
    assert [d["status"] for d in settled(store, paid)] == ["paid", "cancelled"]
    assert receiver.received[-1]["fields"] == {
        "imp_uid": paid,
        "merchant_uid": "order-1",
        "status": "cancelled",
        "cancellation_id": cancellation["cancellation_id"],
    }
    page = page_of(client.get(response.headers["Location"]))
    assert "부분취소" in page
    assert "54,900원" in page
    assert "파손" in page


def test_a_console_cancel_without_an_amount_cancels_what_is_left(client, store, paid):
    client.post(f"/dashboard/payments/{paid}/cancel", data={"amount": "4900"})

    client.post(f"/dashboard/payments/{paid}/cancel", data={"amount": ""})

    payment = store.get_payment(paid)
    assert payment["cancel_amount"] == payment["amount"] == 64900
    assert [entry["amount"] for entry in payment["cancel_history"]] == [4900, 60000]
    assert [entry["reason"] for entry in payment["cancel_history"]] == ["관리자 콘솔 취소"] * 2


def test_a_paid_virtual_account_is_cancelled_with_a_refund_account(client, store, issued):
    client.post(f"/dashboard/payments/{issued}/deposit")
    refund = {"refund_holder": "홍길동", "refund_bank": "088", "refund_account": "110123456789"}

    response = client.post(f"/dashboard/payments/{issued}/cancel", data=refund)

    assert response.status_code == 303
    assert store.get_payment(issued)["status"] == "cancelled"


@pytest.mark.parametrize(
    "amount, message",
    [
        ("70000", "requested cancel amount is bigger than cancelable amount"),
        ("열 장", "취소 금액은 0보다 큰 숫자로"),
        ("0", "취소 금액은 0보다 큰 숫자로"),
    ],
)
def test_a_cancel_that_makes_no_sense_is_refused(client, store, paid, amount, message):
    response = client.post(f"/dashboard/payments/{paid}/cancel", data={"amount": amount})

    assert response.status_code == 409
    assert message in page_of(response)
    assert store.get_payment(paid)["cancel_amount"] == 0


def test_cancelling_a_failed_payment_is_refused(client, window, store):
    imp_uid = window.opened()
    window.decide(imp_uid, "close")

    response = client.post(f"/dashboard/payments/{imp_uid}/cancel", data={"amount": ""})

    assert response.status_code == 409
    assert store.get_payment(imp_uid)["status"] == "failed"


def test_resend_sends_the_current_status_with_the_last_cancellation(client, store, receiver, paid):
    client.post(f"/dashboard/payments/{paid}/cancel", data={"amount": "900"})
    settled(store, paid)

    response = client.post(f"/dashboard/payments/{paid}/webhook")

    assert response.headers["Location"] == f"/dashboard/payments/{paid}?done=resent"
    _, cancelled, resent = settled(store, paid)
    assert (cancelled["resend"], resent["resend"]) == (False, True)
    assert resent["body"] == cancelled["body"]
    assert "cancellation_id" in receiver.received[-1]["fields"]


@pytest.mark.parametrize("outcome", ["close", None])
def test_resend_is_refused_when_portone_would_have_nothing_to_send(
    client, window, store, receiver, outcome
):
    imp_uid = window.opened()
    if outcome:
        window.decide(imp_uid, outcome)

    response = client.post(f"/dashboard/payments/{imp_uid}/webhook")

    assert response.status_code == 409
    assert webhooks.deliveries(store, imp_uid) == []


def test_webhook_log_lists_every_delivery_newest_first(client, store, window, receiver):
    first, second = window.opened(), window.opened({"merchant_uid": "order-2"})
    window.decide(first, "approve")
    settled(store, first)
    window.decide(second, "approve")
    settled(store, second)

    page = page_of(client.get("/dashboard/webhooks"))

    assert page.index(second) < page.index(first)
    assert receiver.url in page
    assert escape(webhooks.deliveries(store, first)[0]["body"]) in page
    assert "성공 200" in page


def test_switchboard_page_shows_every_switch_with_its_description(client):
    page = page_of(client.get("/dashboard/switches"))

    for name, switch in switchboard.SWITCHES.items():
        assert f'name="{name}"' in page
        assert escape(switch.description) in page


def test_switchboard_form_sets_the_switches(client, store):
    form = {"api_latency_ms": "1,500", "webhook_drop": "on", "webhook_format": "form"}

    response = client.post("/dashboard/switches", data=form)

    assert response.status_code == 303
    assert store.switches() == {
        "api_latency_ms": 1500,
        "webhook_drop": True,
        "webhook_format": "form",
    }
    assert "켜진 스위치" in page_of(client.get("/"))


def test_switchboard_form_with_a_bad_value_changes_nothing(client, store):
    switchboard.set(store, "webhook_duplicate", True)

    response = client.post(
        "/dashboard/switches", data={"api_hang_seconds": "999", "webhook_retries": "two"}
    )

    assert response.status_code == 400
    assert "0에서 120 사이의 정수를 입력하세요" in page_of(response)
    assert "정수를 입력하세요" in page_of(response)
    assert store.switches() == {"webhook_duplicate": True}


def test_all_switches_can_be_turned_off_at_once(client, store):
    switchboard.set(store, "api_fail_next", 5)

    client.post("/dashboard/switches/clear")

    assert store.switches() == {}


def test_reset_forgets_everything(client, store, auth, paid):
    client.post("/payments/prepare", json={"merchant_uid": "o-2", "amount": 1000}, headers=auth)
    switchboard.set(store, "webhook_retries", 2)

    response = client.post("/dashboard/reset", data={"confirm": "yes"})

    assert response.headers["Location"] == "/?done=reset"
    assert store.get_payment(paid) is None
    assert store.prepared("o-2") is None
    assert webhooks.deliveries(store) == []
    assert store.switches() == {}
    assert client.get("/payments/imp_000000000000", headers=auth).status_code == 401
    assert "아직 결제가 없습니다" in page_of(client.get("/"))


def test_reset_needs_the_confirmation(client, store, paid):
    response = client.post("/dashboard/reset")

    assert response.status_code == 400
    assert "확인란" in page_of(response)
    assert store.get_payment(paid)


def test_a_restarted_sandbox_keeps_payments_deliveries_and_switches(app, store, paid):
    switchboard.set(store, "webhook_retries", 3)
    imp_uid_log = webhooks.deliveries(store, paid)

    restarted = create_sandbox_app({"SANDBOX_DATABASE": app.config["SANDBOX_DATABASE"]})
    again = restarted.extensions["sandbox"]
    page = page_of(restarted.test_client().get(f"/dashboard/payments/{paid}"))

    assert again.get_payment(paid) == store.get_payment(paid)
    assert webhooks.deliveries(again, paid) == imp_uid_log != []
    assert switchboard.get(again, "webhook_retries") == 3
    assert paid in page


def test_console_forms_post_under_the_mount_point(client, paid):
    page = page_of(client.get(f"/dashboard/payments/{paid}", base_url="http://localhost/sandbox"))

    assert f'action="/sandbox/dashboard/payments/{paid}/cancel"' in page
    assert 'href="/sandbox/dashboard/webhooks"' in page
