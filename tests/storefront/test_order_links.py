"""The signed link in a notice opens the order with the buyer's details on any device, expires,
cannot be forged, and gives the browser that opens it no right to pay or cancel."""

from datetime import timedelta

from itsdangerous import URLSafeTimedSerializer

from shop.web import signed_links
from shop.web.signed_links import order_link
from tests.conftest import BUYER


def link_path(app, merchant_uid: str) -> str:
    with app.test_request_context():
        return order_link(merchant_uid).removeprefix(app.config["SHOP_URL"])


def test_the_link_shows_the_buyers_details_in_a_browser_that_never_ordered(app, shopper):
    merchant_uid = shopper.buy(address_detail="4층 401호")
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)

    elsewhere = app.test_client()
    page = elsewhere.get(link_path(app, merchant_uid))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert BUYER["buyer_email"] in text and "4층 401호" in text
    assert page.headers["Cache-Control"] == "no-store"
    assert BUYER["buyer_email"] not in elsewhere.get(f"/orders/{merchant_uid}").get_data(
        as_text=True
    )  # the plain order URL still shows only the status


def test_the_link_gives_no_right_to_pay_or_cancel(app, shopper):
    merchant_uid = shopper.buy()
    elsewhere = app.test_client()
    elsewhere.get(link_path(app, merchant_uid))
    assert elsewhere.get(f"/orders/{merchant_uid}/pay").headers["Location"] == "/orders/lookup"
    cancel = elsewhere.get(f"/orders/{merchant_uid}/cancel")
    assert cancel.headers["Location"] == "/orders/lookup"


def test_a_changed_token_is_not_found(app, shopper):
    merchant_uid = shopper.buy()
    path = link_path(app, merchant_uid)
    assert app.test_client().get(path[:-2] + "xx").status_code == 404


def test_a_token_signed_for_something_else_is_not_an_order_link(app, shopper):
    merchant_uid = shopper.buy()
    other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else")
    answer = app.test_client().get(f"/orders/link/{other.dumps(merchant_uid)}")
    assert answer.status_code == 404


def test_an_expired_link_leads_to_the_lookup_with_why(app, shopper, monkeypatch):
    merchant_uid = shopper.buy()
    path = link_path(app, merchant_uid)
    monkeypatch.setattr(signed_links, "LIFETIME", timedelta(seconds=-1))
    elsewhere = app.test_client()
    answer = elsewhere.get(path)
    assert answer.headers["Location"] == "/orders/lookup"
    assert "사용 기간" in elsewhere.get("/orders/lookup").get_data(as_text=True)


def test_order_urls_stay_unguessable(app, shopper):
    merchant_uid = shopper.buy()
    path = link_path(app, merchant_uid)
    assert path.startswith("/orders/link/") and len(path) > 60
