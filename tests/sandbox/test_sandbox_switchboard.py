import time

import pytest
import requests

from iamport_sandbox import switchboard, webhooks
from tests.live_server import serving
from tests.sandbox.webhook_receiver import wait_for, webhook_threads

CREDENTIALS = {"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}


def test_every_switch_is_off_until_set(store):
    board = switchboard.board(store)

    assert board == {name: switch.default for name, switch in switchboard.SWITCHES.items()}
    assert all(switch.description for switch in switchboard.SWITCHES.values())


def test_a_set_switch_is_seen_through_another_store_on_the_same_file(store):
    switchboard.set(store, "api_latency_ms", 250)
    switchboard.set(store, "webhook_drop", True)

    again = type(store)(store.path)
    assert switchboard.get(again, "api_latency_ms") == 250
    assert switchboard.get(again, "webhook_drop") is True


def test_clear_turns_every_switch_off(store):
    switchboard.set(store, "api_fail_next", 3)
    switchboard.set(store, "webhook_format", "form")

    switchboard.clear(store)

    assert store.switches() == {}


@pytest.mark.parametrize(
    "name, value",
    [
        ("api_hang_seconds", 121),
        ("api_latency_ms", -1),
        ("webhook_retries", 6),
        ("webhook_retries", "2"),
        ("webhook_drop", 1),
        ("api_fail_status", "502"),
        ("window_reported_amount", 1.5),
    ],
)
def test_a_value_a_switch_cannot_take_is_refused(store, name, value):
    with pytest.raises(ValueError):
        switchboard.set(store, name, value)

    assert store.switches() == {}


def test_an_unknown_switch_is_refused(store):
    with pytest.raises(KeyError):
        switchboard.set(store, "api_explode", True)


# REST API


def test_latency_delays_every_rest_answer(client, store):
    switchboard.set(store, "api_latency_ms", 200)

    started = time.monotonic()
    response = client.post("/users/getToken", json=CREDENTIALS)

    assert time.monotonic() - started >= 0.2
    assert response.status_code == 200


def test_latency_leaves_the_payment_window_alone(window, store):
    switchboard.set(store, "api_latency_ms", 2000)

    started = time.monotonic()
    window.opened()

    assert time.monotonic() - started < 1


def test_the_next_answers_fail_with_500_in_the_envelope(client, store, auth):
    switchboard.set(store, "api_fail_next", 2)

    first = client.get("/payments/imp_000000000000", headers=auth)
    second = client.post("/users/getToken", json=CREDENTIALS)
    third = client.get("/payments/imp_000000000000", headers=auth)

    assert first.status_code == second.status_code == 500
    assert first.json["code"] == -1
    assert first.json["response"] is None
    assert first.json["message"]
    assert third.status_code == 404
    assert switchboard.get(store, "api_fail_next") == 0


def test_the_next_answer_can_be_a_503_from_the_load_balancer(client, store):
    switchboard.set(store, "api_fail_next", 1)
    switchboard.set(store, "api_fail_status", "503")

    response = client.post("/users/getToken", json=CREDENTIALS)

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert client.post("/users/getToken", json=CREDENTIALS).status_code == 200


@pytest.fixture
def served(app):
    """The sandbox app on a real socket, for clients with real timeouts."""
    with serving(app) as url:
        yield url


def test_a_hanging_answer_goes_past_the_clients_read_timeout(served, store):
    switchboard.set(store, "api_hang_seconds", 1)

    with pytest.raises(requests.ReadTimeout):
        requests.post(f"{served}/users/getToken", json=CREDENTIALS, timeout=(1, 0.3))


def test_the_next_call_with_a_valid_token_is_unauthorized_once(client, store, token, auth):
    switchboard.set(store, "api_unauthorized_once", True)

    refused = client.get("/payments/imp_000000000000", headers=auth)
    again = client.get("/payments/imp_000000000000", headers=auth)
    renewed = client.post("/users/getToken", json=CREDENTIALS).json["response"]["access_token"]
    fresh = client.get("/payments/imp_000000000000", headers={"Authorization": renewed})

    assert refused.status_code == 401
    assert refused.json == {"code": -1, "message": "Unauthorized", "response": None}
    assert again.status_code == 401  # the token was revoked, as PortOne would have done
    assert renewed != token
    assert fresh.status_code == 404
    assert switchboard.get(store, "api_unauthorized_once") is False


def test_the_one_off_401_spares_get_token_and_calls_without_a_valid_token(client, store):
    switchboard.set(store, "api_unauthorized_once", True)

    without = client.get("/payments/imp_000000000000")
    issued = client.post("/users/getToken", json=CREDENTIALS)

    assert without.status_code == 401
    assert issued.status_code == 200
    assert switchboard.get(store, "api_unauthorized_once") is True


# Webhooks


def test_a_delayed_webhook_arrives_after_the_delay(window, store, receiver):
    switchboard.set(store, "webhook_delay_seconds", 1)
    imp_uid = window.opened()

    started = time.monotonic()
    window.decide(imp_uid, "approve")
    assert receiver.received == []
    wait_for(lambda: receiver.received)

    assert time.monotonic() - started >= 1


def test_a_dropped_webhook_is_logged_and_not_sent(window, store, receiver):
    switchboard.set(store, "webhook_drop", True)
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    [delivery] = webhooks.deliveries(store, imp_uid)
    assert delivery["outcome"] == "dropped"
    assert delivery["url"] == receiver.url
    assert webhook_threads(imp_uid) == []
    assert receiver.received == []


def test_a_duplicated_webhook_is_sent_twice(window, store, receiver):
    switchboard.set(store, "webhook_duplicate", True)
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    wait_for(lambda: not webhook_threads(imp_uid))
    log = webhooks.deliveries(store, imp_uid)
    assert [d["duplicate"] for d in log] == [False, True]
    assert [d["outcome"] for d in log] == ["delivered", "delivered"]
    assert receiver.received[0]["body"] == receiver.received[1]["body"]


def test_webhook_first_delivers_before_the_window_answers(window, store, receiver):
    switchboard.set(store, "webhook_first", True)
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    assert [d["outcome"] for d in webhooks.deliveries(store, imp_uid)] == ["delivered"]
    assert len(receiver.received) == 1


def test_webhook_first_leaves_retries_to_the_background(window, store, receiver):
    switchboard.set(store, "webhook_first", True)
    switchboard.set(store, "webhook_retries", 1)
    receiver.statuses = [500]
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")
    assert [d["response_status"] for d in webhooks.deliveries(store, imp_uid)] == [500]

    wait_for(lambda: not webhook_threads(imp_uid))
    assert [d["response_status"] for d in webhooks.deliveries(store, imp_uid)] == [500, 200]


# Payment window


@pytest.mark.parametrize("mode", ["iframe", "redirect"])
def test_the_next_window_fails_with_a_pg_error(window, store, receiver, mode):
    switchboard.set(store, "window_fails_to_open", True)

    response = window.open(mode=mode)

    answer = (
        window.posted_message(response)[0] if mode == "iframe" else window.redirect_query(response)
    )
    payment = store.get_payment(answer["imp_uid"])
    assert answer["error_code"] == "F0020"
    assert "MID" in answer["error_msg"]
    assert payment["status"] == "failed"
    assert payment["fail_reason"] == answer["error_msg"]
    assert webhooks.deliveries(store, payment["imp_uid"]) == []
    assert window.open().status_code == 303


def test_the_next_approval_records_the_reported_amount_despite_prepare(client, auth, window, store):
    client.post(
        "/payments/prepare", json={"merchant_uid": "order-1", "amount": 64900}, headers=auth
    )
    switchboard.set(store, "window_reported_amount", 100)

    imp_uid = window.opened()
    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))
    following = window.opened({"merchant_uid": "order-2"})
    window.decide(following, "approve")

    assert rsp["paid_amount"] == 100
    assert store.get_payment(imp_uid)["amount"] == 100
    assert store.get_payment(following)["amount"] == 64900


def test_a_late_approval_reports_a_failure_then_turns_paid_with_a_webhook(
    window, store, receiver, clock
):
    switchboard.set(store, "window_late_approval_seconds", 1)
    imp_uid = window.opened()

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))
    failed = store.get_payment(imp_uid)
    assert webhook_threads(imp_uid) == []
    assert webhooks.deliveries(store, imp_uid) == []
    clock.advance(1)
    wait_for(lambda: receiver.received, timeout=3)

    paid = store.get_payment(imp_uid)
    assert rsp["success"] is False
    assert rsp["error_code"] == "F1010"
    assert failed["status"] == "failed"
    assert paid["status"] == "paid"
    assert paid["paid_at"] == clock.now
    assert paid["failed_at"] == failed["failed_at"]
    assert paid["fail_reason"] is None
    assert paid["apply_num"]
    assert receiver.received[0]["fields"]["status"] == "paid"
    assert switchboard.get(store, "window_late_approval_seconds") == 0
