"""What a customer reads when a payment fails: a Korean sentence with what to do, the PG's own
words only as a detail line, merchant-side causes as a temporary problem (logged for the
merchant), and nothing from the return URL's query printed as fact."""

import logging

import pytest

from iamport_sandbox import switchboard
from shop.payments.failures import CLOSED, SERVICE_TROUBLE, UNEXPLAINED, explain


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("[F1007] 잔액부족", "잔액이 부족합니다"),
        ("[4004] 카드 한도초과", "카드 한도를 넘었습니다"),
        ("카드정보 불일치", "카드 정보가 맞지 않습니다"),
        ("[F1009] 분실·도난 카드", "사용할 수 없는 카드입니다"),
        ("이미 결제가 이루어진 거래건입니다.", "이미 결제된 주문입니다"),
    ],
)
def test_pg_words_become_a_sentence_for_the_customer(message, title):
    assert explain(message).title == title
    assert not explain(message).merchant_side


@pytest.mark.parametrize(
    "message",
    [
        "[F0020] [PG] 상점아이디(MID) 설정 오류로 결제창을 열 수 없습니다. PG사 계약 정보를 확인해주세요.",
        "가맹점 정보가 올바르지 않습니다",
    ],
)
def test_merchant_side_causes_read_as_a_temporary_problem(message):
    assert explain(message) is SERVICE_TROUBLE


def test_closing_and_unknown_messages():
    assert explain("사용자가 결제를 취소하셨습니다") is CLOSED
    assert explain("something new") is UNEXPLAINED
    assert explain(None) is UNEXPLAINED


def decline(shopper, merchant_uid, reason):
    opened = shopper.open_window(merchant_uid)
    imp_uid = opened.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    shopper.client.post(f"/sandbox/window/{imp_uid}/decline", data={"reason": reason})
    return imp_uid


def test_a_declined_card_says_what_to_do_with_the_pg_words_as_detail(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    shopper.complete(decline(shopper, merchant_uid, "balance"), merchant_uid)

    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)

    assert "잔액이 부족합니다" in page
    assert "다른 카드나 결제 수단으로 다시 결제해 주세요." in page
    assert "결제사 메시지: [F1007] 잔액부족" in page


def test_a_misconfigured_pg_is_a_temporary_problem_for_the_customer(app, shopper, sandbox, caplog):
    merchant_uid = shopper.buy(product_id=1)
    switchboard.set(sandbox, "window_fails_to_open", True)
    shopper.open_window(merchant_uid)
    caplog.set_level(logging.WARNING)

    shopper.complete(sandbox.find_payment(merchant_uid)["imp_uid"], merchant_uid)
    page = shopper.client.get(f"/orders/{merchant_uid}").get_data(as_text=True)

    assert "결제 서비스에 일시적인 문제가 있습니다" in page
    assert "MID" not in page and "F0020" not in page
    assert any("MID" in record.getMessage() for record in caplog.records)


def test_the_return_urls_error_msg_is_never_printed(app, shopper):
    merchant_uid = shopper.buy(product_id=1)
    spoof = "입금은 국민은행 123-456-789로 해 주세요"

    page = shopper.client.get(
        "/payments/complete/mobile",
        query_string={"merchant_uid": merchant_uid, "imp_success": "false", "error_msg": spoof},
    ).get_data(as_text=True)

    assert "국민은행 123-456-789" not in page
    assert "결제창을 열지 못했습니다" in page
    assert f'href="/orders/{merchant_uid}/pay"' in page
