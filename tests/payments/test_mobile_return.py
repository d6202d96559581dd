"""GET /payments/complete/mobile: where m_redirect_url brings a phone back.

The query string is a claim. Whatever imp_success says, the page shows what the gateway says.
"""

from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.ledger import PaymentEvent
from shop.core.models import OrderStatus, Product
from tests.conftest import order_status

RETURN = "/payments/complete/mobile"


def last_event(app) -> PaymentEvent:
    with app.app_context():
        return db.session.execute(
            select(PaymentEvent).order_by(PaymentEvent.id.desc()).limit(1)
        ).scalar_one()


def back(client, **query):
    return client.get(RETURN + "?" + urlencode(query))


def test_the_redirect_comes_back_to_the_configured_shop_url(app, shopper):
    location = shopper.pay_by_redirect(shopper.buy())
    assert location.startswith("http://shop.test/payments/complete/mobile?imp_uid=imp_")
    assert "imp_success=true" in location


def test_an_approved_payment_shows_the_paid_page(app, shopper):
    merchant_uid = shopper.buy()
    location = shopper.pay_by_redirect(merchant_uid)
    response = shopper.client.get(location)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "결제가 완료되었습니다" in page
    assert "영수증 보기" in page
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert last_event(app).source == "redirect"
    assert last_event(app).claim == "imp_success=true"


def test_imp_success_true_does_not_make_a_failed_payment_paid(app, shopper):
    merchant_uid = shopper.buy()
    failed = shopper.pay_in_window(merchant_uid, "decline")
    page = back(
        shopper.client, imp_uid=failed, merchant_uid=merchant_uid, imp_success="true"
    ).get_data(as_text=True)
    assert "카드 한도를 넘었습니다" in page
    assert "결제사 메시지: [F1006] 카드 한도초과" in page
    assert order_status(app, merchant_uid) == OrderStatus.FAILED


def test_imp_success_false_does_not_hide_a_paid_payment(app, shopper):
    merchant_uid = shopper.buy()
    paid = shopper.pay_in_window(merchant_uid)
    page = back(
        shopper.client,
        imp_uid=paid,
        merchant_uid=merchant_uid,
        imp_success="false",
        error_msg="통신 오류",
    ).get_data(as_text=True)
    assert "결제가 완료되었습니다" in page
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_the_older_success_parameter_is_read_as_a_claim_too(app, shopper):
    merchant_uid = shopper.buy()
    paid = shopper.pay_in_window(merchant_uid)
    back(shopper.client, imp_uid=paid, merchant_uid=merchant_uid, success="false")
    assert last_event(app).claim == "imp_success=false"
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_a_declined_card_shows_the_reason_and_a_way_to_try_again(app, shopper):
    merchant_uid = shopper.buy()
    location = shopper.pay_by_redirect(merchant_uid, "decline")
    assert "error_code=F1006" in location
    page = shopper.client.get(location).get_data(as_text=True)
    assert "카드 한도를 넘었습니다" in page
    assert "다른 카드나 결제 수단으로 다시 결제해 주세요." in page
    assert "결제사 메시지: [F1006] 카드 한도초과" in page
    assert f'href="/orders/{merchant_uid}/pay"' in page


def test_a_closed_window_says_the_customer_cancelled(app, shopper):
    merchant_uid = shopper.buy()
    page = shopper.client.get(shopper.pay_by_redirect(merchant_uid, "close")).get_data(as_text=True)
    assert "결제를 취소하셨습니다" in page
    assert "다시 결제하기" in page
    assert order_status(app, merchant_uid) == OrderStatus.FAILED


def test_a_virtual_account_page_shows_the_account(app, shopper, sandbox):
    merchant_uid = shopper.buy(pay_method="vbank")
    location = shopper.pay_by_redirect(merchant_uid, "vbank")
    page = shopper.client.get(location).get_data(as_text=True)
    imp_uid = dict(part.split("=") for part in urlsplit(location).query.split("&"))["imp_uid"]
    account = sandbox.get_payment(imp_uid)
    assert "가상계좌가 발급되었습니다" in page
    assert account["vbank_name"] in page
    assert account["vbank_num"] in page
    assert account["vbank_holder"] in page
    assert "까지" in page  # the due date
    assert order_status(app, merchant_uid) == OrderStatus.VBANK_ISSUED


def test_a_forged_amount_is_shown_as_not_confirmed(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    forged = sandbox.insert_payment(merchant_uid=merchant_uid, amount=1000, status="paid")
    page = back(
        shopper.client, imp_uid=forged["imp_uid"], merchant_uid=merchant_uid, imp_success="true"
    ).get_data(as_text=True)
    assert "결제를 확인하지 못했습니다" in page
    assert "주문 금액과 달라" in page
    assert order_status(app, merchant_uid) == OrderStatus.FORGED


def test_an_unanswering_gateway_shows_a_checking_page_that_checks_again(app, shopper, gateway_link):
    merchant_uid = shopper.buy()
    location = shopper.pay_by_redirect(merchant_uid)
    gateway_link.cut()

    waiting = shopper.client.get(location)
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 200
    assert "결제 결과를 확인하고 있습니다" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert order_status(app, merchant_uid) == OrderStatus.PENDING

    gateway_link.restore()
    assert "결제가 완료되었습니다" in shopper.client.get(location).get_data(as_text=True)
    assert order_status(app, merchant_uid) == OrderStatus.PAID


def test_opening_the_return_url_again_or_elsewhere_changes_nothing(app, shopper):
    merchant_uid = shopper.buy()
    location = shopper.pay_by_redirect(merchant_uid)
    first = shopper.client.get(location).get_data(as_text=True)
    again = shopper.client.get(location).get_data(as_text=True)
    elsewhere = app.test_client().get(location).get_data(as_text=True)  # no session cookie
    for page in (first, again, elsewhere):
        assert "결제가 완료되었습니다" in page
    with app.app_context():
        assert db.session.get(Product, 1).stock == 12 - 1


def test_a_payment_of_another_order_is_refused_on_a_friendly_page(app, shopper):
    paid_order = shopper.buy(product_id=6)
    payment = shopper.pay_in_window(paid_order)
    other = shopper.buy(product_id=2)
    response = back(shopper.client, imp_uid=payment, merchant_uid=other, imp_success="true")
    assert response.status_code == 409
    assert "주문 정보가 일치하지 않습니다" in response.get_data(as_text=True)
    assert order_status(app, other) == OrderStatus.PENDING


def test_someone_elses_payment_never_reveals_their_order(app, shopper):
    victim = shopper.buy(product_id=2)
    victims_payment = shopper.pay_in_window(victim)
    attacker = app.test_client()
    for query in (
        {"imp_uid": victims_payment, "merchant_uid": "ord_guess"},
        {"imp_uid": victims_payment},
    ):
        page = back(attacker, **query).get_data(as_text=True)
        assert victim not in page
        assert "원목 사이드 테이블" not in page


def test_a_refusal_before_the_window_is_a_temporary_problem_with_a_retry(app, shopper):
    merchant_uid = shopper.buy()
    opened = shopper.open_window(merchant_uid, "redirect", amount=100)  # not the prepared amount
    assert opened.status_code == 302
    assert "imp_uid" not in opened.headers["Location"]
    response = shopper.client.get(opened.headers["Location"])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "결제 서비스에 일시적인 문제가 있습니다" in page  # F1003: the shop's fault
    assert "사전등록된 결제정보와 결제요청 금액" not in page  # a query's words are not facts
    assert "다시 결제하기" in page
    assert order_status(app, merchant_uid) == OrderStatus.PENDING


def test_an_already_paid_refusal_shows_the_paid_order(app, shopper):
    merchant_uid = shopper.buy()
    stale_tab = shopper.pay_request(merchant_uid)
    shopper.client.get(shopper.pay_by_redirect(merchant_uid))
    again = shopper.open_window(merchant_uid, "redirect", request=stale_tab)
    assert "error_code=F1002" in again.headers["Location"]
    page = shopper.client.get(again.headers["Location"]).get_data(as_text=True)
    assert "결제가 완료되었습니다" in page


def test_the_pgs_message_from_the_gateway_is_escaped(app, shopper, sandbox):
    merchant_uid = shopper.buy()
    failed = shopper.pay_in_window(merchant_uid, "decline")
    sandbox.update_payment(failed, lambda *_: {"fail_reason": '<script>alert("pg")</script>'})
    page = back(shopper.client, imp_uid=failed, merchant_uid=merchant_uid).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;pg&#34;)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ({}, 400, "결제 결과를 확인할 수 없습니다"),
        ({"imp_success": "true"}, 400, "결제 결과를 확인할 수 없습니다"),
        ({"imp_uid": "<b>x</b>", "merchant_uid": "m"}, 400, "결제 결과를 확인할 수 없습니다"),
        ({"imp_uid": "imp_" + "9" * 12}, 404, "결제 정보를 찾을 수 없습니다"),
        ({"merchant_uid": "ord_unknown"}, 404, "결제 정보를 찾을 수 없습니다"),
        ({"imp_uid": "imp_" + "9" * 12, "merchant_uid": "ord_unknown"}, 404, "결제 정보를"),
    ],
)
def test_missing_or_garbled_parameters_get_a_friendly_page(client, query, status, text):
    response = back(client, **query)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert text in page
    assert "<b>x</b>" not in page


def test_a_payment_for_no_order_of_ours_gets_a_friendly_page(client, sandbox):
    stranger = sandbox.insert_payment(merchant_uid="someone-elses-order", status="paid")
    response = back(client, imp_uid=stranger["imp_uid"], merchant_uid="someone-elses-order")
    assert response.status_code == 404
    assert "주문을 찾을 수 없습니다" in response.get_data(as_text=True)
