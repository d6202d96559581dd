"""The shop against a misbehaving gateway: each sandbox switch, seen from the shop's side."""

import time

import pytest

from iamport_sandbox import switchboard
from shop.core.models import OrderStatus
from tests.conftest import order_status


@pytest.fixture
def switch(sandbox):
    def turn_on(name, value=True):
        switchboard.set(sandbox, name, value)

    return turn_on


def test_a_revoked_token_is_replaced_without_the_customer_noticing(app, shopper, switch):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    switch("api_unauthorized_once")
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"


@pytest.mark.parametrize("status", ["500", "503"])
def test_a_gateway_error_answers_pending_and_a_retry_succeeds(app, shopper, switch, status):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    switch("api_fail_status", status)
    switch("api_fail_next", 1)

    first = shopper.complete(imp_uid, merchant_uid)
    assert first.status_code == 503
    assert first.json["status"] == "pending"
    assert order_status(app, merchant_uid) == OrderStatus.PENDING

    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"


def test_a_hanging_gateway_times_out_into_the_checking_page(app, shopper, switch):
    merchant_uid = shopper.buy()
    location = shopper.pay_by_redirect(merchant_uid)
    app.extensions["portone"].timeout = (0.2, 0.3)
    switch("api_hang_seconds", 2)

    started = time.monotonic()
    page = shopper.client.get(location).get_data(as_text=True)

    assert time.monotonic() - started < 1.5  # the shop gave up; it did not wait 2 s
    assert "결제 결과를 확인하고 있습니다" in page
    assert order_status(app, merchant_uid) == OrderStatus.PENDING


def test_a_slow_gateway_still_verifies(app, shopper, switch):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    switch("api_latency_ms", 200)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"


def test_a_payment_reporting_another_amount_is_caught_after_the_fact(app, shopper, switch):
    merchant_uid = shopper.buy()  # 64,900원, prepared
    switch("window_reported_amount", 100)
    imp_uid = shopper.pay_in_window(merchant_uid)

    response = shopper.complete(imp_uid, merchant_uid)

    assert response.status_code == 422
    assert response.json["status"] == "forgery"
    assert order_status(app, merchant_uid) == OrderStatus.FORGED


def test_a_window_that_fails_to_open_leaves_the_order_payable(app, shopper, switch, sandbox):
    merchant_uid = shopper.buy()
    switch("window_fails_to_open")
    opened = shopper.open_window(merchant_uid)
    assert opened.status_code == 200  # the result comes back at once, no window is shown
    assert "F0020" in opened.get_data(as_text=True)
    failed = sandbox.find_payment(merchant_uid)
    response = shopper.complete(failed["imp_uid"], merchant_uid)
    assert response.json["status"] == "failed"
    assert "MID" in response.json["reason"]
    retried = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(retried, merchant_uid).json["status"] == "success"


def test_a_late_approval_turns_a_failed_order_paid_when_synced_again(app, shopper, switch):
    merchant_uid = shopper.buy()
    switch("window_late_approval_seconds", 1)
    location = shopper.pay_by_redirect(merchant_uid)

    assert "결제에 실패했습니다" in shopper.client.get(location).get_data(as_text=True)
    assert order_status(app, merchant_uid) == OrderStatus.FAILED

    deadline = time.monotonic() + 5
    while order_status(app, merchant_uid) != OrderStatus.PAID and time.monotonic() < deadline:
        time.sleep(0.2)
        shopper.client.get(location)  # what the customer's reload (or a webhook) would do
    assert order_status(app, merchant_uid) == OrderStatus.PAID
