"""What the sandbox refuses so that nobody can use it against the merchant or anyone else:
server-side posts outside the merchant's site (SSRF), its console without the password when one
is set, hostile JSON; and the headers it sends with every answer."""

import json
from base64 import b64encode

import pytest
from werkzeug.security import generate_password_hash

from iamport_sandbox import webhooks

MERCHANT = "http://shop.test"
FOREIGN = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:5432/",
    "http://shop.test.evil.example/hook",
    "http://shop.test@evil.example/hook",
    "https://shop.test/hook",  # another scheme is another origin
    "file:///etc/passwd",
    ["http://shop.test/hook", "http://evil.example/hook"],  # a list, one of them foreign
]


@pytest.fixture
def merchant_site(app):
    app.config["SANDBOX_MERCHANT_ORIGINS"] = MERCHANT
    return app


def csp(response) -> dict[str, list[str]]:
    parts = (part.split() for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in parts}


@pytest.mark.parametrize("field", ["notice_url", "confirm_url"])
@pytest.mark.parametrize("url", FOREIGN, ids=str)
def test_the_window_refuses_a_server_side_url_outside_the_merchants_site(
    merchant_site, window, store, field, url
):
    rsp, _ = window.posted_message(window.open({field: url}))
    assert (rsp["success"], rsp["imp_uid"], rsp["error_code"]) == (False, None, "F0015")
    assert MERCHANT in rsp["error_msg"]
    assert store.recent_payments(10) == []


def test_the_merchants_own_urls_open_the_window(merchant_site, window):
    params = {"notice_url": MERCHANT + "/payments/webhook", "confirm_url": MERCHANT + "/c"}
    assert window.open(params).status_code == 303


def test_without_merchant_origins_any_url_is_taken_as_portone_does(window):
    assert window.open({"notice_url": "http://elsewhere.example/hook"}).status_code == 303


def test_issuing_a_virtual_account_refuses_a_foreign_notice_url(
    merchant_site, client, auth, clock, store
):
    account = {
        "merchant_uid": "vbank-order-1",
        "amount": 25000,
        "vbank_code": "004",
        "vbank_due": clock.now + 86400,
        "vbank_holder": "데모상점",
        "notice_url": "http://169.254.169.254/",
    }
    answer = client.post("/vbanks", json=account, headers=auth)
    assert (answer.status_code, answer.json["code"]) == (200, 1)
    assert "가맹점 주소" in answer.json["message"]
    assert store.recent_payments(10) == []


def test_a_foreign_notice_url_stored_earlier_is_never_posted_to(app, window, store):
    imp_uid = window.opened({"notice_url": "http://169.254.169.254/"})
    app.config["SANDBOX_MERCHANT_ORIGINS"] = MERCHANT
    with app.app_context():
        webhooks.resend(store.get_payment(imp_uid))
    assert [d["outcome"] for d in webhooks.deliveries(store, imp_uid)] == ["no_url"]


@pytest.fixture
def locked(app):
    app.config["SANDBOX_CONSOLE_PASSWORD_HASH"] = generate_password_hash("console-pw")
    return app


def basic(password: str) -> dict:
    return {"Authorization": "Basic " + b64encode(f"tester:{password}".encode()).decode()}


@pytest.mark.parametrize("path", ["/", "/dashboard/webhooks", "/dashboard/switches", "/mailbox"])
def test_a_console_password_locks_every_console_page(locked, client, path):
    refused = client.get(path)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Basic ")
    assert client.get(path, headers=basic("wrong")).status_code == 401
    assert client.get(path, headers=basic("console-pw")).status_code == 200


def test_the_consoles_actions_need_the_password_too(locked, client, store, window):
    imp_uid = window.opened()
    assert client.post("/dashboard/reset", data={"confirm": "1"}).status_code == 401
    assert client.post(f"/dashboard/payments/{imp_uid}/cancel").status_code == 401
    assert store.get_payment(imp_uid) is not None


def test_the_window_and_the_api_need_no_console_password(locked, client, window):
    assert window.open().status_code == 303
    with client.get("/iamport.payment.js") as script:
        assert script.status_code == 200
    token = client.post(
        "/users/getToken", json={"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}
    )
    assert token.status_code == 200


# Hosts and origins


@pytest.mark.parametrize("path", ["/mailbox", "/dashboard/webhooks", "/payments/imp_1"])
def test_a_request_for_a_host_it_was_not_told_about_gets_nothing(client, path):
    refused = client.get(path, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "SANDBOX_ALLOWED_HOSTS" in refused.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "[::1]:8000", "shop.test"])
def test_loopback_and_the_merchants_host_are_answered(merchant_site, client, host):
    assert client.get("/mailbox", headers={"Host": host}).status_code == 200


def test_more_hosts_are_answered_when_listed(app, client):
    app.config["SANDBOX_ALLOWED_HOSTS"] = "sandbox.example.com, pay.example.com"
    assert client.get("/mailbox", headers={"Host": "sandbox.example.com"}).status_code == 200
    assert client.get("/mailbox", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "sent",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
        {"Origin": "http://localhost.evil.example", "Referer": "http://localhost/"},
    ],
)
def test_a_console_post_from_another_site_is_refused(locked, client, store, window, sent):
    imp_uid = window.opened()
    headers = basic("console-pw") | sent
    answer = client.post(f"/dashboard/payments/{imp_uid}/cancel", headers=headers)
    assert answer.status_code == 403
    assert store.get_payment(imp_uid)["status"] == "ready"


@pytest.mark.parametrize(
    "sent", [{"Origin": "http://localhost"}, {"Referer": "http://localhost/"}, {}]
)
def test_a_console_post_from_its_own_pages_or_a_tool_goes_through(locked, client, sent):
    headers = basic("console-pw") | sent
    answer = client.post("/dashboard/switches/clear", headers=headers)
    assert answer.status_code in (200, 302, 303)


# Headers


def test_the_window_may_be_framed_by_the_merchants_pages_only(merchant_site, client, window):
    page = client.get(window.open().headers["Location"])
    policy = csp(page)
    assert policy["frame-ancestors"] == ["'self'", MERCHANT]
    assert policy["form-action"] == ["'self'", MERCHANT]
    assert policy["style-src"] == ["'self'"]
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_a_standalone_window_may_be_framed_by_any_merchant(client, window):
    page = client.get(window.open().headers["Location"])
    assert "frame-ancestors" not in csp(page)
    assert "form-action" not in csp(page)  # its result goes to any m_redirect_url
    assert "X-Frame-Options" not in page.headers


def test_the_result_pages_script_carries_the_nonce_of_its_policy(client, window):
    imp_uid = window.opened()
    result = window.decide(imp_uid, "approve")
    nonce = csp(result)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    assert f'<script nonce="{nonce}">' in result.get_data(as_text=True)
    assert window.posted_message(result)[0]["status"] == "paid"


def test_the_console_is_framed_by_nobody(client):
    page = client.get("/")
    assert csp(page)["frame-ancestors"] == ["'none'"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_rest_answers_load_nothing(client):
    answer = client.get("/payments/imp_000000000000")
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


# Hostile JSON and text


@pytest.mark.parametrize(
    "body",
    [
        '{"imp_key": "\\ud800", "imp_secret": "sandbox_secret"}',
        '{"imp_key": ' * 2000 + '"k"' + "}" * 2000,
        '{"imp_key": NaN, "imp_secret": "x"}',
        '{"imp_key": "sandbox_key\\u0000", "imp_secret": "sandbox_secret"}',
    ],
    ids=["surrogate", "deep", "nan", "nul"],
)
def test_json_no_database_can_store_is_a_malformed_request(client, body):
    answer = client.post("/users/getToken", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json["code"] == -1


def test_window_parameters_no_database_can_store_open_no_window(window, store):
    form = {"merchant_code": "imp00000000", "params": '{"merchant_uid": "\\ud800", "amount": 1}'}
    form |= {"mode": "iframe", "origin": MERCHANT}
    rsp, _ = window.posted_message(window.client.post("/window", data=form))
    assert rsp["error_code"] == "F0011"  # as for parameters that are not JSON at all
    assert store.recent_payments(10) == []


def test_nul_in_a_query_or_a_form_is_a_malformed_request(client, auth):
    assert client.get("/payments/find/a%00b", headers=auth).status_code == 400
    assert client.post("/payments/prepare", data={"merchant_uid": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("amount", [2**53, 2**64, 1e300])
def test_an_amount_past_what_the_sdk_can_send_is_refused(client, auth, amount):
    body = json.dumps({"merchant_uid": "order-big", "amount": amount})
    answer = client.post(
        "/payments/prepare", data=body, content_type="application/json", headers=auth
    )
    assert answer.json["code"] != 0
    assert answer.status_code < 500
