"""Card installments in the window: 일시불 or 2~12개월 from 50,000원, narrowed by request_pay()'s
display.card_quota, and the buyer's choice reported as card_quota."""

import re

import pytest

DEFAULT_MONTHS = ["0", *map(str, range(2, 13))]
QUOTA_SELECT = re.compile(r'<select id="card-quota"[^>]*>(.*?)</select>', re.DOTALL)
OPTION = re.compile(r'<option value="(\d+)">(.*?)</option>')


def offered(client, imp_uid: str) -> list[str] | None:
    """The months the window's 할부 list offers, None when it has none."""
    page = client.get(f"/window/{imp_uid}").get_data(as_text=True)
    select = QUOTA_SELECT.search(page)
    return [value for value, _ in OPTION.findall(select.group(1))] if select else None


def test_card_window_offers_lump_sum_and_two_to_twelve_months(window, client):
    imp_uid = window.opened()

    page = client.get(f"/window/{imp_uid}").get_data(as_text=True)

    assert offered(client, imp_uid) == DEFAULT_MONTHS
    assert '<option value="0">일시불</option>' in page
    assert '<option value="3">3개월</option>' in page


def test_choosing_three_months_reports_card_quota_three(window, client, auth, validate):
    imp_uid = window.opened()

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve", card_quota="3"))
    response = client.get(f"/payments/{imp_uid}", headers=auth)

    assert response.status_code == 200
    validate(response.json, "PaymentResponse")
    assert response.json["code"] == 0
    assert response.json["message"] is None
    payment = response.json["response"]
    assert payment["card_quota"] == rsp["card_quota"] == 3
    assert payment["card_name"] == "신한카드"
    assert payment["status"] == "paid"


def test_receipt_shows_the_installment(window, store, client):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve", card_quota="12")

    receipt = client.get(f"/slips/{imp_uid}").get_data(as_text=True)

    assert store.get_payment(imp_uid)["card_quota"] == 12
    assert "12개월" in receipt


def test_approval_without_a_choice_is_lump_sum(window, store):
    imp_uid = window.opened()

    window.decide(imp_uid, "approve")

    assert store.get_payment(imp_uid)["card_quota"] == 0


@pytest.mark.parametrize("amount, months", [(49_999, ["0"]), (50_000, DEFAULT_MONTHS)])
def test_installments_start_at_fifty_thousand_won(window, client, amount, months):
    imp_uid = window.opened({"amount": amount})

    assert offered(client, imp_uid) == months


def test_below_fifty_thousand_won_says_why_only_lump_sum(window, client):
    imp_uid = window.opened({"amount": 12_000})

    page = client.get(f"/window/{imp_uid}").get_data(as_text=True)

    assert "할부는 5만원 이상 결제할 때 선택할 수 있습니다." in page


@pytest.mark.parametrize("card_quota", ["3", "1", "13", "-1", "x", ""])
def test_a_month_not_offered_is_refused_and_the_payment_stays_ready(window, store, card_quota):
    imp_uid = window.opened({"amount": 12_000})

    response = window.decide(imp_uid, "approve", card_quota=card_quota)

    assert response.status_code == 400
    assert store.get_payment(imp_uid)["status"] == "ready"
    assert store.get_payment(imp_uid)["card_quota"] == 0


@pytest.mark.parametrize("pay_method", ["trans", "phone", "kakaopay", "vbank"])
def test_other_methods_offer_no_installments(window, client, pay_method):
    imp_uid = window.opened({"pay_method": pay_method})

    assert offered(client, imp_uid) is None


def test_dollar_payments_offer_lump_sum_only(window, client):
    imp_uid = window.opened({"currency": "USD", "amount": 100_000})

    assert offered(client, imp_uid) == ["0"]


DISPLAYS = {
    # The SDK's request_pay page: the months listed (nice stands for any PG without a rule).
    "listed-one": ("nice", [6], ["0", "6"]),
    "listed-several": ("nice", [6, 3, 3], ["0", "3", "6"]),
    "listed-none": ("nice", [], ["0"]),
    "listed-lump-sum": ("nice", [0], ["0"]),
    # KCP's and KG이니시스's pages: every month up to the largest listed.
    "kcp-largest": ("kcp", [3], ["0", "2", "3"]),
    "kcp-range": ("kcp", [2, 3, 4, 5, 6], ["0", "2", "3", "4", "5", "6"]),
    "inicis-largest": ("html5_inicis.MID1", [6], ["0", "2", "3", "4", "5", "6"]),
    "inicis-none": ("html5_inicis", [], ["0"]),
    # Not a list of months: the default list, or only the entries that are months.
    "not-a-list": ("nice", "3", DEFAULT_MONTHS),
    "null": ("nice", None, DEFAULT_MONTHS),
    "no-months": ("nice", [True, "6", 1, 13, 2.5], ["0"]),
}


@pytest.mark.parametrize("case", DISPLAYS)
def test_display_card_quota_narrows_the_months(window, client, case):
    pg, card_quota, months = DISPLAYS[case]

    imp_uid = window.opened({"pg": pg, "display": {"card_quota": card_quota}})

    assert offered(client, imp_uid) == months


@pytest.mark.parametrize("display", ["card_quota", [6], {"other": 1}])
def test_a_display_that_is_not_an_object_is_ignored(window, client, display):
    imp_uid = window.opened({"display": display})

    assert offered(client, imp_uid) == DEFAULT_MONTHS


def test_display_card_quota_still_needs_fifty_thousand_won(window, client):
    imp_uid = window.opened({"pg": "nice", "amount": 10_000, "display": {"card_quota": [6]}})

    assert offered(client, imp_uid) == ["0"]


def test_a_month_the_merchant_left_out_is_refused(window, store):
    imp_uid = window.opened({"pg": "nice", "display": {"card_quota": [6]}})

    assert window.decide(imp_uid, "approve", card_quota="3").status_code == 400
    window.decide(imp_uid, "approve", card_quota="6")

    assert store.get_payment(imp_uid)["card_quota"] == 6
