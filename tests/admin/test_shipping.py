"""The operator moves the goods: 상품준비중, 배송 시작 with a courier and an invoice number,
배송완료, 구매확정; each move once, only while the money allows it, on the order's timeline."""

import threading

import pytest
from sqlalchemy import select, update

from shop.core.couriers import Courier
from shop.core.extensions import db
from shop.core.fulfilment import Fulfilment
from shop.core.ledger import EventSource, Refund
from shop.core.models import Order
from shop.payments import cancellation, shipments
from shop.payments.refunds import RefundRefused
from shop.payments.shipments import Refusal
from tests.admin.test_admin import PASSWORD_HASH, act, flashed, operator, text
from tests.conftest import DATABASES, events, order
from tests.payments.test_refunds import paid

ON_BOTH_DATABASES = pytest.mark.parametrize("app", DATABASES, indirect=True)
INVOICE = {"courier": "CJGLS", "invoice_number": "1234-5678-9012"}


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def ship(client, merchant_uid: str, **fields):
    return act(client, merchant_uid, "ship", **(INVOICE | fields))


def moves_recorded(app) -> list[tuple[str, str | None]]:
    return [(e.outcome, e.detail) for e in events(app, "admin")]


@ON_BOTH_DATABASES
def test_the_operator_ships_with_an_invoice_then_marks_delivery_and_confirmation(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)

    act(client, merchant_uid, "fulfilment/preparing")
    ship(client, merchant_uid)
    page = flashed(client, merchant_uid)

    shipped = order(app, merchant_uid)
    assert (shipped.fulfilment, shipped.courier, shipped.invoice_number) == (
        Fulfilment.SHIPPING,
        Courier.CJ,
        "123456789012",
    )
    assert shipped.shipped_at is not None
    assert "배송 상태: 상품준비중 → 배송중" in page
    assert 'href="https://trace.cjlogistics.com/next/tracking.html?wblNo=123456789012"' in page
    assert "배송완료로 표시" in page and "배송 시작</button>" not in page

    act(client, merchant_uid, "fulfilment/delivered")
    act(client, merchant_uid, "fulfilment/confirmed")

    assert order(app, merchant_uid).fulfilment == Fulfilment.CONFIRMED
    assert moves_recorded(app) == [
        ("fulfilment_preparing", "주문접수 → 상품준비중"),
        ("fulfilment_shipping", "상품준비중 → 배송중 CJ대한통운 123456789012"),
        ("fulfilment_delivered", "배송중 → 배송완료"),
        ("fulfilment_confirmed", "배송완료 → 구매확정"),
    ]
    timeline = flashed(client, merchant_uid)
    assert "배송 상태: 구매확정" in timeline
    assert {(e.order_status_before, e.order_status_after) for e in events(app, "admin")} == {
        ("paid", "paid")
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"courier": ""}, "택배사를 선택해 주세요."),
        ({"courier": "DHL"}, "택배사를 선택해 주세요."),
        ({"invoice_number": ""}, "송장번호를 입력해 주세요."),
        ({"invoice_number": "12345"}, "송장번호는 숫자 10~14자리로 입력해 주세요"),
        ({"invoice_number": "1234567890abc"}, "송장번호는 숫자 10~14자리로 입력해 주세요"),
        ({"invoice_number": "9" * 200}, "송장번호는 숫자 10~14자리로 입력해 주세요"),
        ({"confirm": ""}, "확인란을 선택해 주세요."),
    ],
)
def test_a_bad_shipping_form_says_why_and_ships_nothing(app, shopper, fields, message):
    merchant_uid, _ = paid(shopper)
    answer = ship(operator(app), merchant_uid, **fields)
    assert answer.status_code == 400
    assert message in text(answer)
    assert order(app, merchant_uid).fulfilment == Fulfilment.ORDERED
    assert events(app, "admin") == []


@ON_BOTH_DATABASES
def test_an_order_that_holds_no_money_does_not_ship(app, shopper):
    waiting = shopper.buy(product_id=2)
    client = operator(app)

    ship(client, waiting)
    act(client, waiting, "fulfilment/preparing")

    page = flashed(client, waiting)
    assert "결제 완료 또는 부분 환불 상태의 주문만 가능합니다" in page
    assert "(주문 상태: 결제 대기, 배송 상태: 주문접수)" in page
    assert "배송 시작</button>" not in page
    assert order(app, waiting).fulfilment == Fulfilment.ORDERED
    assert events(app, "admin") == []


@ON_BOTH_DATABASES
def test_no_move_is_made_twice_or_backwards(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)
    ship(client, merchant_uid)

    ship(client, merchant_uid, invoice_number="999999999999")
    act(client, merchant_uid, "fulfilment/preparing")
    act(client, merchant_uid, "fulfilment/confirmed")  # not before 배송완료

    assert "‘구매확정’ 단계로 바꾸지 못했습니다" in flashed(client, merchant_uid)
    assert order(app, merchant_uid).invoice_number == "123456789012"
    assert order(app, merchant_uid).fulfilment == Fulfilment.SHIPPING
    assert [outcome for outcome, _ in moves_recorded(app)] == ["fulfilment_shipping"]


def test_only_the_operators_buttons_have_a_route(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = operator(app)
    for to in ("shipping", "return_refunded", "nowhere"):
        assert act(client, merchant_uid, f"fulfilment/{to}").status_code == 404
    assert order(app, merchant_uid).fulfilment == Fulfilment.ORDERED


def test_nothing_ships_while_a_refund_is_on_its_way(app, shopper):
    merchant_uid, imp_uid = paid(shopper)
    with app.app_context():
        placed = db.session.scalars(select(Order).where(Order.merchant_uid == merchant_uid)).one()
        sending = {"amount": placed.amount, "checksum": placed.amount, "reason": "고객 취소"}
        db.session.add(
            Refund(order_id=placed.id, imp_uid=imp_uid, cause="customer", **sending)
        )  # recorded by a customer's cancel, not yet answered by PortOne
        db.session.commit()
    client = operator(app)

    ship(client, merchant_uid)

    assert "환불을 진행하고 있는 주문입니다" in flashed(client, merchant_uid)
    assert order(app, merchant_uid).fulfilment == Fulfilment.ORDERED


@ON_BOTH_DATABASES
def test_a_customer_cancel_that_comes_after_the_goods_left_is_refused(app, shopper):
    merchant_uid, _ = paid(shopper)
    ship(operator(app), merchant_uid)

    with app.app_context(), pytest.raises(RefundRefused) as refused:
        cancellation.cancel_order(app.extensions["portone"], merchant_uid)

    assert refused.value.message == cancellation.GOODS_SENT
    with app.app_context():
        db.session.rollback()
        assert db.session.scalars(select(Refund)).all() == []


@ON_BOTH_DATABASES
def test_a_move_from_a_state_read_before_another_moved_it_changes_nothing(app, shopper):
    merchant_uid, _ = paid(shopper)
    with app.app_context():
        stale = db.session.scalars(select(Order).where(Order.merchant_uid == merchant_uid)).one()
        db.session.expunge(stale)  # keeps what it read (ordered) through the commit
        db.session.commit()
        with db.engine.begin() as other:
            other.execute(update(Order).values(fulfilment=Fulfilment.PREPARING))
        db.session.add(stale)
        assert stale.fulfilment == Fulfilment.ORDERED
        assert not shipments.conditional_move(stale, Fulfilment.PREPARING, {})
        db.session.commit()
    assert events(app, "admin") == []


@pytest.mark.parametrize("app", ["postgresql"], indirect=True)
def test_two_operators_shipping_at_once_ship_once(app, shopper):
    merchant_uid, _ = paid(shopper)
    barrier = threading.Barrier(2, timeout=30)
    results: dict[str, Refusal | None] = {}

    def operator_ships(invoice: str) -> None:
        with app.app_context():
            found = db.session.scalars(select(Order).where(Order.merchant_uid == merchant_uid))
            placed = found.one()
            barrier.wait()
            results[invoice] = shipments.ship(placed, Courier.HANJIN, invoice, EventSource.ADMIN)
            db.session.commit()

    threads = [threading.Thread(target=operator_ships, args=(n * 12,)) for n in "12"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(results.values(), key=str) == [None, Refusal.NOT_ALLOWED]
    winner = next(invoice for invoice, refusal in results.items() if refusal is None)
    assert order(app, merchant_uid).invoice_number == winner
    assert [outcome for outcome, _ in moves_recorded(app)] == ["fulfilment_shipping"]
