"""KG이니시스's escrow status webhook (Inicis.Escrow.Changed) through POST /payments/webhook:
구매확인 makes a shipped escrow order 구매확정, 구매거절 puts it in the admin's queue, 배송등록
is recorded; only for orders PortOne holds as shipped escrow payments, and only once."""

import pytest

from iamport_sandbox import switchboard
from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.models import Order
from shop.payments.escrow_changes import Verdict
from tests.admin.test_admin import PASSWORD_HASH, act, operator
from tests.conftest import DATABASES, events, order
from tests.helpers import page_of
from tests.payments.test_escrow_shipment import escrow_paid, ship
from tests.payments.test_refunds import paid

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


@pytest.fixture
def shipped(app, shopper) -> tuple[str, str]:
    """An escrow order shipped in the admin, its parcel registered with PortOne."""
    merchant_uid, imp_uid = escrow_paid(shopper)
    ship(app, merchant_uid)
    assert order(app, merchant_uid).escrow_registered_at is not None
    return merchant_uid, imp_uid


def escrow_webhook(client, imp_uid, merchant_uid, escrow_status, form=False, **extra):
    body = {
        "event": "Inicis.Escrow.Changed",
        "imp_uid": imp_uid,
        "merchant_uid": merchant_uid,
        "status": "paid",
    }
    fields = {"escrow_status": escrow_status, "changed_at": 1_765_000_000, **extra}
    if form:
        body |= {f"extra[{key}]": value for key, value in fields.items()}
        return client.post("/payments/webhook", data=body)
    return client.post("/payments/webhook", json=body | {"extra": fields})


def verdicts(app) -> list[str]:
    return [e.outcome for e in events(app) if e.outcome.startswith("escrow_") and e.claim]


def moves(app) -> list[str]:
    return [e.outcome for e in events(app) if e.outcome.startswith("fulfilment_")]


@pytest.mark.parametrize("escrow_status", ["3", "31", "32"])
@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_a_purchase_confirmation_makes_the_order_final(app, client, shipped, escrow_status, form):
    merchant_uid, imp_uid = shipped

    answer = escrow_webhook(client, imp_uid, merchant_uid, escrow_status, form=form)

    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "outcome": Verdict.CONFIRMED.value}
    assert order(app, merchant_uid).fulfilment is Fulfilment.CONFIRMED
    assert moves(app)[-2:] == ["fulfilment_delivered", "fulfilment_confirmed"]


def test_the_same_confirmation_twice_moves_once(app, client, shipped):
    merchant_uid, imp_uid = shipped

    answers = [escrow_webhook(client, imp_uid, merchant_uid, "3") for _ in range(2)]

    assert [a.status_code for a in answers] == [200, 200]
    assert moves(app) == ["fulfilment_shipping", "fulfilment_delivered", "fulfilment_confirmed"]
    assert verdicts(app) == ["escrow_confirmed", "escrow_ignored"]


def test_the_buyers_button_in_the_sandbox_reaches_the_shop(app, shopper, shipped, webhooks):
    merchant_uid, imp_uid = shipped

    confirmed = shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/escrow/confirm")
    webhooks()

    assert confirmed.status_code == 303
    assert order(app, merchant_uid).fulfilment is Fulfilment.CONFIRMED


def test_a_denial_puts_the_order_in_the_admins_queue(app, client, shipped):
    merchant_uid, imp_uid = shipped

    escrow_webhook(client, imp_uid, merchant_uid, "4", denied_reason="상품이 파손되었어요")
    escrow_webhook(client, imp_uid, merchant_uid, "4", denied_reason="다시 보냄")

    denied = order(app, merchant_uid)
    assert denied.fulfilment is Fulfilment.SHIPPING
    assert denied.escrow_denied_reason == "상품이 파손되었어요"
    assert verdicts(app) == ["escrow_denied", "escrow_ignored"]
    admin = operator(app)
    listed = page_of(admin.get("/admin/?escrow_denied=y"))
    assert denied.number in listed and "에스크로 구매거절 1건" in listed
    assert "에스크로 구매거절: 상품이 파손되었어요" in page_of(
        admin.get(f"/admin/orders/{merchant_uid}")
    )


def test_the_denial_queue_lists_only_denied_orders(app, client, shopper, shipped):
    other, _ = escrow_paid(shopper)

    listed = page_of(operator(app).get("/admin/?escrow_denied=y"))

    assert order(app, other).number not in listed
    assert order(app, shipped[0]).number not in listed


def test_a_shipping_registration_is_only_recorded(app, client, shipped):
    merchant_uid, imp_uid = shipped

    answer = escrow_webhook(client, imp_uid, merchant_uid, "2")

    assert answer.json["outcome"] == Verdict.NOTED.value
    assert order(app, merchant_uid).fulfilment is Fulfilment.SHIPPING
    assert moves(app) == ["fulfilment_shipping"]


def test_a_registration_whose_answer_was_lost_is_confirmed_by_the_webhook(app, client, shipped):
    merchant_uid, imp_uid = shipped
    with app.app_context():
        lost = db.session.query(Order).filter_by(merchant_uid=merchant_uid).one()
        lost.escrow_registered_at, lost.escrow_error = None, "PortOne이 응답하지 않았습니다."
        db.session.commit()

    escrow_webhook(client, imp_uid, merchant_uid, "2")

    heard = order(app, merchant_uid)
    assert heard.escrow_registered_at is not None and heard.escrow_error is None


def test_a_non_escrow_order_is_recorded_and_ignored(app, client, shopper):
    merchant_uid, imp_uid = paid(shopper)
    ship(app, merchant_uid)

    answer = escrow_webhook(client, imp_uid, merchant_uid, "3")

    assert answer.status_code == 200
    assert answer.json["outcome"] == Verdict.IGNORED.value
    assert order(app, merchant_uid).fulfilment is Fulfilment.SHIPPING


def test_an_unshipped_escrow_order_is_not_moved(app, client, shopper):
    merchant_uid, imp_uid = escrow_paid(shopper)

    answer = escrow_webhook(client, imp_uid, merchant_uid, "3")

    assert answer.json["outcome"] == Verdict.IGNORED.value
    assert order(app, merchant_uid).fulfilment is Fulfilment.ORDERED


def test_a_forged_confirmation_for_an_unregistered_parcel_moves_nothing(
    app, client, shopper, gateway_link
):
    merchant_uid, imp_uid = escrow_paid(shopper)
    gateway_link.cut()
    ship(app, merchant_uid)  # shipped, but PortOne never heard of the parcel
    gateway_link.restore()

    answer = escrow_webhook(client, imp_uid, merchant_uid, "3")

    assert answer.json["outcome"] == Verdict.IGNORED.value
    assert order(app, merchant_uid).fulfilment is Fulfilment.SHIPPING
    [ignored] = [e for e in events(app) if e.outcome == Verdict.IGNORED.value]
    assert "송장이 배송정보로 등록되어 있지 않습니다" in ignored.detail


def test_a_change_for_a_payment_portone_does_not_have_is_answered_200(app, client):
    answer = escrow_webhook(client, "imp_000000000000", "ord_unknown", "3")

    assert answer.status_code == 200
    assert answer.json["outcome"] == Verdict.IGNORED.value


def test_an_unknown_escrow_status_is_recorded_and_ignored(app, client, shipped):
    merchant_uid, imp_uid = shipped

    answer = escrow_webhook(client, imp_uid, merchant_uid, "99")

    assert answer.json["outcome"] == Verdict.IGNORED.value
    assert order(app, merchant_uid).fulfilment is Fulfilment.SHIPPING


def test_portone_out_of_reach_asks_for_a_retry(app, client, shipped, gateway_link):
    merchant_uid, imp_uid = shipped
    gateway_link.cut()

    answer = escrow_webhook(client, imp_uid, merchant_uid, "3")

    assert answer.status_code == 503
    gateway_link.restore()
    assert order(app, merchant_uid).fulfilment is Fulfilment.SHIPPING


def test_a_form_webhook_sent_by_the_sandbox_as_the_pg_is_understood(
    app, shopper, shipped, webhooks, sandbox
):
    merchant_uid, imp_uid = shipped
    switchboard.set(sandbox, "webhook_format", "form")

    sent = shopper.client.post(
        f"/sandbox/dashboard/payments/{imp_uid}/escrow/webhook", data={"escrow_status": "32"}
    )
    webhooks()

    assert sent.status_code == 303
    assert order(app, merchant_uid).fulfilment is Fulfilment.CONFIRMED


def test_a_denied_order_is_taken_back_as_a_return_and_leaves_the_queue(app, client, shipped):
    merchant_uid, imp_uid = shipped
    escrow_webhook(client, imp_uid, merchant_uid, "4", denied_reason="상품이 파손되었어요")
    admin = operator(app)
    page = page_of(admin.get(f"/admin/orders/{merchant_uid}"))
    assert (
        "반품 접수</button>" in page and "에스크로 구매거절: 상품이 파손되었어요</textarea>" in page
    )

    taken = act(admin, merchant_uid, "return", reason="defective", detail="파손 사진 확인")

    assert taken.status_code == 302
    returned = order(app, merchant_uid)
    assert returned.fulfilment is Fulfilment.RETURN_REQUESTED
    listed = page_of(admin.get("/admin/?escrow_denied=y"))
    assert returned.number not in listed
    assert "에스크로 구매거절: 상품이 파손되었어요" not in page_of(
        admin.get(f"/admin/orders/{merchant_uid}")
    )
