"""Input a fuzzer found to end in a 500, and what the shop answers now: a 4xx, on SQLite and
on PostgreSQL alike, with nothing stored that a database would refuse.

The three classes found: a lone surrogate in a JSON body (UnicodeEncodeError when the claim was
stored), JSON nested a thousand deep (RecursionError), and a product id past the database's
integers (OverflowError). tests/web/test_fuzz.py throws everything else.
"""

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import Payment, PaymentEvent
from tests.conftest import DATABASES, events

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)

JSON_ROUTES = ("/payments/complete", "/payments/webhook", "/payments/confirm")


def post_json(client, shopper, url: str, body: str):
    headers = {"X-CSRFToken": shopper.csrf_token()}
    return client.post(url, data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("url", JSON_ROUTES)
@pytest.mark.parametrize(
    "body",
    [
        '{"imp_uid": "imp_123412341234", "merchant_uid": "\\ud800"}',
        '{"imp_uid": "\\udfff", "merchant_uid": "ord_1", "status": "paid"}',
        '{"imp_uid": "imp_123412341234", "merchant_uid": "ord_1", "status": "\\ud800"}',
        '{"imp_uid": "imp_123412341234", "merchant_uid": "a\\u0000b"}',
    ],
    ids=["surrogate-merchant_uid", "surrogate-imp_uid", "surrogate-status", "nul"],
)
def test_a_json_body_no_database_can_store_is_a_400(app, client, shopper, url, body):
    answer = post_json(client, shopper, url, body)
    assert answer.status_code == 400
    assert answer.is_json
    assert events(app) == []


@pytest.mark.parametrize("url", JSON_ROUTES)
@pytest.mark.parametrize("depth", [33, 1000, 50_000])
def test_json_nested_deeper_than_any_claim_is_a_400(app, client, shopper, url, depth):
    body = '{"imp_uid": ' * depth + '"imp_1"' + "}" * depth
    assert post_json(client, shopper, url, body).status_code == 400


@pytest.mark.parametrize("body", ['{"amount": NaN}', '{"amount": Infinity}', '{"amount": 1e999}'])
def test_numbers_json_does_not_have_are_a_400(app, client, shopper, body):
    assert post_json(client, shopper, "/payments/confirm", body).status_code == 400


@pytest.mark.parametrize("product_id", [2**31, 2**63, 2**64 + 1, 10**30])
@pytest.mark.parametrize(
    "path",
    [
        "/cart/items/{}",
        "/cart/items/{}/quantity",
        "/cart/items/{}/remove",
        "/checkout/buy-now/{}",
    ],
)
def test_a_product_id_no_table_can_hold_is_a_404(app, client, shopper, path, product_id):
    form = {"quantity": 1, "csrf_token": shopper.csrf_token()}
    assert client.post(path.format(product_id), data=form).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/payments/complete/mobile?imp_uid=imp_1&merchant_uid=a%00b",
        "/orders/ord_%00/status",
        "/orders/lookup?x=%00",
        "/products/mug%00",
    ],
)
def test_nul_in_a_path_or_a_query_is_a_400(app, client, url):
    assert client.get(url).status_code == 400


def test_nul_in_a_form_is_a_400_before_anything_is_looked_up(app, client, shopper):
    form = {"order_number": "20240101-\x00", "buyer_tel": "010", "csrf_token": shopper.csrf_token()}
    assert client.post("/orders/lookup", data=form).status_code == 400


@pytest.mark.parametrize("url", ["/checkout", "/cart/items/1", "/orders/lookup"])
def test_a_json_body_where_a_form_is_read_is_a_415(app, client, shopper, url):
    body = {"quantity": 2**64, "buyer_name": ["a"], "order_number": None}
    answer = client.post(url, json=body, headers={"X-CSRFToken": shopper.csrf_token()})
    assert answer.status_code == 415
    assert "JSON" in answer.json["message"]


def test_long_claims_are_cut_to_their_columns(app, client, shopper):
    """The webhook's claims are text of any length; the event keeps what its columns hold
    (PostgreSQL refuses longer text, SQLite would keep it all)."""
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    body = {
        "imp_uid": imp_uid,
        "merchant_uid": "m" * 5000,
        "status": "가" * 5000,
        "cancellation_id": "c" * 5000,
    }
    assert client.post("/payments/webhook", json=body).status_code == 200
    (event,) = events(app, "webhook")
    assert event.claimed_merchant_uid == "m" * 100
    assert len(event.claim) == 200 and event.claim.startswith("status=가")
    assert "가" not in event.detail and "mm" not in event.detail  # the shop's words only


def test_a_pgs_long_texts_do_not_keep_its_payment_from_being_stored(app, shopper, sandbox):
    """PortOne's fields are copied into columns of fixed length: longer ones are cut, so the
    payment is stored and the order paid instead of a 503 on every delivery."""
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    sandbox.update_payment(
        imp_uid, lambda payment, _: {"card_name": "카" * 300, "vbank_holder": "h" * 300}
    )
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    with app.app_context():
        payment = db.session.execute(select(Payment).where(Payment.imp_uid == imp_uid)).scalar_one()
        assert (payment.card_name, payment.vbank_holder) == ("카" * 50, "h" * 100)


def test_an_imp_uid_longer_than_its_column_is_refused_not_stored(app, client, shopper):
    answer = shopper.complete("imp_" + "1" * 40, shopper.buy())
    assert answer.status_code == 400
    with app.app_context():
        stored = db.session.scalars(select(PaymentEvent.imp_uid)).all()
    assert all(len(imp_uid) <= 100 for imp_uid in stored)
