import json
import logging

import pytest

from iamport_sandbox import switchboard, webhooks
from tests.sandbox.webhook_receiver import closed_port_url, wait_for, webhook_threads


def delivered(store, imp_uid, count=1):
    """The log of a payment once it holds `count` attempts."""

    def enough():
        found = webhooks.deliveries(store, imp_uid)
        return found if len(found) >= count else None

    return wait_for(enough)


def assert_no_webhook(store, imp_uid):
    assert webhook_threads(imp_uid) == []
    assert webhooks.deliveries(store, imp_uid) == []


def test_approval_sends_a_paid_webhook_as_json(window, store, receiver, clock):
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    [delivery] = delivered(store, imp_uid)
    [request] = receiver.received
    assert request["path"] == "/portone/webhook"
    assert request["content_type"] == "application/json"
    assert json.loads(request["body"]) == {
        "imp_uid": imp_uid,
        "merchant_uid": "order-1",
        "status": "paid",
    }
    assert delivery["url"] == receiver.url
    assert delivery["body"] == request["body"]
    assert delivery["content_type"] == "application/json"
    assert delivery["attempt"] == 1
    assert delivery["outcome"] == "delivered"
    assert delivery["response_status"] == 200
    assert delivery["response_body"] == "OK"
    assert delivery["error"] is None
    assert delivery["sent_at"] == clock.now


def test_issued_virtual_account_sends_a_ready_webhook(window, store, receiver):
    imp_uid = window.opened({"pay_method": "vbank"})

    window.decide(imp_uid, "vbank")

    [delivery] = delivered(store, imp_uid)
    assert delivery["status"] == "ready"
    assert receiver.received[0]["fields"]["status"] == "ready"


@pytest.mark.parametrize(
    "configured, switched, content_type",
    [
        ("form", None, "application/x-www-form-urlencoded"),
        ("json", "form", "application/x-www-form-urlencoded"),
        ("form", "json", "application/json"),
    ],
)
def test_webhook_format_comes_from_the_switch_else_the_config(
    app, window, store, receiver, configured, switched, content_type
):
    app.config["SANDBOX_WEBHOOK_FORMAT"] = configured
    switchboard.set(store, "webhook_format", switched)
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    delivered(store, imp_uid)
    [request] = receiver.received
    assert request["content_type"] == content_type
    assert request["fields"] == {"imp_uid": imp_uid, "merchant_uid": "order-1", "status": "paid"}


def test_notice_url_replaces_the_configured_url(window, store, receiver):
    imp_uid = window.opened({"notice_url": receiver.base_url + "/notice"})

    window.decide(imp_uid, "approve")

    [delivery] = delivered(store, imp_uid)
    assert delivery["url"] == receiver.base_url + "/notice"
    assert [request["path"] for request in receiver.received] == ["/notice"]


def test_a_list_of_notice_urls_gets_the_webhook_at_every_url(window, store, receiver):
    urls = [receiver.base_url + "/first", receiver.base_url + "/second"]
    imp_uid = window.opened({"notice_url": urls})

    window.decide(imp_uid, "approve")

    assert [delivery["url"] for delivery in delivered(store, imp_uid, 2)] == urls
    assert sorted(request["path"] for request in receiver.received) == ["/first", "/second"]


@pytest.mark.parametrize("outcome, form", [("decline", {"reason": "limit"}), ("close", {})])
def test_a_failed_payment_sends_no_webhook(window, store, receiver, outcome, form):
    imp_uid = window.opened()

    window.decide(imp_uid, outcome, **form)

    assert_no_webhook(store, imp_uid)
    assert receiver.received == []


def test_without_any_url_nothing_is_sent_and_the_log_says_why(window, store, caplog):
    imp_uid = window.opened()

    with caplog.at_level(logging.INFO, logger="iamport_sandbox.webhooks"):
        window.decide(imp_uid, "approve")

    [delivery] = webhooks.deliveries(store, imp_uid)
    assert delivery["outcome"] == "no_url"
    assert delivery["url"] is None
    assert "SANDBOX_WEBHOOK_URL" in caplog.text
    assert webhook_threads(imp_uid) == []


def test_the_window_answers_without_waiting_for_the_webhook(window, store, receiver):
    receiver.released.clear()
    imp_uid = window.opened()

    response = window.decide(imp_uid, "approve")

    assert response.status_code == 200
    wait_for(lambda: receiver.received)
    assert webhooks.deliveries(store, imp_uid) == []
    receiver.released.set()
    assert delivered(store, imp_uid)[0]["outcome"] == "delivered"


def test_a_server_error_is_not_retried_by_default(window, store, receiver):
    receiver.statuses = [500]
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    [delivery] = delivered(store, imp_uid)
    wait_for(lambda: not webhook_threads(imp_uid))
    assert delivery["outcome"] == "refused"
    assert delivery["response_status"] == 500
    assert len(webhooks.deliveries(store, imp_uid)) == 1


def test_retries_redeliver_after_5xx_until_a_2xx(window, store, receiver):
    switchboard.set(store, "webhook_retries", 5)
    receiver.statuses = [500, 503, 200]
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    wait_for(lambda: not webhook_threads(imp_uid))
    log = webhooks.deliveries(store, imp_uid)
    assert [(d["attempt"], d["response_status"]) for d in log] == [(1, 500), (2, 503), (3, 200)]
    assert len(receiver.received) == 3


def test_retries_stop_after_the_allowed_number(window, store, receiver):
    switchboard.set(store, "webhook_retries", 5)
    receiver.statuses = [502] * 10
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    wait_for(lambda: not webhook_threads(imp_uid))
    assert [d["attempt"] for d in webhooks.deliveries(store, imp_uid)] == [1, 2, 3, 4, 5, 6]


def test_a_client_error_answer_is_not_retried(window, store, receiver):
    switchboard.set(store, "webhook_retries", 3)
    receiver.statuses = [400]
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    wait_for(lambda: not webhook_threads(imp_uid))
    assert [d["response_status"] for d in webhooks.deliveries(store, imp_uid)] == [400]


def test_a_network_error_is_logged_and_retried(app, window, store):
    app.config.update(SANDBOX_WEBHOOK_URL=closed_port_url(), SANDBOX_WEBHOOK_RETRY_INTERVAL=0.05)
    switchboard.set(store, "webhook_retries", 1)
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    wait_for(lambda: not webhook_threads(imp_uid))
    log = webhooks.deliveries(store, imp_uid)
    assert [d["attempt"] for d in log] == [1, 2]
    assert all(d["outcome"] == "error" and d["response_status"] is None for d in log)
    assert "ConnectionError" in log[0]["error"]


def test_the_log_keeps_only_the_start_of_a_long_answer(window, store, receiver):
    receiver.answer_body = "가" * 2000
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    assert delivered(store, imp_uid)[0]["response_body"] == "가" * 500


def test_notify_works_in_an_app_context_and_carries_the_cancellation_id(app, store, receiver):
    payment = store.insert_payment(merchant_uid="order-9", status="cancelled")

    with app.app_context():
        webhooks.notify(payment, "cancelled", "sandbox_cancel_1")

    delivered(store, payment["imp_uid"])
    assert receiver.received[0]["fields"] == {
        "imp_uid": payment["imp_uid"],
        "merchant_uid": "order-9",
        "status": "cancelled",
        "cancellation_id": "sandbox_cancel_1",
    }


def test_the_log_can_be_read_for_one_payment_or_all(window, store, receiver):
    first, second = window.opened(), window.opened({"merchant_uid": "order-2"})

    window.decide(first, "approve")
    window.decide(second, "approve")

    assert delivered(store, second)[0]["merchant_uid"] == "order-2"
    delivered(store, first)
    assert {d["imp_uid"] for d in webhooks.deliveries(store)} == {first, second}
