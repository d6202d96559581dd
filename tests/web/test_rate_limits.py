"""Rate limits per address on what a script could hammer to make the shop call PortOne (or
hold stock): each set low here through its setting. A 429 answers JSON to JSON requests and
the error page to browsers."""

import pytest

from shop.core.setting_parsers import ConfigError
from shop.core.settings import RATE_LIMITS
from shop.web.errors import MESSAGES
from tests.conftest import checked, make_app, shop_app
from tests.payments.test_webhooks import live_shop, webhook_from

LOW = dict.fromkeys(RATE_LIMITS, "2 per minute")


@pytest.fixture
def app(tmp_path):
    yield from checked(make_app(tmp_path, **LOW))


def third(send):
    """The answer to the third of three requests, after two that were let through."""
    answers = [send() for _ in range(3)]
    assert [answer.status_code != 429 for answer in answers[:2]] == [True, True]
    return answers[2]


def assert_json_429(answer):
    assert answer.status_code == 429
    assert answer.json == {"status": "error", "message": MESSAGES[429]}


def assert_page_429(answer):
    assert answer.status_code == 429
    assert answer.mimetype == "text/html"
    assert MESSAGES[429] in answer.get_data(as_text=True)


def test_the_pc_callback_is_limited(client, shopper):
    token = shopper.csrf_token()
    assert_json_429(third(lambda: shopper.complete("imp_123456789012", "ord_x", token)))


def test_the_mobile_return_is_limited(client):
    url = "/payments/complete/mobile?imp_uid=imp_123456789012&merchant_uid=ord_x"
    assert_page_429(third(lambda: client.get(url)))


def test_placing_orders_is_limited_but_the_checkout_page_is_not(client, shopper):
    shopper.add_to_cart(1)
    token = shopper.csrf_token()
    assert_page_429(third(lambda: client.post("/checkout", data={"csrf_token": token})))
    assert client.get("/checkout").status_code == 200


def test_cancelling_is_limited(client, shopper):
    merchant_uid = shopper.buy()
    token = shopper.csrf_token()
    url = f"/orders/{merchant_uid}/cancel"
    assert_page_429(third(lambda: client.post(url, data={"csrf_token": token})))


def test_the_order_status_is_limited(client, shopper):
    merchant_uid = shopper.buy()
    url = f"/orders/{merchant_uid}/status"
    assert_json_429(third(lambda: client.get(url, headers={"Accept": "application/json"})))


@pytest.mark.parametrize("url", ["/payments/webhook", "/payments/confirm"])
def test_portones_calls_are_limited_per_address(client, url):
    body = {"imp_uid": "imp_123456789012", "merchant_uid": "ord_x"}
    assert_json_429(third(lambda: client.post(url, json=body)))


def test_portones_own_addresses_are_never_limited(tmp_path):
    app = live_shop(tmp_path, RATELIMIT_PORTONE="2 per minute")
    answers = [webhook_from(app, "52.78.100.19").status_code for _ in range(5)]
    assert answers == [503] * 5  # let through every time; PortOne is cut off in this test
    assert webhook_from(app, "203.0.113.9").status_code == 403  # not listed: refused anyway


def test_ratelimit_enabled_0_turns_every_limit_off(tmp_path):
    app = make_app(tmp_path, **LOW, RATELIMIT_ENABLED="0")
    client = app.test_client()
    url = "/payments/complete/mobile?imp_uid=imp_123456789012&merchant_uid=ord_x"
    assert 429 not in [client.get(url).status_code for _ in range(5)]


def test_a_limit_that_cannot_be_read_is_refused_at_start(tmp_path):
    with pytest.raises(ConfigError, match="RATELIMIT_CHECKOUT"):
        shop_app(tmp_path, RATELIMIT_CHECKOUT="ten a minute")
