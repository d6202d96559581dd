import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest

KST = timezone(timedelta(hours=9))
RSP_KEYS = {
    "success", "imp_uid", "merchant_uid", "pay_method", "paid_amount", "status", "name",
    "pg_provider", "emb_pg_provider", "pg_tid", "pg_type", "buyer_name", "buyer_email",
    "buyer_tel", "buyer_addr", "buyer_postcode", "custom_data", "paid_at", "receipt_url",
    "currency", "card_name", "card_number", "card_quota", "bank_name", "apply_num", "vbank_num",
    "vbank_name", "vbank_holder", "vbank_date", "error_code", "error_msg",
}  # fmt: skip


def kst(*fields) -> int:
    return int(datetime(*fields, tzinfo=KST).timestamp())


def result(window, response, mode):
    """What the shop learns: the callback's rsp (iframe) or the return URL's query (redirect)."""
    if mode == "iframe":
        return window.posted_message(response)[0]
    return window.redirect_query(response)


def test_window_page_shows_the_order_as_a_test_window(window, client):
    imp_uid = window.opened()

    page = client.get(f"/window/{imp_uid}").get_data(as_text=True)

    assert "테스트 결제창 — 실제 결제가 이루어지지 않습니다" in page
    assert "데모 상점" in page
    assert "노르딕 머그컵 외 2건" in page
    assert "64,900원" in page
    assert "신용카드" in page
    for button in ("결제 승인", "결제 거절", "결제창 닫기"):
        assert button in page
    assert "가상계좌 발급" not in page


@pytest.mark.parametrize(
    "pay_method, label",
    [("trans", "실시간 계좌이체"), ("phone", "휴대폰 소액결제"), ("kakaopay", "카카오페이")],
)
def test_window_page_names_the_method_in_korean(window, client, pay_method, label):
    imp_uid = window.opened({"pay_method": pay_method})

    assert label in client.get(f"/window/{imp_uid}").get_data(as_text=True)


def test_vbank_window_offers_issuing_instead_of_approving(window, client):
    imp_uid = window.opened({"pay_method": "vbank"})

    page = client.get(f"/window/{imp_uid}").get_data(as_text=True)

    assert "가상계좌 발급" in page
    assert "결제 승인" not in page


def test_window_page_escapes_what_the_shop_sent(window, client):
    imp_uid = window.opened({"name": "<script>alert(1)</script>"})

    page = client.get(f"/window/{imp_uid}").get_data(as_text=True)

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_unknown_window_is_an_html_404(client):
    response = client.get("/window/imp_000000000000")

    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_approval_in_an_iframe_posts_the_paid_rsp(window, store, clock):
    imp_uid = window.opened({"custom_data": {"order_id": 7}})

    rsp, origin = window.posted_message(window.decide(imp_uid, "approve"))

    payment = store.get_payment(imp_uid)
    assert origin == window.origin
    assert set(rsp) == RSP_KEYS
    assert rsp["success"] is True
    assert rsp["status"] == payment["status"] == "paid"
    assert rsp["paid_at"] == payment["paid_at"] == clock.now
    assert rsp["paid_amount"] == 64900
    assert rsp["pg_type"] == "payment"
    assert rsp["custom_data"] == payment["custom_data"] == '{"order_id": 7}'
    assert rsp["error_code"] is None
    assert rsp["error_msg"] is None
    assert re.fullmatch(r"\d{8}", rsp["apply_num"])
    assert rsp["card_name"] == payment["card_name"] == "신한카드"
    assert payment["card_code"] == "366"
    assert re.fullmatch(r"\d{6}\*{6}\d{4}", payment["card_number"])
    assert rsp["pg_tid"] == payment["pg_tid"]
    assert rsp["receipt_url"] == payment["receipt_url"]


def test_approval_serves_an_absolute_receipt_url(window, store, client):
    imp_uid = window.opened()
    window.decide(imp_uid, "approve")

    receipt_url = urlsplit(store.get_payment(imp_uid)["receipt_url"])
    page = client.get(receipt_url.path)

    assert receipt_url.scheme == "http"
    assert receipt_url.netloc
    assert page.status_code == 200
    assert imp_uid in page.get_data(as_text=True)


def test_approved_bank_transfer_names_the_bank(window, store):
    imp_uid = window.opened({"pay_method": "trans"})

    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert rsp["bank_name"] == store.get_payment(imp_uid)["bank_name"] == "신한은행"
    assert rsp["apply_num"] is None
    assert rsp["card_name"] is None


def test_approval_in_redirect_mode_returns_with_the_result(window, store):
    imp_uid = window.opened(mode="redirect")

    response = window.decide(imp_uid, "approve")

    assert response.headers["Location"].startswith(window.return_url + "?")
    assert window.redirect_query(response) == {
        "imp_uid": imp_uid,
        "merchant_uid": "order-1",
        "imp_success": "true",
    }
    assert store.get_payment(imp_uid)["status"] == "paid"


DECLINES = [
    ("limit", "F1006", "[F1006] 카드 한도초과"),
    ("balance", "F1007", "[F1007] 잔액부족"),
    ("mismatch", "F1008", "[F1008] 카드정보 불일치"),
    ("lost", "F1009", "[F1009] 분실·도난 카드"),
]


@pytest.mark.parametrize("mode", ["iframe", "redirect"])
@pytest.mark.parametrize("reason, code, fail_reason", DECLINES)
def test_decline_fails_the_payment_with_the_reason(
    window, store, clock, mode, reason, code, fail_reason
):
    imp_uid = window.opened(mode=mode)

    answer = result(window, window.decide(imp_uid, "decline", reason=reason), mode)

    payment = store.get_payment(imp_uid)
    assert payment["status"] == "failed"
    assert payment["failed_at"] == clock.now
    assert payment["fail_reason"] == fail_reason
    assert answer["error_code"] == code
    assert answer["error_msg"] == fail_reason
    assert answer["imp_uid"] == imp_uid
    assert answer["merchant_uid"] == "order-1"
    if mode == "iframe":
        assert answer["success"] is False
    else:
        assert answer["imp_success"] == "false"


@pytest.mark.parametrize("mode", ["iframe", "redirect"])
def test_closing_the_window_fails_the_payment_as_cancelled_by_the_buyer(window, store, mode):
    imp_uid = window.opened(mode=mode)

    answer = result(window, window.decide(imp_uid, "close"), mode)

    payment = store.get_payment(imp_uid)
    assert payment["status"] == "failed"
    assert payment["fail_reason"] == "사용자가 결제를 취소하셨습니다"
    assert answer["error_msg"] == "사용자가 결제를 취소하셨습니다"
    assert answer["error_code"]


@pytest.mark.parametrize("mode", ["iframe", "redirect"])
def test_vbank_issue_leaves_the_payment_ready_with_an_account(window, store, clock, mode):
    imp_uid = window.opened({"pay_method": "vbank"}, mode=mode)

    answer = result(window, window.decide(imp_uid, "vbank"), mode)

    payment = store.get_payment(imp_uid)
    assert payment["status"] == "ready"
    assert payment["vbank_code"] == "088"
    assert payment["vbank_name"] == "신한은행"
    assert re.fullmatch(r"\d{14}", payment["vbank_num"])
    assert payment["vbank_holder"] == "데모 상점"
    assert payment["vbank_issued_at"] == clock.now
    assert payment["vbank_date"] == kst(2023, 11, 18, 23, 59, 59)
    if mode == "iframe":
        assert answer["success"] is True
        assert answer["status"] == "ready"
        assert answer["vbank_num"] == payment["vbank_num"]
        assert answer["vbank_date"] == payment["vbank_date"]
    else:
        assert answer == {"imp_uid": imp_uid, "merchant_uid": "order-1", "imp_success": "true"}


@pytest.mark.parametrize(
    "vbank_due, deadline",
    [
        ("2023-11-20", kst(2023, 11, 20, 23, 59, 59)),
        ("20231120", kst(2023, 11, 20, 23, 59, 59)),
        ("2023-11-20 12:30:00", kst(2023, 11, 20, 12, 30, 0)),
        ("20231120123000", kst(2023, 11, 20, 12, 30, 0)),
    ],
)
def test_vbank_due_sets_the_deadline_in_korean_time(window, store, vbank_due, deadline):
    imp_uid = window.opened({"pay_method": "vbank", "vbank_due": vbank_due})
    window.decide(imp_uid, "vbank")

    assert store.get_payment(imp_uid)["vbank_date"] == deadline


@pytest.mark.parametrize("mode", ["iframe", "redirect"])
@pytest.mark.parametrize(
    "first, second",
    [("approve", ("decline", {"reason": "limit"})), ("close", ("approve", {}))],
)
def test_a_second_decision_changes_nothing(window, store, clock, mode, first, second):
    imp_uid = window.opened(mode=mode)
    first_answer = window.decide(imp_uid, first)
    decided = store.get_payment(imp_uid)
    clock.advance(30)

    outcome, form = second
    second_answer = window.decide(imp_uid, outcome, **form)

    assert store.get_payment(imp_uid) == decided
    assert result(window, second_answer, mode) == result(window, first_answer, mode)


def test_reloading_a_decided_window_delivers_the_result_again(window, client):
    imp_uid = window.opened()
    rsp, _ = window.posted_message(window.decide(imp_uid, "approve"))

    assert window.posted_message(client.get(f"/window/{imp_uid}"))[0] == rsp


@pytest.mark.parametrize(
    "pay_method, outcome, form, status",
    [
        ("vbank", "approve", {}, 400),
        ("card", "vbank", {}, 400),
        ("card", "decline", {"reason": "bored"}, 400),
        ("card", "decline", {}, 400),
        ("card", "refund", {}, 404),
    ],
)
def test_an_outcome_the_window_does_not_offer_is_refused(
    window, store, pay_method, outcome, form, status
):
    imp_uid = window.opened({"pay_method": pay_method})

    response = window.decide(imp_uid, outcome, **form)

    assert response.status_code == status
    assert store.get_payment(imp_uid)["status"] == "ready"


@pytest.mark.parametrize(
    "m_redirect_url, kept_query, fragment",
    [
        ("http://shop.test/return", {}, ""),
        ("http://shop.test/return?a=1", {"a": "1"}, ""),
        ("https://shop.test/r?a=x%20y&b=2#done", {"a": "x y", "b": "2"}, "done"),
    ],
)
def test_redirect_appends_the_result_to_the_shop_url(window, m_redirect_url, kept_query, fragment):
    imp_uid = window.opened({"m_redirect_url": m_redirect_url}, mode="redirect")

    response = window.decide(imp_uid, "decline", reason="limit")

    location = urlsplit(response.headers["Location"])
    assert m_redirect_url.startswith(f"{location.scheme}://{location.netloc}{location.path}")
    assert location.query.startswith(urlsplit(m_redirect_url).query)
    assert location.fragment == fragment
    assert " " not in location.query
    assert "[" not in location.query
    assert window.redirect_query(response) == kept_query | {
        "imp_uid": imp_uid,
        "merchant_uid": "order-1",
        "imp_success": "false",
        "error_code": "F1006",
        "error_msg": "[F1006] 카드 한도초과",
    }


def test_payment_inserted_without_a_window_gets_its_result_as_a_page(window, store):
    imp_uid = store.insert_payment(merchant_uid="order-1")["imp_uid"]

    response = window.decide(imp_uid, "approve")

    assert response.status_code == 200
    assert "결제가 승인되었습니다" in response.get_data(as_text=True)
    assert "postMessage" not in response.get_data(as_text=True)
    assert store.get_payment(imp_uid)["status"] == "paid"


@pytest.mark.parametrize(
    "pay_method, outcome, form",
    [
        ("card", "approve", {}),
        ("trans", "approve", {}),
        ("phone", "approve", {}),
        ("kakaopay", "approve", {}),
        ("card", "decline", {"reason": "lost"}),
        ("card", "close", {}),
        ("vbank", "vbank", {}),
    ],
)
def test_decided_payment_still_fits_the_spec(
    window, client, auth, validate, pay_method, outcome, form
):
    imp_uid = window.opened({"pay_method": pay_method, "custom_data": {"coupon": None}})
    window.decide(imp_uid, outcome, **form)

    response = client.get(f"/payments/{imp_uid}", headers=auth)

    validate(response.json, "PaymentResponse")
