"""PortOne's confirm process: confirm_url is asked right before an approval or an issued account."""

import json
import threading

import pytest
from flask import Flask, Response, request

from iamport_sandbox import confirm, switchboard, webhooks
from shop.web.wsgi_transport import WSGIAdapter
from tests.helpers import page_of
from tests.sandbox.webhook_receiver import closed_port_url

CONFIRM_URL = "http://merchant.test/payments/confirm"
REFUSED_PREFIX = "고객사 요청에 의해 결제를 중단합니다. (상세사유 : "
DEFAULT_REASON = REFUSED_PREFIX + "알 수 없음)"


class Merchant:
    """The shop's confirm endpoint: a Flask app the sandbox reaches through its outgoing
    session, as a shop mounted in the same process is reached. Answers are (status, body) in
    order, 200 with no body once they run out; a dict body goes out as JSON."""

    def __init__(self, store) -> None:
        self.calls: list[dict] = []
        self.answers: list[tuple[int, object]] = []
        self.released = threading.Event()  # clear() holds every answer until set()
        self.released.set()
        self.redirects_followed = 0
        app = Flask(__name__)

        @app.post("/payments/confirm")
        def answer():
            body = request.get_json(silent=True)
            self.calls.append(
                {
                    "body": body,
                    "content_type": request.content_type,
                    # What the sandbox had recorded when it asked: nothing decided yet.
                    "status_then": store.get_payment(body["imp_uid"])["status"],
                }
            )
            self.released.wait(timeout=5)
            status, content = self.answers.pop(0) if self.answers else (200, "")
            if isinstance(content, dict):
                return Response(json.dumps(content), status, content_type="application/json")
            return Response(content, status, content_type="text/html")

        @app.route("/elsewhere", methods=["GET", "POST"])
        def elsewhere():
            self.redirects_followed += 1
            return ""

        self.app = app


@pytest.fixture
def merchant(app, store):
    merchant = Merchant(store)
    app.extensions["webhook_session"].mount("http://merchant.test/", WSGIAdapter(merchant.app))
    yield merchant
    merchant.released.set()


def with_confirm(params=None, url=CONFIRM_URL) -> dict:
    return {"confirm_url": url} | (params or {})


def assert_stopped(store, imp_uid, rsp, reason_text, clock):
    """The payment failed the way a declined card fails, with the confirm's code and text."""
    payment = store.get_payment(imp_uid)
    assert rsp["success"] is False
    assert rsp["status"] == payment["status"] == "failed"
    assert rsp["error_code"] == "F1011"
    assert rsp["error_msg"] == payment["fail_reason"] == reason_text
    assert payment["failed_at"] == clock.now
    assert payment["paid_at"] == 0
    assert payment["pg_tid"] is None
    assert webhooks.deliveries(store, imp_uid) == []  # a failure sends no webhook


def test_an_answer_200_lets_the_approval_through(window, store, merchant):
    imp_uid = window.opened(with_confirm())

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert rsp["success"] is True
    assert store.get_payment(imp_uid)["status"] == "paid"
    [call] = merchant.calls
    assert call["body"] == {"imp_uid": imp_uid, "merchant_uid": "order-1", "amount": 64900}
    assert call["content_type"] == "application/json"
    assert call["status_then"] == "ready"


@pytest.mark.parametrize("pay_method", ["trans", "phone", "kakaopay", "paypal"])
def test_every_pay_method_is_confirmed_before_its_approval(window, store, merchant, pay_method):
    imp_uid = window.opened(with_confirm({"pay_method": pay_method, "currency": "KRW"}))
    merchant.answers.append((403, {"reason": "판매 중지"}))

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert rsp["success"] is False
    assert store.get_payment(imp_uid)["fail_reason"] == REFUSED_PREFIX + "판매 중지)"
    assert len(merchant.calls) == 1


def test_a_refusal_with_a_reason_fails_the_payment_with_that_reason(window, store, clock, merchant):
    imp_uid = window.opened(with_confirm())
    merchant.answers.append((409, {"reason": "재고가 부족합니다"}))
    clock.advance(30)

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert_stopped(store, imp_uid, rsp, REFUSED_PREFIX + "재고가 부족합니다)", clock)


def test_a_refusal_reaches_a_redirect_as_a_failure(window, store, merchant):
    imp_uid = window.opened(with_confirm(), mode="redirect")
    merchant.answers.append((409, {"reason": "재고가 부족합니다"}))

    query = window.redirect_query(window.decide(imp_uid, "approve"))

    assert query["imp_success"] == "false"
    assert query["error_code"] == "F1011"
    assert query["error_msg"] == REFUSED_PREFIX + "재고가 부족합니다)"


@pytest.mark.parametrize(
    "status, body",
    [
        (500, ""),
        (400, {"reason": 42}),
        (409, {"reason": "   "}),
        (404, "<html><body>Not Found</body></html>"),
        (201, {"reason": "201은 200이 아닙니다"}),  # only 200 lets it through; a reason of any
        (204, ""),  # answer but 200 is the merchant's
    ],
    ids=["500-empty", "reason-not-text", "reason-blank", "404-html", "201", "204"],
)
def test_any_other_answer_fails_the_payment(window, store, clock, merchant, status, body):
    imp_uid = window.opened(with_confirm())
    merchant.answers.append((status, body))

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    expected = REFUSED_PREFIX + "201은 200이 아닙니다)" if status == 201 else DEFAULT_REASON
    assert_stopped(store, imp_uid, rsp, expected, clock)


def test_a_redirect_is_a_refusal_and_is_not_followed(window, store, clock, merchant):
    imp_uid = window.opened(with_confirm())
    merchant.answers.append((302, ""))
    merchant.app.after_request(redirect_elsewhere)

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert_stopped(store, imp_uid, rsp, DEFAULT_REASON, clock)
    assert merchant.redirects_followed == 0


def redirect_elsewhere(response):
    if response.status_code == 302:
        response.headers["Location"] = "http://merchant.test/elsewhere"
    return response


def test_a_long_reason_is_cut_at_200_characters(window, store, merchant):
    imp_uid = window.opened(with_confirm())
    merchant.answers.append((409, {"reason": "가" * 250}))

    window.decide(imp_uid, "approve")

    assert store.get_payment(imp_uid)["fail_reason"] == REFUSED_PREFIX + "가" * 200 + ")"


def test_no_server_at_confirm_url_fails_the_payment(window, store, clock, app):
    imp_uid = window.opened(with_confirm(url=closed_port_url()))

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert_stopped(store, imp_uid, rsp, DEFAULT_REASON, clock)


def test_no_answer_in_time_fails_the_payment(window, store, clock, merchant, monkeypatch):
    monkeypatch.setattr(confirm, "TIMEOUT", 0.2)
    merchant.released.clear()
    imp_uid = window.opened(with_confirm())

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert_stopped(store, imp_uid, rsp, DEFAULT_REASON, clock)
    [call] = store.payment_and_checkout(imp_uid)[1]["confirm_calls"]
    assert call["status"] is None
    assert call["error"].startswith("ReadTimeout")


def test_the_sandbox_asks_with_a_10_second_timeout(window, app, merchant, monkeypatch):
    session = app.extensions["webhook_session"]
    seen = {}
    post = session.post

    def spying_post(url, **options):
        seen.update(options)
        return post(url, **options)

    monkeypatch.setattr(session, "post", spying_post)
    imp_uid = window.opened(with_confirm())

    window.decide(imp_uid, "approve")

    assert seen["timeout"] == 10
    assert seen["allow_redirects"] is False


def test_a_virtual_account_is_confirmed_before_it_is_issued(window, store, merchant):
    imp_uid = window.opened(with_confirm({"pay_method": "vbank"}))

    rsp, _ = window.posted_message(window.decide(imp_uid, "vbank"))

    payment = store.get_payment(imp_uid)
    assert rsp["success"] is True
    assert payment["status"] == "ready"
    assert payment["vbank_num"]
    assert merchant.calls[0]["status_then"] == "ready"


def test_a_refused_virtual_account_is_never_issued(window, store, clock, merchant):
    imp_uid = window.opened(with_confirm({"pay_method": "vbank"}))
    merchant.answers.append((409, {"reason": "재고가 부족합니다"}))

    rsp, _ = window.posted_message(window.decide(imp_uid, "vbank"))

    assert_stopped(store, imp_uid, rsp, REFUSED_PREFIX + "재고가 부족합니다)", clock)
    payment = store.get_payment(imp_uid)
    assert payment["vbank_num"] is None
    assert payment["vbank_issued_at"] == 0
    assert rsp["vbank_num"] is None


def test_without_confirm_url_nobody_is_asked(window, store, merchant):
    card = window.opened()
    vbank = window.opened({"merchant_uid": "order-2", "pay_method": "vbank"})

    window.decide(card, "approve")
    window.decide(vbank, "vbank")

    assert merchant.calls == []
    assert store.get_payment(card)["status"] == "paid"
    assert store.payment_and_checkout(vbank)[1]["confirm_calls"] == []


def test_closing_the_window_asks_nobody(window, store, merchant):
    imp_uid = window.opened(with_confirm())

    window.decide(imp_uid, "close")

    assert merchant.calls == []


def test_a_decided_window_is_not_confirmed_again(window, client, merchant):
    imp_uid = window.opened(with_confirm())
    merchant.answers.append((409, {"reason": "재고가 부족합니다"}))

    window.decide(imp_uid, "approve")
    window.decide(imp_uid, "approve")
    client.get(f"/window/{imp_uid}")

    assert len(merchant.calls) == 1


def test_a_refusal_leaves_the_pg_switches_unused(window, store, merchant):
    switchboard.set(store, "window_late_approval_seconds", 5)
    switchboard.set(store, "window_reported_amount", 100)
    imp_uid = window.opened(with_confirm())
    merchant.answers.append((500, ""))

    window.decide(imp_uid, "approve")

    assert store.get_payment(imp_uid)["status"] == "failed"
    assert switchboard.get(store, "window_late_approval_seconds") == 5
    assert switchboard.get(store, "window_reported_amount") == 100


def test_the_console_shows_each_confirm_call_in_the_history(client, window, merchant):
    accepted = window.opened(with_confirm())
    refused = window.opened(with_confirm({"merchant_uid": "order-2"}))
    merchant.answers += [(200, ""), (409, {"reason": "재고가 부족합니다"})]
    window.decide(accepted, "approve")
    window.decide(refused, "approve")

    accepted_page = page_of(client.get(f"/dashboard/payments/{accepted}"))
    refused_page = page_of(client.get(f"/dashboard/payments/{refused}"))

    assert '<strong>confirm_url</strong> <span class="muted">응답 200</span>' in accepted_page
    assert CONFIRM_URL in accepted_page
    assert "거절: 응답 409 · 재고가 부족합니다" in refused_page
    assert "결제 실패" in refused_page
