"""비회원 주문조회 and who sees what: the order number and the buyer's phone open an order in
another browser; the URL alone shows status and amount, never the buyer's details."""

import re
import time
from datetime import datetime

import limits.storage.memory
import limits.strategies
from flask import session

from shop.core.models import SEOUL
from shop.storefront.lookup import NOT_FOUND
from tests.conftest import BUYER, Shopper, order

PERSONAL = (BUYER["buyer_name"], BUYER["buyer_email"], BUYER["buyer_tel"], BUYER["buyer_addr"])


def look_up(client, number: str, phone: str):
    token = Shopper(client).csrf_token()
    data = {"order_number": number, "buyer_tel": phone, "csrf_token": token}
    return client.post("/orders/lookup", data=data)


def test_the_order_number_is_the_seoul_date_and_six_digits(app, shopper):
    placed = order(app, shopper.buy(product_id=1))
    today = datetime.now(SEOUL).strftime("%Y%m%d")
    assert re.fullmatch(today + r"-\d{6}", placed.number)


def test_another_browser_finds_the_order_with_its_number_and_phone(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    number = order(app, merchant_uid).number
    elsewhere = app.test_client()

    found = look_up(elsewhere, f" {number} ", "01042424242")

    assert found.status_code == 302
    assert found.headers["Location"] == f"/orders/{merchant_uid}"
    page = elsewhere.get(found.headers["Location"]).get_data(as_text=True)
    assert all(value in page for value in PERSONAL)
    assert number in page
    assert elsewhere.get(f"/orders/{merchant_uid}/pay").status_code == 200


def test_every_mismatch_gets_the_same_neutral_answer(app, shopper):
    number = order(app, shopper.buy(product_id=1)).number
    other = order(app, Shopper(app.test_client()).buy(product_id=2, buyer_tel="010-9999-0000"))
    attempts = [
        (number, "010-4242-4243"),  # wrong phone
        ("19990101-000000", BUYER["buyer_tel"]),  # no such order
        (other.number, BUYER["buyer_tel"]),  # another buyer's order
    ]
    for attempt in attempts:
        answer = look_up(app.test_client(), *attempt)
        assert answer.status_code == 200
        assert NOT_FOUND in answer.get_data(as_text=True)


def test_lookup_attempts_are_rate_limited_per_address(app):
    client = app.test_client()
    answers = [look_up(client, "20260101-000000", "010-0000-0000") for _ in range(11)]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert answers[10].status_code == 429
    assert "요청이 너무 많습니다" in answers[10].get_data(as_text=True)


def test_strangers_failing_on_an_order_number_never_lock_its_buyer_out(app, shopper):
    number = order(app, shopper.buy(product_id=1)).number
    for index in range(30):
        stranger = app.test_client()
        stranger.environ_base.update({"REMOTE_ADDR": f"10.0.0.{index}"})
        assert look_up(stranger, number, f"010-0000-{index:04d}").status_code == 200
    buyer = app.test_client()
    buyer.environ_base.update({"REMOTE_ADDR": "10.0.1.1"})
    assert look_up(buyer, number, BUYER["buyer_tel"]).status_code == 302


class Clock:
    """time.time for the rate limiter's storage: minutes pass when a test says so."""

    def __init__(self):
        self.now = time.time()

    def time(self) -> float:
        return self.now


def test_only_failures_use_up_an_addresss_hourly_budget_of_them(app, shopper, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(limits.strategies, "time", clock)
    number = order(app, shopper.buy(product_id=1)).number
    client = app.test_client()
    found = [look_up(client, number, BUYER["buyer_tel"]).status_code for _ in range(5)]
    failed = [look_up(client, number, "010-0000-0000").status_code for _ in range(5)]
    clock.now += 61  # a new minute of ATTEMPTS, the same hour of FAILURES
    failed += [look_up(client, number, "010-0000-0000").status_code for _ in range(5)]
    assert (found, failed) == ([302] * 5, [200] * 10)
    assert look_up(client, number, "010-0000-0000").status_code == 429


def test_a_malformed_number_says_how_it_looks(app):
    answer = look_up(app.test_client(), "ord_123", BUYER["buyer_tel"])
    assert "20261122-123456 형식" in answer.get_data(as_text=True)


def test_the_url_alone_shows_status_and_amount_but_no_personal_data(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    shopper.complete(shopper.pay_in_window(merchant_uid), merchant_uid)
    stranger = app.test_client()

    page = stranger.get(f"/orders/{merchant_uid}").get_data(as_text=True)

    assert "결제 완료" in page and "64,900원" in page
    assert not [value for value in PERSONAL if value in page]
    assert order(app, merchant_uid).number not in page
    assert "주문 취소" not in page


def test_a_stranger_is_sent_to_the_lookup_instead_of_the_pay_page(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    stranger = app.test_client()

    answer = stranger.get(f"/orders/{merchant_uid}/pay")

    assert answer.status_code == 302
    assert answer.headers["Location"] == "/orders/lookup"
    page = stranger.get("/orders/lookup").get_data(as_text=True)
    assert "주문조회에서 주문번호와 휴대폰 번호로" in page
    assert not [value for value in PERSONAL if value in page]


def test_a_looked_up_order_can_be_cancelled_from_the_other_browser(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    elsewhere = app.test_client()
    look_up(elsewhere, order(app, merchant_uid).number, BUYER["buyer_tel"])
    token = Shopper(elsewhere).csrf_token()

    elsewhere.post(f"/orders/{merchant_uid}/cancel", data={"confirm": "y", "csrf_token": token})

    assert order(app, merchant_uid).status.value == "cancelled"


def test_the_header_and_footer_link_to_the_lookup(app):
    page = app.test_client().get("/").get_data(as_text=True)
    assert page.count('href="/orders/lookup"') == 2


def test_looking_up_remembers_the_order_in_the_session(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    with app.test_client() as elsewhere:
        look_up(elsewhere, order(app, merchant_uid).number, BUYER["buyer_tel"])
        elsewhere.get("/")
        assert merchant_uid in session["orders"]
