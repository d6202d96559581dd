"""An escrow order's parcel is registered with PortOne (POST /escrows/logis) once it ships:
once, with the shop as sender and the order's recipient as receiver; a non-escrow order sends
nothing; a parcel PortOne did not take is registered by reconciliation, and only once."""

from datetime import UTC

import pytest

from shop.core.extensions import db
from shop.core.ledger import Payment
from shop.payments.escrow import Registration
from tests.admin.test_admin import PASSWORD_HASH, act, operator
from tests.conftest import events, order
from tests.payments.test_refunds import paid

INVOICE = {"courier": "CJGLS", "invoice_number": "1234-5678-9012"}
RECIPIENT = {
    "same_as_buyer": "",
    "recipient_name": "김철수",
    "recipient_tel": "010-5555-6666",
    "address_detail": "101동 202호",
}


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


@pytest.fixture
def escrow_calls(app) -> list[str]:
    """The method of every request the shop sends to PortOne's escrow API."""
    calls: list[str] = []

    def seen(response, **_):
        if "/escrows/logis/" in response.request.url:
            calls.append(response.request.method)

    app.extensions["portone"].session.hooks["response"].append(seen)
    return calls


def escrow_paid(shopper, **fields) -> tuple[str, str]:
    merchant_uid = shopper.buy(**fields)
    imp_uid = shopper.pay_in_window(merchant_uid, escrow=True)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid, imp_uid


def ship(app, merchant_uid: str):
    return act(operator(app), merchant_uid, "ship", **INVOICE)


def registered_logis(app, imp_uid: str) -> dict:
    with app.app_context():
        return app.extensions["portone"].escrow_shipment(imp_uid)


def registrations(app) -> list[str]:
    return [e.outcome for e in events(app) if e.outcome.startswith("escrow_")]


def test_the_fetched_payment_says_whether_it_is_escrow(app, shopper):
    _, escrow_uid = escrow_paid(shopper)
    _, card_uid = paid(shopper)

    with app.app_context():
        flags = {p.imp_uid: p.escrow for p in db.session.query(Payment)}

    assert flags == {escrow_uid: True, card_uid: False}


def test_shipping_an_escrow_order_registers_its_parcel_once(app, shopper, sandbox, escrow_calls):
    merchant_uid, imp_uid = escrow_paid(shopper, **RECIPIENT)

    ship(app, merchant_uid)

    shipped = order(app, merchant_uid)
    assert escrow_calls == ["POST"]
    assert registered_logis(app, imp_uid) | {"applied_at": None} == {
        "company": "CJGLS",
        "invoice": "123456789012",
        "sent_at": int(shipped.shipped_at.replace(tzinfo=UTC).timestamp()),
        "applied_at": None,
    }
    stored = sandbox.logis(imp_uid)
    assert stored["sender"] == {
        "name": "온담 리빙 물류센터 (예시)",
        "tel": "02-000-0000",
        "addr": "서울특별시 강남구 테헤란로 000 (예시 주소)",
        "postcode": "06236",
    }
    assert stored["receiver"] == {
        "name": "김철수",
        "tel": "010-5555-6666",
        "addr": "서울특별시 강남구 테헤란로 123 101동 202호",
        "postcode": "06236",
    }
    assert shipped.escrow_registered_at is not None and shipped.escrow_error is None
    assert registrations(app) == [Registration.REGISTERED.value]


def test_a_non_escrow_order_registers_nothing(app, shopper, sandbox, escrow_calls, runner):
    merchant_uid, imp_uid = paid(shopper)

    ship(app, merchant_uid)
    runner.invoke(args=["reconcile"])

    assert escrow_calls == []
    assert sandbox.logis(imp_uid) is None
    assert order(app, merchant_uid).escrow_registered_at is None
    assert registrations(app) == []


def test_a_parcel_portone_did_not_hear_of_is_registered_by_reconcile_once(
    app, shopper, gateway_link, runner, escrow_calls
):
    merchant_uid, imp_uid = escrow_paid(shopper)
    gateway_link.cut()
    ship(app, merchant_uid)
    gateway_link.restore()

    down = order(app, merchant_uid)
    assert down.shipped_at is not None and down.escrow_registered_at is None
    assert down.escrow_error == "PortOne이 제한 시간 안에 응답하지 않았습니다."

    first = runner.invoke(args=["reconcile"])
    second = runner.invoke(args=["reconcile"])

    assert escrow_calls == ["POST"]  # the cut one never reached PortOne
    assert f"{merchant_uid}: 에스크로 배송정보 등록" in first.output
    assert merchant_uid not in second.output
    assert registered_logis(app, imp_uid)["invoice"] == "123456789012"
    assert order(app, merchant_uid).escrow_error is None
    assert registrations(app) == ["escrow_failed", "escrow_registered"]


def test_a_refusal_is_kept_and_reconcile_says_it_failed(app, shopper, runner):
    app.config["SHIPPING_ORIGIN"] = {}  # KG이니시스 needs the sender's name
    merchant_uid, _ = escrow_paid(shopper)
    ship(app, merchant_uid)

    result = runner.invoke(args=["reconcile"])

    assert "sender.name" in order(app, merchant_uid).escrow_error
    assert "에스크로 배송정보 등록 실패" in result.output
    assert result.exit_code == 1


def test_a_parcel_registered_already_is_changed_to_what_the_shop_sent(app, shopper, escrow_calls):
    merchant_uid, imp_uid = escrow_paid(shopper)
    person = {"name": "온담", "tel": "02-000-0000", "addr": "서울", "postcode": "06236"}
    logis = {"company": "EPOST", "invoice": "1", "sent_at": 1}
    earlier = {"sender": person, "receiver": person, "logis": logis}  # its answer was lost
    with app.app_context():
        app.extensions["portone"].register_escrow_shipment(imp_uid, earlier)
    escrow_calls.clear()

    ship(app, merchant_uid)

    assert escrow_calls == ["POST", "GET", "PUT"]
    assert registered_logis(app, imp_uid)["invoice"] == "123456789012"
    assert order(app, merchant_uid).escrow_registered_at is not None
