"""The operator sees an escrow parcel PortOne has not registered, with what PortOne said, and
registers it again with 다시 등록; the goods stay 배송중 throughout."""

import pytest

from shop.core.fulfilment import Fulfilment
from tests.admin.test_admin import PASSWORD_HASH, act, flashed, operator
from tests.conftest import Shopper, order
from tests.payments.test_escrow_shipment import INVOICE, escrow_paid
from tests.payments.test_refunds import paid

NOT_REGISTERED = "PortOne에 에스크로 배송정보를 등록하지 못했습니다."
RETRY = "다시 등록</button>"


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def retry(client, merchant_uid: str):
    data = {"csrf_token": Shopper(client).csrf_token()}
    return client.post(f"/admin/orders/{merchant_uid}/escrow", data=data)


def test_portone_down_keeps_the_move_and_shows_what_it_said(app, shopper, gateway_link):
    merchant_uid, _ = escrow_paid(shopper)
    client = operator(app)
    gateway_link.cut()

    act(client, merchant_uid, "ship", **INVOICE)
    page = flashed(client, merchant_uid)

    assert order(app, merchant_uid).fulfilment == Fulfilment.SHIPPING
    assert "배송 상태: 주문접수 → 배송중" in page
    assert f"{NOT_REGISTERED} PortOne의 답: PortOne이 제한 시간 안에 응답하지 않았습니다." in page
    assert RETRY in page
    assert "에스크로 배송정보 등록 실패" in page  # on the timeline


def test_the_retry_button_registers_the_parcel(app, shopper, gateway_link):
    merchant_uid, _ = escrow_paid(shopper)
    client = operator(app)
    gateway_link.cut()
    act(client, merchant_uid, "ship", **INVOICE)
    gateway_link.restore()

    answer = retry(client, merchant_uid)
    page = flashed(client, merchant_uid)

    assert answer.status_code == 302
    assert "PortOne에 에스크로 배송정보를 등록했습니다." in page
    assert NOT_REGISTERED not in page and RETRY not in page
    assert order(app, merchant_uid).escrow_registered_at is not None


def test_a_registered_parcel_shows_no_retry(app, shopper):
    merchant_uid, _ = escrow_paid(shopper)
    client = operator(app)
    act(client, merchant_uid, "ship", **INVOICE)

    answer = retry(client, merchant_uid)
    page = flashed(client, merchant_uid)

    assert answer.status_code == 302
    assert "다시 등록할 에스크로 배송정보가 없습니다" in page
    assert "에스크로 배송정보 PortOne 등록" in page and RETRY not in page


def test_a_non_escrow_order_shows_nothing_of_escrow(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)

    act(client, merchant_uid, "ship", **INVOICE)
    page = flashed(client, merchant_uid)

    assert "에스크로 배송정보" not in page and RETRY not in page


def test_a_retry_without_its_token_is_refused(app, shopper):
    merchant_uid, _ = escrow_paid(shopper)

    answer = operator(app).post(f"/admin/orders/{merchant_uid}/escrow")

    assert answer.status_code == 400
