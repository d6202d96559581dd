import json

import pytest


def test_opening_records_a_ready_payment_and_shows_the_window(window, store, clock):
    response = window.open({"custom_data": {"order_id": 7}, "buyer_tel": "010-1234-5678"})

    assert response.status_code == 303
    assert response.headers["Location"].startswith("/window/imp_")
    imp_uid = response.headers["Location"].rsplit("/", 1)[1]
    payment = store.get_payment(imp_uid)
    assert payment["status"] == "ready"
    assert payment["started_at"] == clock.now
    assert payment["merchant_uid"] == "order-1"
    assert payment["name"] == "노르딕 머그컵 외 2건"
    assert payment["amount"] == 64900
    assert payment["currency"] == "KRW"
    assert payment["pay_method"] == "card"
    assert payment["pg_provider"] == "html5_inicis"
    assert payment["channel"] == "pc"
    assert payment["buyer_name"] == "홍길동"
    assert payment["buyer_tel"] == "010-1234-5678"
    assert json.loads(payment["custom_data"]) == {"order_id": 7}


def test_opening_keeps_what_the_result_delivery_needs(window, store):
    imp_uid = window.opened({"notice_url": "http://shop.test/hook"}, mode="redirect")

    checkout = store.payment_and_checkout(imp_uid)[1]

    assert checkout["mode"] == "redirect"
    assert checkout["origin"] == window.origin
    assert checkout["m_redirect_url"] == window.return_url
    assert checkout["notice_url"] == "http://shop.test/hook"


def test_opening_without_method_or_pg_uses_portone_defaults(window, store):
    imp_uid = window.opened({"pg": None, "pay_method": None, "buyer_name": None})

    payment = store.get_payment(imp_uid)

    assert payment["pay_method"] == "card"
    assert payment["pg_provider"] == "html5_inicis"
    assert payment["buyer_name"] is None
    assert payment["custom_data"] is None


def test_pg_with_a_merchant_id_is_split_into_provider_and_id(window, store):
    imp_uid = window.opened({"pg": "kcp.T0000", "pay_method": "kakaopay"}, channel="mobile")

    payment = store.get_payment(imp_uid)

    assert payment["pg_provider"] == "kcp"
    assert payment["pg_id"] == "T0000"
    assert payment["emb_pg_provider"] == "kakaopay"
    assert payment["channel"] == "mobile"


def test_paypal_defaults_to_dollars(window, store):
    imp_uid = window.opened(
        {"pg": "paypal_v2", "pay_method": None, "amount": 12.5}, mode="redirect"
    )

    payment = store.get_payment(imp_uid)

    assert payment["currency"] == "USD"
    assert payment["pay_method"] == "paypal"
    assert payment["amount"] == 12.5


def test_an_order_whose_earlier_attempt_failed_can_be_retried(window, store):
    store.insert_payment(merchant_uid="order-1", status="failed")

    imp_uid = window.opened()

    assert store.find_payment("order-1")["imp_uid"] == imp_uid


def test_a_prepared_order_with_the_same_amount_opens(window, store):
    store.prepare("order-1", 64900, "KRW")

    assert window.open().status_code == 303


REFUSALS = {
    "already-paid": ({}, "F1002"),
    "prepared-amount-differs": ({"amount": 100}, "F1003"),
    "prepared-currency-differs": ({"currency": "USD"}, "F1003"),
    "missing-merchant-uid": ({"merchant_uid": None}, "F0011"),
    "amount-as-string": ({"amount": "64900"}, "F0012"),
    "zero-amount": ({"amount": 0}, "F0012"),
    "fractional-won": ({"amount": 649.5}, "F0012"),
    "bad-vbank-due": ({"pay_method": "vbank", "vbank_due": "next friday"}, "F0014"),
}


@pytest.fixture
def order_state(store):
    """Arranges order-1 for a refusal case: paid already, or prepared at 64,900 KRW."""

    def arrange(case):
        if case == "already-paid":
            store.insert_payment(merchant_uid="order-1", amount=64900, status="paid")
        elif case.startswith("prepared"):
            store.prepare("order-1", 64900, "KRW")

    return arrange


@pytest.mark.parametrize("case", REFUSALS)
def test_refusal_in_an_iframe_posts_a_failure_without_imp_uid(window, store, order_state, case):
    order_state(case)
    params, code = REFUSALS[case]
    before = store.recent_payments()

    rsp, origin = window.posted_message(window.open(params))

    assert origin == window.origin
    assert rsp["success"] is False
    assert rsp["imp_uid"] is None
    assert rsp["merchant_uid"] == params.get("merchant_uid", "order-1")
    assert rsp["error_code"] == code
    assert rsp["error_msg"]
    assert store.recent_payments() == before


@pytest.mark.parametrize("case", REFUSALS)
def test_refusal_in_redirect_mode_returns_to_m_redirect_url(window, store, order_state, case):
    order_state(case)
    params, code = REFUSALS[case]

    response = window.open(params, mode="redirect")
    query = window.redirect_query(response)

    assert response.headers["Location"].startswith(window.return_url + "?")
    assert "imp_uid" not in query
    assert query.get("merchant_uid") == params.get("merchant_uid", "order-1")
    assert query["imp_success"] == "false"
    assert query["error_code"] == code
    assert query["error_msg"]
    assert store.find_payment("order-1", "ready") is None


def test_already_paid_refusal_carries_portone_message(window, store):
    store.insert_payment(merchant_uid="order-1", status="paid")

    rsp, _ = window.posted_message(window.open())
    query = window.redirect_query(window.open(mode="redirect"))

    assert rsp["error_msg"] == query["error_msg"] == "이미 결제가 이루어진 거래건입니다."


@pytest.mark.parametrize("mode", ["iframe", "redirect"])
def test_unknown_merchant_code_is_refused(window, store, mode):
    response = window.open(merchant_code="imp99999999", mode=mode)

    if mode == "iframe":
        rsp, _ = window.posted_message(response)
        assert rsp["error_code"] == "F0010"
    else:
        assert window.redirect_query(response)["error_code"] == "F0010"
    assert store.find_payment("order-1") is None


@pytest.mark.parametrize("m_redirect_url", [None, "/payments/return", "javascript:alert(1)"])
def test_redirect_mode_without_a_usable_m_redirect_url_shows_the_refusal(window, m_redirect_url):
    response = window.open({"m_redirect_url": m_redirect_url}, mode="redirect")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "F0013" in page
    assert "postMessage" not in page
