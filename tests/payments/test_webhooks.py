"""POST /payments/webhook: PortOne's notifications are claims; the fetched payment decides.

The first tests let the sandbox deliver its own webhooks (the `webhooks` fixture), as PortOne
does after a deposit, a console cancel or a late approval; the rest post webhooks by hand.
"""

import sqlite3

import pytest
from sqlalchemy import select

from iamport_sandbox import switchboard
from shop import create_app
from shop.core.extensions import db
from shop.core.ledger import PaymentEvent
from shop.core.models import OrderStatus
from shop.payments import states
from tests.conftest import (
    GatewaySwitch,
    Shopper,
    events,
    make_app,
    notices,
    order_status,
    stock,
)
from tests.invariants import broken_promises


def console(shopper, imp_uid: str, action: str, **form):
    """A button of the sandbox's PG console (deposit, cancel, expire)."""
    answer = shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/{action}", data=form)
    assert answer.status_code == 303, answer.get_data(as_text=True)


def post_webhook(client, imp_uid, merchant_uid=None, status="paid", form=False, **extra):
    body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "status": status, **extra}
    body = {key: value for key, value in body.items() if value is not None}
    return client.post("/payments/webhook", **({"data": body} if form else {"json": body}))


def paid_order(shopper, product_id=1):
    merchant_uid = shopper.buy(product_id=product_id)
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid, imp_uid


def test_a_deposit_into_a_virtual_account_reaches_the_shop_by_webhook(app, shopper, webhooks):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    webhooks()
    assert order_status(app, merchant_uid) == OrderStatus.VBANK_ISSUED

    console(shopper, imp_uid, "deposit")
    webhooks()

    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert notices(app, merchant_uid) == ["vbank_issued", "deposit_received"]
    assert stock(app) == 12 - 1


def test_a_console_cancel_refunds_the_order_and_puts_the_stock_back(app, shopper, webhooks):
    merchant_uid, imp_uid = paid_order(shopper)
    assert stock(app) == 12 - 1

    console(shopper, imp_uid, "cancel")
    webhooks()

    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert stock(app) == 12
    assert notices(app, merchant_uid) == ["payment_confirmed", "refunded"]
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)
    assert "결제가 취소되었습니다" in page


def test_a_partial_console_cancel_is_a_partial_refund_until_nothing_is_left(app, shopper, webhooks):
    merchant_uid, imp_uid = paid_order(shopper)

    console(shopper, imp_uid, "cancel", amount="10000")
    webhooks()
    assert order_status(app, merchant_uid) == OrderStatus.PARTIALLY_REFUNDED
    assert stock(app) == 12 - 1

    console(shopper, imp_uid, "cancel")
    webhooks()
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert stock(app) == 12


def test_a_late_approval_turns_a_failed_order_paid(app, shopper, sandbox, webhooks):
    switchboard.set(sandbox, "window_late_approval_seconds", 1)
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "failed"
    assert order_status(app, merchant_uid) == OrderStatus.FAILED

    webhooks()  # the approval, then its webhook

    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert shopper.client.get(f"/orders/{merchant_uid}/status").json["status"] == "paid"


def test_every_pay_request_names_the_webhook_and_the_sandbox_calls_it(app, shopper, webhooks):
    merchant_uid = shopper.buy()
    assert shopper.pay_request(merchant_uid)["notice_url"] == "http://shop.test/payments/webhook"

    shopper.pay_in_window(merchant_uid)  # the callback never comes
    webhooks()

    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert [e.source for e in events(app)] == ["webhook"]


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_a_webhook_is_accepted_as_json_or_as_a_form(app, shopper, form):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)

    answer = post_webhook(shopper.client, imp_uid, merchant_uid, form=form)

    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "outcome": "paid"}
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert events(app)[-1].claim == "status=paid"


def test_a_forged_cancelled_webhook_for_a_paid_order_changes_nothing(app, shopper):
    merchant_uid, imp_uid = paid_order(shopper)

    answer = post_webhook(shopper.client, imp_uid, merchant_uid, status="cancelled")

    assert answer.status_code == 200
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert stock(app) == 12 - 1


def test_a_paid_webhook_for_an_unpaid_payment_changes_nothing(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid, "decline")

    answer = post_webhook(shopper.client, imp_uid, merchant_uid, status="paid")

    assert answer.json["outcome"] == "failed"
    assert order_status(app, merchant_uid) == OrderStatus.FAILED


def test_a_webhook_naming_another_order_settles_the_true_one_only(app, shopper):
    victim = shopper.buy(product_id=2)
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)

    answer = post_webhook(shopper.client, imp_uid, victim)

    assert answer.status_code == 200
    assert answer.json["outcome"] == "mismatch"
    assert order_status(app, victim) == OrderStatus.PENDING
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_an_unknown_payment_is_nothing_to_do(app, shopper):
    answer = post_webhook(shopper.client, "imp_000000000000", "ord_nothing")
    assert answer.status_code == 200
    assert answer.json["outcome"] == "unknown_payment"


@pytest.mark.parametrize(
    "body",
    [{}, {"imp_uid": ""}, {"imp_uid": ["imp_1"]}, {"imp_uid": "imp 1; drop"}, {"status": "paid"}],
)
def test_a_malformed_webhook_gets_a_400(app, client, body):
    answer = client.post("/payments/webhook", json=body)
    assert answer.status_code == 400
    assert answer.json["message"]


def test_a_webhook_that_is_not_json_or_a_form_gets_a_400(app, client):
    answer = client.post("/payments/webhook", data="{", content_type="application/json")
    assert answer.status_code == 400


def test_the_webhook_needs_no_csrf_token_but_other_posts_do(app, client):
    assert client.post("/payments/webhook", json={}).json["status"] == "invalid"
    assert client.post("/payments/complete", json={}).json["status"] == "error"  # CSRF


def test_an_unreachable_gateway_asks_portone_to_retry_and_keeps_the_claim(
    app, shopper, gateway_link
):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    gateway_link.cut()

    answer = post_webhook(shopper.client, imp_uid, merchant_uid)

    assert answer.status_code == 503
    assert order_status(app, merchant_uid) == OrderStatus.PENDING
    kept = events(app)[-1]
    assert (kept.source, kept.imp_uid, kept.outcome) == ("webhook", imp_uid, "unavailable")

    gateway_link.restore()
    assert post_webhook(shopper.client, imp_uid, merchant_uid).status_code == 200
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_a_locked_database_asks_portone_to_retry(tmp_path):
    quick = {"connect_args": {"timeout": 0.2}}  # wait 0.2 s for the lock, not 15 s
    app = make_app(tmp_path, SQLALCHEMY_ENGINE_OPTIONS=quick)
    shopper = Shopper(app.test_client())
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    blocker = sqlite3.connect(tmp_path / "shop.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        answer = post_webhook(shopper.client, imp_uid, merchant_uid)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert answer.status_code == 503
    assert order_status(app, merchant_uid) == OrderStatus.PENDING
    assert post_webhook(shopper.client, imp_uid, merchant_uid).status_code == 200
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_a_second_paid_payment_is_refunded_automatically_and_the_order_is_paid_again(app, shopper):
    merchant_uid = shopper.buy()
    windows = [shopper.open_window(merchant_uid), shopper.open_window(merchant_uid)]
    first, second = (shopper.decide(window, "approve")[0] for window in windows)

    assert shopper.complete(first, merchant_uid).json["status"] == "success"
    answer = post_webhook(shopper.client, second, merchant_uid)

    assert answer.json["outcome"] == "cancelled"
    assert app.extensions["portone"].get_payment(second)["status"] == "cancelled"
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert stock(app) == 12 - 1  # the goods of the first payment stay sold
    moves = [(e.order_status_before, e.order_status_after, e.source) for e in events(app)]
    assert ("paid", "needs_review", "webhook") in moves
    assert ("needs_review", "paid", "refund") in moves
    [exit_event] = [
        e for e in events(app) if e.order_status_before == "needs_review" != e.order_status_after
    ]
    assert states.DUPLICATE_REFUNDED in exit_event.detail
    assert broken_promises(app) == []


def live_shop(tmp_path, **settings):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "live",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
            "IMP_CODE": "imp12345678",
            "IMP_KEY": "key",
            "IMP_SECRET": "secret",
            "PORTONE_API_URL": "http://portone.invalid",
            "WEBHOOK_ALLOWED_IPS": "52.78.100.19, 52.78.48.223, 52.78.5.241",
        }
        | settings
    )
    with app.app_context():
        db.create_all()
    GatewaySwitch(app.extensions["portone"]).cut()  # no network: PortOne never answers
    return app


def webhook_from(app, address, forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return app.test_client().post(
        "/payments/webhook",
        json={"imp_uid": "imp_123456789012", "status": "paid"},
        headers=headers,
        environ_base={"REMOTE_ADDR": address},
    )


def test_in_live_mode_only_portones_addresses_may_post_webhooks(tmp_path):
    app = live_shop(tmp_path)
    assert webhook_from(app, "203.0.113.9").status_code == 403
    assert webhook_from(app, "203.0.113.9", forwarded="52.78.100.19").status_code == 403
    assert webhook_from(app, "52.78.100.19").status_code == 503  # let in; PortOne is cut off


def test_behind_a_proxy_the_address_it_saw_counts_not_what_the_client_wrote(tmp_path):
    app = live_shop(tmp_path, TRUSTED_PROXY_HOPS=1)
    proxy = "10.0.0.2"
    spoofed = "52.78.100.19, 203.0.113.9"  # the client wrote the first; the proxy the second
    assert webhook_from(app, proxy, forwarded=spoofed).status_code == 403
    assert webhook_from(app, proxy, forwarded="52.78.5.241").status_code == 503


def test_the_claim_is_kept_even_when_it_is_garbage(app, client):
    answer = post_webhook(client, "imp_123", "가" * 300, status="x" * 5000)
    assert answer.status_code == 200
    with app.app_context():
        kept = db.session.execute(select(PaymentEvent)).scalar_one()
        assert len(kept.claimed_merchant_uid) == 100


@pytest.mark.parametrize("field", ["notice_url", "confirm_url"])
def test_the_mounted_sandbox_posts_to_this_shop_only(app, shopper, field):
    """A pay request edited in the browser cannot make the server post elsewhere (SSRF)."""
    assert app.extensions["sandbox_app"].config["SANDBOX_MERCHANT_ORIGINS"] == ("http://shop.test",)
    merchant_uid = shopper.buy()
    refused = shopper.open_window(merchant_uid, **{field: "http://169.254.169.254/latest/"})
    assert refused.status_code == 200  # the window's result page, telling the shop's page
    assert '"error_code": "F0015"' in refused.get_data(as_text=True)
    assert shopper.open_window(merchant_uid).status_code == 303  # the shop's own URLs open it


def test_a_duplicate_portone_refused_to_refund_keeps_the_order_waiting_for_a_person(app, shopper):
    from tests.payments.test_refunds import RefusingCancel

    merchant_uid = shopper.buy()
    windows = [shopper.open_window(merchant_uid), shopper.open_window(merchant_uid)]
    first, second = (shopper.decide(window, "approve")[0] for window in windows)
    assert shopper.complete(first, merchant_uid).json["status"] == "success"
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/cancel", RefusingCancel())

    post_webhook(shopper.client, second, merchant_uid)
    gateway.session.adapters.pop(gateway.base_url + "/payments/cancel")
    post_webhook(shopper.client, second, merchant_uid)  # a refused refund is not tried again

    assert gateway.get_payment(second)["status"] == "paid"
    assert order_status(app, merchant_uid) == OrderStatus.NEEDS_REVIEW
    assert broken_promises(app) == []
