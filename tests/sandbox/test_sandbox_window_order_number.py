"""The window names the order by the number its customer knows, sent in custom_data, and falls
back to the merchant_uid for any other custom_data."""

import html
import re

import pytest

MERCHANT_UID = "ord_3f9a6c2e8b1d4f7a9c0e2b4d6f8a1c3e"
ORDER_NUMBER = "20261207-123456"
MERCHANT_UID_LABEL = "가맹점 주문번호 (merchant_uid)"
SUMMARY_LINE = re.compile(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>")


def summary(page: str) -> dict[str, str]:
    return {html.unescape(dt): html.unescape(dd) for dt, dd in SUMMARY_LINE.findall(page)}


def window_page(window, client, custom_data) -> str:
    imp_uid = window.opened({"merchant_uid": MERCHANT_UID, "custom_data": custom_data})
    return client.get(f"/window/{imp_uid}").get_data(as_text=True)


def test_window_shows_the_order_number_from_custom_data(window, client):
    page = window_page(window, client, {"order_number": ORDER_NUMBER, "coupon": None})

    assert summary(page)["주문번호"] == ORDER_NUMBER
    assert MERCHANT_UID not in page
    assert MERCHANT_UID_LABEL not in page


def test_result_page_shows_the_order_number_too(window):
    imp_uid = window.opened({"merchant_uid": MERCHANT_UID, "custom_data": {"order_number": "A-1"}})

    page = window.decide(imp_uid, "approve").get_data(as_text=True)

    assert summary(page)["주문번호"] == "A-1"


@pytest.mark.parametrize(
    "custom_data",
    [
        None,
        ORDER_NUMBER,
        20261207,
        [ORDER_NUMBER],
        {"order_id": 7},
        {"order_number": 20261207123456},
        {"order_number": None},
        {"order_number": ""},
        {"order_number": "   "},
        {"order_number": "1" * 41},
        {"order_number": "2026\n1207"},
        {"order_number": {"value": ORDER_NUMBER}},
    ],
    ids=repr,
)
def test_window_falls_back_to_the_merchant_uid(window, client, custom_data):
    page = window_page(window, client, custom_data)

    lines = summary(page)
    assert lines[MERCHANT_UID_LABEL] == MERCHANT_UID
    assert "주문번호" not in lines


@pytest.mark.parametrize("stored", ["null", "{not json", '"\\ud800"', "", "[]", '{"order_number"'])
def test_window_falls_back_for_malformed_stored_custom_data(store, client, stored):
    imp_uid = store.insert_payment(merchant_uid=MERCHANT_UID, custom_data=stored)["imp_uid"]

    response = client.get(f"/window/{imp_uid}")

    assert response.status_code == 200
    assert summary(response.get_data(as_text=True))[MERCHANT_UID_LABEL] == MERCHANT_UID


def test_order_number_is_escaped(window, client):
    page = window_page(window, client, {"order_number": "<b>7</b>"})

    assert "<b>7</b>" not in page
    assert summary(page)["주문번호"] == "<b>7</b>"


def test_custom_data_is_still_returned_as_sent(window, client, auth):
    imp_uid = window.opened({"custom_data": {"order_number": ORDER_NUMBER}})
    window.decide(imp_uid, "approve")

    payment = client.get(f"/payments/{imp_uid}", headers=auth).json["response"]

    assert payment["custom_data"] == '{"order_number": "20261207-123456"}'
