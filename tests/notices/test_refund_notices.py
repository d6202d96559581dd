"""Every refund is told once, with what came back this time and what is left: an operator's
partial refund, the customer's cancel of the rest, the refunds the shop makes by itself, and a
refund whose answer was lost and found later. The confirmation carries the delivery address."""

import pytest
from sqlalchemy import select

from iamport_sandbox import switchboard
from shop.core.extensions import db
from shop.core.ledger import Notice, Refund
from tests.admin.test_admin import PASSWORD_HASH, operator, refund
from tests.conftest import DATABASES, Shopper, notices, order
from tests.notices.test_notices import paid, sent
from tests.payments.test_cancel import cancel
from tests.payments.test_refunds import LosingTheAnswer, RefusingCancel

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)

LAMP = 5  # 45,500원 and 3,000원 shipping: 48,500원


def bodies(mail_server) -> list[tuple[str, str]]:
    return [(mail["Subject"], mail.get_content()) for mail in mail_server.messages()]


def refund_notices(app) -> list[Notice]:
    with app.app_context():
        query = select(Notice).where(Notice.kind == "refunded").order_by(Notice.id)
        return list(db.session.scalars(query))


def test_a_partial_refund_then_the_customers_cancel_are_each_mailed_once(app, shopper, mail_server):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    merchant_uid = paid(shopper, product_id=LAMP)
    name = order(app, merchant_uid).name
    assert order(app, merchant_uid).amount == 48500

    assert refund(operator(app), merchant_uid, "5,000", reason="색상 불만").status_code == 302
    cancel(shopper, merchant_uid)
    assert sent(app) == (3, 0)
    assert sent(app) == (0, 0)

    _, (partial_subject, partial), (full_subject, full) = bodies(mail_server)
    assert partial_subject == f"[부분 환불] {name} 5,000원이 환불되었습니다"
    assert "5,000원이 환불되었습니다.\n남은 결제 금액: 43,500원\n" in partial
    assert "색상 불만" not in partial  # the operator's words go to PortOne, not to the buyer
    assert full_subject == f"[환불 완료] {name} 결제가 취소되었습니다"
    assert "43,500원이 환불되어 결제하신 48,500원이 모두 환불되었습니다." in full
    assert "환불 사유: 고객 요청에 따른 주문 취소" in full
    assert "주문 금액: 48,500원" in full
    with app.app_context():
        refund_ids = list(db.session.scalars(select(Refund.id).order_by(Refund.id)))
    told = refund_notices(app)
    assert [(n.refund_id, n.key) for n in told] == [(i, f"refund:{i}") for i in refund_ids]


def test_two_partial_refunds_say_how_much_went_back_in_all(app, shopper, mail_server):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    merchant_uid = paid(shopper, product_id=LAMP)
    client = operator(app)
    refund(client, merchant_uid, "5000")
    refund(client, merchant_uid, "3000")
    sent(app)

    second = bodies(mail_server)[-1][1]
    assert (
        "3,000원이 환불되었습니다.\n지금까지 환불된 금액: 8,000원\n남은 결제 금액: 40,500원"
        in second
    )


def test_a_refund_the_shop_makes_by_itself_is_mailed_once_with_its_reason(
    app, shopper, sandbox, mail_server
):
    merchant_uid = shopper.buy()
    switchboard.set(sandbox, "window_reported_amount", 100)
    imp_uid = shopper.pay_in_window(merchant_uid)
    for _ in range(3):
        shopper.complete(imp_uid, merchant_uid)

    assert notices(app, merchant_uid) == ["refunded"]
    assert sent(app) == (1, 0)
    [(subject, body)] = bodies(mail_server)
    assert subject.startswith("[환불 완료]")
    assert "결제하신 100원이 모두 환불되었습니다." in body
    assert "환불 사유: 결제 금액이 주문 금액과 달라 자동으로 환불했습니다." in body


def test_a_second_payment_refunded_by_itself_is_told_while_the_order_stays_paid(
    app, shopper, mail_server
):
    merchant_uid = shopper.buy()
    windows = [shopper.open_window(merchant_uid), shopper.open_window(merchant_uid)]
    first, second = (shopper.decide(window, "approve")[0] for window in windows)
    shopper.complete(first, merchant_uid)
    shopper.complete(second, merchant_uid)

    assert notices(app, merchant_uid) == ["payment_confirmed", "refunded"]
    assert order(app, merchant_uid).status.value == "paid"
    sent(app)
    assert "이미 결제된 주문에 들어온 중복 결제" in bodies(mail_server)[1][1]


def test_a_refund_whose_answer_was_lost_is_mailed_once_when_it_is_found(
    app, shopper, runner, mail_server
):
    merchant_uid = paid(shopper)
    gateway = app.extensions["portone"]
    working = gateway.session.get_adapter(gateway.base_url + "/")
    gateway.session.mount(gateway.base_url + "/payments/cancel", LosingTheAnswer(working))
    assert runner.invoke(args=["refund", merchant_uid, "--amount", "10000"]).exit_code == 1
    assert notices(app, merchant_uid) == ["payment_confirmed"]  # not known to have happened

    gateway.session.adapters.pop(gateway.base_url + "/payments/cancel")
    for _ in range(2):
        runner.invoke(args=["refund", merchant_uid, "--amount", "10000"])

    assert notices(app, merchant_uid) == ["payment_confirmed", "refunded", "refunded"]
    sent(app)
    subjects = [subject for subject, _ in bodies(mail_server)]
    assert [s.split("]")[0] for s in subjects] == ["[주문 확인", "[부분 환불", "[부분 환불"]


def test_a_refused_refund_is_not_mailed(app, shopper, runner):
    merchant_uid = paid(shopper)
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/cancel", RefusingCancel())

    assert runner.invoke(args=["refund", merchant_uid]).exit_code == 1

    assert notices(app, merchant_uid) == ["payment_confirmed"]


def test_money_portone_gave_back_alone_is_told_by_the_status_once(
    app, shopper, webhooks, mail_server
):
    merchant_uid = paid(shopper)
    [imp_uid] = [p.imp_uid for p in order(app, merchant_uid).payments]
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/cancel", data={})
    webhooks()
    shopper.client.post("/payments/webhook", json={"imp_uid": imp_uid})

    assert notices(app, merchant_uid) == ["payment_confirmed", "refunded"]
    sent(app)
    assert "결제하신 64,900원이 모두 환불되었습니다." in bodies(mail_server)[1][1]


def test_the_confirmation_carries_the_delivery_address_and_memo(app, mail_server):
    shopper = Shopper(app.test_client())
    paid(
        shopper,
        same_as_buyer="",
        recipient_name="김철수",
        recipient_tel="01098765432",
        address_detail="101동 202호",
        delivery_memo="문 앞에 놓아 주세요",
    )
    same = paid(Shopper(app.test_client()), product_id=2)
    sent(app)

    with_recipient, as_buyer = (body for _, body in bodies(mail_server))
    assert (
        "[배송지]\n받는 분: 김철수 (010-9876-5432)\n"
        "주소: (06236) 서울특별시 강남구 테헤란로 123 101동 202호\n배송 메모: 문 앞에 놓아 주세요"
    ) in with_recipient
    assert (
        "받는 분: 홍길동 (010-4242-4242)\n주소: (06236) 서울특별시 강남구 테헤란로 123\n"
        in as_buyer
    )
    assert "배송 메모" not in as_buyer
    assert order(app, same).delivery_memo == ""
