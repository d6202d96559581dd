"""One log line per payment claim, at WARNING when money does not match, and nothing secret or
personal in any line the shop writes during a purchase and a refund."""

import logging

from iamport_sandbox import switchboard
from shop.core.models import OrderStatus
from tests.conftest import BUYER, order_status


def payment_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "shop.payments"]


def test_a_verified_payment_is_one_line_with_what_came_of_it(app, shopper, caplog):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    caplog.set_level(logging.INFO, logger="shop")

    shopper.complete(imp_uid, merchant_uid)

    [line] = [r for r in payment_lines(caplog) if "source=callback" in r.getMessage()]
    assert line.levelno == logging.INFO
    assert line.getMessage() == (
        f"payment source=callback imp_uid={imp_uid} merchant_uid={merchant_uid} order_id=1 "
        "outcome=paid gateway_status=paid gateway_amount=64900 status=pending->paid"
    )


def test_a_forged_amount_is_a_warning(app, shopper, sandbox, caplog):
    merchant_uid = shopper.buy()
    switchboard.set(sandbox, "window_reported_amount", 100)
    imp_uid = shopper.pay_in_window(merchant_uid)
    caplog.set_level(logging.INFO, logger="shop")

    shopper.complete(imp_uid, merchant_uid)

    warnings = [r.getMessage() for r in payment_lines(caplog) if r.levelno == logging.WARNING]
    assert warnings[0].startswith("payment source=callback")
    assert all("outcome=forged" in line for line in warnings)  # the refund's sync says so too


def test_no_line_carries_keys_tokens_cookies_or_the_buyers_data(app, shopper, caplog):
    caplog.set_level(logging.DEBUG)
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, outcome="vbank")
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    shopper.complete(imp_uid, merchant_uid)
    token = app.extensions["portone"]._token
    account = {"refund_holder": "홍길동", "refund_bank": "004", "refund_account": "12345678901234"}
    shopper.client.post(
        f"/orders/{merchant_uid}/cancel",
        data={"confirm": "y", "csrf_token": shopper.csrf_token()} | account,
    )

    text = "\n".join(record.getMessage() for record in caplog.records)
    secrets = [app.config["IMP_KEY"], app.config["IMP_SECRET"], token, app.config["SECRET_KEY"]]
    personal = [BUYER["buyer_name"], BUYER["buyer_email"], BUYER["buyer_tel"], "12345678901234"]
    cookie = shopper.client.get_cookie("session", domain="shop.test").value
    assert [value for value in [*secrets, *personal, cookie] if value and value in text] == []
    assert "payment source=" in text
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
