"""The customer hears of the goods: when they leave (courier, invoice and tracking link, and
where they go) and when they arrive (and how long a return may be asked); each once, however
often the operator presses."""

import pytest

from shop.core.formatting import korean_date
from shop.core.returns import windows
from tests.admin.test_admin import PASSWORD_HASH, act, operator
from tests.admin.test_shipping import ship
from tests.conftest import DATABASES, order
from tests.notices.test_notices import paid, sent

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def test_shipping_is_mailed_with_the_invoice_and_the_tracking_link(app, shopper, mail_server):
    merchant_uid = paid(shopper)
    client = operator(app)
    assert sent(app) == (1, 0)  # the payment's confirmation

    ship(client, merchant_uid)
    ship(client, merchant_uid)  # pressed twice: the goods left once
    assert sent(app) == (1, 0)

    mail = mail_server.messages()[-1]
    body = mail.get_content()
    assert mail["Subject"] == f"[배송 시작] {order(app, merchant_uid).name} 상품이 출발했습니다"
    assert "택배사: CJ대한통운\n송장번호: 123456789012" in body
    assert "배송 조회: https://trace.cjlogistics.com/next/tracking.html?wblNo=123456789012" in body
    assert "[배송지]\n받는 분: " in body
    assert f"주문번호: {order(app, merchant_uid).number}" in body


def test_delivery_is_mailed_once_with_the_return_window(app, shopper, mail_server):
    merchant_uid = paid(shopper)
    client = operator(app)
    ship(client, merchant_uid)
    act(client, merchant_uid, "fulfilment/delivered")
    act(client, merchant_uid, "fulfilment/delivered")
    act(client, merchant_uid, "fulfilment/confirmed")  # the sale made final is not mailed

    assert sent(app) == (3, 0)
    assert sent(app) == (0, 0)
    subjects = [mail["Subject"] for mail in mail_server.messages()]
    assert subjects[-1] == f"[배송 완료] {order(app, merchant_uid).name} 상품이 도착했습니다"
    body = mail_server.messages()[-1].get_content()
    last = windows(order(app, merchant_uid))
    assert f"단순 변심: {korean_date(last.changed_mind)}까지 (왕복 배송비 고객 부담)" in body
    assert f"불량·설명과 다른 상품·오배송: {korean_date(last.not_as_promised)}까지" in body


def test_a_refused_move_mails_nothing(app, shopper, mail_server):
    merchant_uid = shopper.buy(product_id=1)  # not paid: the goods cannot leave
    assert ship(operator(app), merchant_uid).status_code == 302
    assert sent(app) == (0, 0)
