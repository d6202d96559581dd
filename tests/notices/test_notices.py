"""Notices reach the customer by e-mail: each once, outside any request, and retried until the
mail server takes it. A real SMTP server (aiosmtpd) on 127.0.0.1 receives them (conftest.py)."""

import logging
import re
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from shop.core.extensions import db
from shop.core.ledger import Notice
from shop.core.models import SEOUL, as_utc
from shop.notices.outbox import send_due_notices
from tests.conftest import BUYER, DATABASES, notices, order, shop_app
from tests.payments.test_cancel import ACCOUNT, cancel

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)


def paid(shopper, product_id: int = 1, **fields) -> str:
    merchant_uid = shopper.buy(product_id=product_id, **fields)
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    return merchant_uid


def sent(app) -> tuple[int, int]:
    tally = send_due_notices(app)
    return tally.sent, tally.failed


def notice_rows(app) -> list[Notice]:
    with app.app_context():
        return list(db.session.execute(select(Notice).order_by(Notice.id)).scalars())


def time_passes(app) -> None:
    """Every notice waiting for a retry is due now."""
    with app.app_context():
        due = update(Notice).where(Notice.next_attempt_at.is_not(None))
        db.session.execute(due.values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()


def console_deposit(shopper, imp_uid: str) -> None:
    answer = shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    assert answer.status_code == 303, answer.get_data(as_text=True)


def test_a_paid_card_order_is_mailed_once_with_its_number_and_amount(app, shopper, mail_server):
    merchant_uid = paid(shopper)
    assert mail_server.received == []  # nothing is sent inside the request

    assert sent(app) == (1, 0)
    assert sent(app) == (0, 0)

    placed = order(app, merchant_uid)
    [envelope] = mail_server.received
    assert envelope.rcpt_tos == [BUYER["buyer_email"]]
    assert envelope.mail_from == "no-reply@example.com"
    headers = envelope.content.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in headers  # the Korean subject is encoded, not sent raw
    [mail] = mail_server.messages()
    assert mail["Subject"] == f"[주문 확인] {placed.name} 결제가 완료되었습니다"
    assert mail["From"] == "온담 리빙 <no-reply@example.com>"
    assert mail["To"] == BUYER["buyer_email"]
    assert mail["Date"].datetime.tzinfo is not None
    assert mail["Message-ID"].endswith("@example.com>")
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    body = mail.get_content()
    assert f"{BUYER['buyer_name']}님" in body
    assert f"주문번호: {placed.number}" in body
    assert "결제 금액: 64,900원" in body
    assert "배송비" not in body  # free shipping
    link = re.search(r"주문 내역 보기: (http://shop\.test/orders/link/\S+)\n", body).group(1)
    opened = app.test_client().get(link.removeprefix("http://shop.test"))  # another device
    assert BUYER["buyer_email"] in opened.get_data(as_text=True)
    assert "http://shop.test/orders/lookup" in body
    [notice] = notice_rows(app)
    assert (notice.attempts, notice.last_error, notice.next_attempt_at) == (1, None, None)
    assert notice.sent_at is not None


def test_the_shipping_fee_is_itemised_when_one_is_charged(app, shopper, mail_server):
    merchant_uid = paid(shopper, product_id=3)
    placed = order(app, merchant_uid)
    assert placed.shipping_fee > 0

    sent(app)

    body = mail_server.messages()[0].get_content()
    assert f"상품 금액: {placed.goods_amount:,}원\n배송비: {placed.shipping_fee:,}원\n" in body
    assert f"결제 금액: {placed.amount:,}원" in body


def test_an_issued_virtual_account_is_mailed_and_then_the_deposit(
    app, shopper, sandbox, webhooks, mail_server
):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    webhooks()
    assert sent(app) == (1, 0)

    account = sandbox.get_payment(imp_uid)
    due = datetime.fromtimestamp(account["vbank_date"], SEOUL).strftime("%Y-%m-%d %H:%M")
    [issued] = mail_server.messages()
    assert issued["Subject"].startswith("[입금 안내]")
    body = issued.get_content()
    assert f"은행: {account['vbank_name']}\n계좌번호: {account['vbank_num']}\n" in body
    assert f"입금 기한: {due}까지" in body
    assert f"주문번호: {order(app, merchant_uid).number}" in body

    console_deposit(shopper, imp_uid)
    webhooks()

    assert notices(app, merchant_uid) == ["vbank_issued", "deposit_received"]
    assert sent(app) == (1, 0)
    deposited = mail_server.messages()[1]
    assert (
        deposited["Subject"] == f"[입금 확인] {order(app, merchant_uid).name} 입금이 확인되었습니다"
    )
    assert "64,900원 입금이 확인되었습니다" in deposited.get_content()
    assert "[배송지]\n받는 분: 홍길동 (010-4242-4242)\n" in deposited.get_content()
    assert "[배송지]" not in issued.get_content()  # told once the money is in


def test_a_refund_is_mailed_and_the_command_says_how_many_went(app, shopper, runner, mail_server):
    merchant_uid = paid(shopper)
    assert runner.invoke(args=["send-notices"]).output == "알림 1건 보냄, 0건 실패.\n"

    assert runner.invoke(args=["refund", merchant_uid]).exit_code == 0
    result = runner.invoke(args=["send-notices"])

    assert result.output == "알림 1건 보냄, 0건 실패.\n"
    refunded = mail_server.messages()[1]
    assert refunded["Subject"].startswith("[환불 완료]")
    assert "결제하신 64,900원이 모두 환불되었습니다." in refunded.get_content()


def test_the_account_a_refund_goes_to_is_never_mailed(app, shopper, mail_server):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    console_deposit(shopper, imp_uid)
    shopper.complete(imp_uid, merchant_uid)
    cancel(shopper, merchant_uid, **ACCOUNT)
    assert notices(app, merchant_uid) == ["deposit_received", "refunded"]

    assert sent(app) == (2, 0)

    for envelope in mail_server.received:
        assert ACCOUNT["refund_account"].encode() not in envelope.content
    bodies = [mail.get_content() for mail in mail_server.messages()]
    assert not any(ACCOUNT["refund_account"] in body for body in bodies)
    assert not any(ACCOUNT["refund_account"].replace("-", "") in body for body in bodies)


def test_a_notice_being_sent_is_not_sent_again_by_another_sender(app, shopper, mail_server):
    paid(shopper)
    mail_server.release.clear()
    first = threading.Thread(target=send_due_notices, args=(app,))
    first.start()
    assert mail_server.holding.wait(5)

    assert sent(app) == (0, 0)  # claimed by the first sender, which is still sending

    mail_server.release.set()
    first.join(5)
    assert len(mail_server.received) == 1


def test_senders_started_together_mail_each_notice_once(app, shopper, mail_server):
    for product_id in (1, 2, 4):
        paid(shopper, product_id=product_id)
    start = threading.Barrier(3)
    tallies = []

    def send_when_all_are_ready():
        start.wait()
        tallies.append(sent(app))

    senders = [threading.Thread(target=send_when_all_are_ready) for _ in range(3)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(10)

    assert len(tallies) == 3
    assert sum(done for done, _ in tallies) == 3
    assert all(failed == 0 for _, failed in tallies)
    assert sorted(m["Subject"] for m in mail_server.messages()) == sorted(
        n.subject for n in notice_rows(app)
    )
    assert sent(app) == (0, 0)


def test_a_mail_server_that_is_down_loses_nothing_and_gets_the_notice_when_it_is_time(
    app, shopper, mail_server
):
    mail_server.stop()
    paid(shopper)
    before = datetime.now(UTC)

    assert sent(app) == (0, 1)

    [notice] = notice_rows(app)
    assert notice.sent_at is None
    assert notice.attempts == 1
    assert notice.last_error.startswith("ConnectionRefusedError")
    assert as_utc(notice.next_attempt_at) >= before + timedelta(seconds=59)
    assert sent(app) == (0, 0)  # not before its time

    mail_server.start()
    assert sent(app) == (0, 0)
    time_passes(app)
    assert sent(app) == (1, 0)

    [notice] = notice_rows(app)
    assert (notice.attempts, notice.last_error, notice.next_attempt_at) == (2, None, None)
    assert notice.sent_at is not None
    assert len(mail_server.received) == 1


@pytest.mark.parametrize("settings", [{"NOTICE_MAX_ATTEMPTS": "2"}])
def test_a_notice_is_given_up_after_the_last_attempt_and_kept(app, shopper, mail_server, caplog):
    mail_server.stop()
    paid(shopper)

    assert sent(app) == (0, 1)
    time_passes(app)
    with caplog.at_level(logging.WARNING, "shop.notices.outbox"):
        assert sent(app) == (0, 1)
    time_passes(app)
    assert sent(app) == (0, 0)

    [notice] = notice_rows(app)
    assert (notice.attempts, notice.sent_at, notice.next_attempt_at) == (2, None, None)
    assert notice.last_error.startswith("ConnectionRefusedError")
    assert [r.levelname for r in caplog.records if "given up" in r.getMessage()] == ["WARNING"]


@pytest.mark.parametrize("settings", [{"MAIL_SERVER": None}])
def test_without_a_mail_server_the_sandbox_keeps_notices_in_its_mailbox(app, shopper, mail_server):
    first = paid(shopper, buyer_name="<i>홍</i><script>")
    second = paid(shopper)

    assert sent(app) == (2, 0)

    assert mail_server.received == []
    page = shopper.client.get("/sandbox/mailbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<i>홍" not in html and "<script>" not in html
    assert "&lt;i&gt;홍&lt;/i&gt;&lt;script&gt;님, 안녕하세요." in html
    numbers = [order(app, uid).number for uid in (first, second)]
    assert html.index(numbers[1]) < html.index(numbers[0])  # newest first
    assert f"주문번호: {numbers[0]}\n상품명: " in html  # line breaks kept
    assert f'받는 사람 <span class="mono">{BUYER["buyer_email"]}</span>' in html
    console = shopper.client.get("/sandbox/").get_data(as_text=True)
    assert 'href="/sandbox/mailbox"' in console


def test_live_mode_without_a_mail_server_keeps_notices_and_says_so_once(
    app, shopper, tmp_path, caplog
):
    paid(shopper)
    live = shop_app(
        tmp_path / "live",
        DATABASE_URL=app.config["DATABASE_URL"],
        PAYMENT_MODE="live",
        IMP_CODE="imp12345678",
        IMP_KEY="live_key",
        IMP_SECRET="live_secret",
        MAIL_SERVER=None,
    )
    try:
        with caplog.at_level(logging.WARNING, "shop.notices.outbox"):
            assert send_due_notices(live).configured is False
            assert send_due_notices(live).configured is False
        result = live.test_cli_runner().invoke(args=["send-notices"])
    finally:
        with live.app_context():
            db.engine.dispose()

    assert result.exit_code == 1
    assert "MAIL_SERVER" in result.output
    warnings = [r for r in caplog.records if "MAIL_SERVER" in r.getMessage()]
    assert [r.levelname for r in warnings] == ["WARNING"]
    [notice] = notice_rows(app)
    assert (notice.sent_at, notice.attempts) == (None, 0)


@pytest.mark.parametrize("settings", [{"NOTICE_SENDER": "thread", "NOTICE_SEND_INTERVAL": "60"}])
def test_the_background_sender_mails_after_the_commit_while_nobody_waits(app, shopper, mail_server):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    mail_server.release.clear()  # the server takes the message only when the test says so

    answer = shopper.complete(imp_uid, merchant_uid)

    assert answer.json["status"] == "success"  # answered while the mail is still on its way
    # Woken by the commit: the 60-second interval has not passed.
    assert mail_server.holding.wait(5), "the background sender did not start sending"
    assert mail_server.received == []
    mail_server.release.set()
    [mail] = mail_server.wait_for(1)
    assert mail["Subject"].startswith("[주문 확인]")
    assert wait_until_sent(app), "the sender did not record the notice as sent"


@pytest.mark.parametrize("settings", [{"NOTICE_SENDER": "thread", "NOTICE_SEND_INTERVAL": "0.1"}])
def test_the_background_sender_retries_by_itself_when_the_time_comes(app, shopper, mail_server):
    mail_server.stop()
    paid(shopper)
    assert wait_until(lambda: notice_rows(app)[0].attempts == 1), "no first attempt"

    mail_server.start()
    time_passes(app)

    assert len(mail_server.wait_for(1)) == 1
    assert wait_until_sent(app)


def wait_until(condition, timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def wait_until_sent(app) -> bool:
    return wait_until(lambda: all(n.sent_at is not None for n in notice_rows(app)))
