"""The merchant's admin: reachable only after the login, every change a confirmed POST with CSRF,
refunds and syncs through the shop's own services, and nothing the gateway or a customer
wrote ever rendered as HTML."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from shop.admin.auth import WRONG_PASSWORD
from shop.admin.sessions import LIFETIME, AdminSession
from shop.core.extensions import db
from shop.core.ledger import Payment, PaymentEvent, Refund
from shop.core.models import Order, OrderStatus, Product
from tests.conftest import DATABASES, Shopper, events, order, order_status
from tests.payments.test_refunds import RefusingCancel, paid

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = generate_password_hash(PASSWORD)
ACCOUNT = {"refund_holder": "홍길동", "refund_bank": "088", "refund_account": "110-123-456789"}
ON_BOTH_DATABASES = pytest.mark.parametrize("app", DATABASES, indirect=True)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def admin_password(app):
    """The config is read on every request, so a test may take the hash away again."""
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def log_in(client, password=PASSWORD, next_page=None):
    query = f"?next={next_page}" if next_page else ""
    data = {"password": password, "csrf_token": Shopper(client).csrf_token()}
    return client.post("/admin/login" + query, data=data)


def operator(app):
    """A browser of its own, logged in (a login clears the session it happens in)."""
    client = app.test_client()
    assert log_in(client).status_code == 302
    return client


def act(client, merchant_uid: str, action: str, **fields):
    data = {"csrf_token": Shopper(client).csrf_token(), "confirm": "y"} | fields
    return client.post(f"/admin/orders/{merchant_uid}/{action}", data=data)


def refund(client, merchant_uid: str, amount, reason="반품 접수", **fields):
    return act(client, merchant_uid, "refund", amount=amount, reason=reason, **fields)


def text(response) -> str:
    return response.get_data(as_text=True)


def flashed(client, merchant_uid: str) -> str:
    return text(client.get(f"/admin/orders/{merchant_uid}"))


def listed_numbers(client, query: str = "") -> list[str]:
    page = text(client.get("/admin/" + query))
    return re.findall(r'class="order-number" href="[^"]+">([^<]+)</a>', page)


def refunds_of(app) -> list[Refund]:
    with app.app_context():
        return list(db.session.execute(select(Refund).order_by(Refund.id)).scalars())


def change(app, model, where, **values):
    with app.app_context():
        db.session.execute(update(model).where(where).values(**values))
        db.session.commit()


# Login


def test_without_a_password_hash_every_admin_page_says_how_to_set_one(app, shopper):
    merchant_uid = shopper.buy()
    for configured in (None, "", PASSWORD):  # a password pasted in place of its hash
        app.config["ADMIN_PASSWORD_HASH"] = configured
        for path in ("/admin/", "/admin/login", f"/admin/orders/{merchant_uid}"):
            answer = app.test_client().get(path)
            assert answer.status_code == 503
            assert "flask --app shop admin-password" in text(answer)
        assert log_in(app.test_client(), PASSWORD).status_code == 503
    assert "해시 형식이 아닙니다" in text(app.test_client().get("/admin/"))


def test_every_admin_page_needs_the_login(app, shopper):
    merchant_uid, _ = paid(shopper)
    pages = ["/admin/", "/admin/review", f"/admin/orders/{merchant_uid}", "/admin/orders/nobody"]
    for path in pages:
        answer = shopper.client.get(path)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/admin/login?next=")

    for action in ("refund", "sync", "ship"):  # with a valid token of the customer's session
        answer = act(shopper.client, merchant_uid, action, amount="1000", reason="x")
        assert (answer.status_code, answer.headers["Location"]) == (302, "/admin/login")
    assert shopper.client.post("/admin/logout").status_code == 400  # no token: refused first

    assert refunds_of(app) == []
    assert order(app, merchant_uid).shipped_at is None
    assert events(app, "admin") == []


def test_a_wrong_password_gets_the_same_neutral_answer(app):
    client = app.test_client()
    for attempt in ("wrong", PASSWORD + " ", PASSWORD.upper()):
        answer = log_in(client, attempt)
        assert answer.status_code == 200
        assert WRONG_PASSWORD in text(answer)
    assert client.get("/admin/").status_code == 302


def test_login_attempts_are_rate_limited_per_address(app):
    client = app.test_client()
    assert [log_in(client, "wrong").status_code for _ in range(5)] == [200] * 5
    limited = log_in(client, PASSWORD)
    assert limited.status_code == 429
    assert "요청이 너무 많습니다" in text(limited)
    assert client.get("/admin/").status_code == 302
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert log_in(elsewhere).status_code == 302


def test_the_login_starts_a_new_session_without_the_customers_keys(app, shopper):
    shopper.buy()
    before = shopper.client.get_cookie("session", domain="shop.test").value

    answer = log_in(shopper.client, next_page="/admin/review")

    assert (answer.status_code, answer.headers["Location"]) == (302, "/admin/review")
    assert shopper.client.get_cookie("session", domain="shop.test").value != before
    with shopper.client.session_transaction() as session:
        assert not {"cart", "orders", "csrf_token"} & set(session)
        assert "admin" in session


@pytest.mark.parametrize("target", ["https://evil.example/admin/", "//evil.example/", "/cart"])
def test_the_login_returns_only_to_an_admin_page(app, target):
    answer = log_in(app.test_client(), next_page=target)
    assert answer.headers["Location"] == "/admin/"


def test_logout_is_a_post_with_a_token(app):
    client = operator(app)
    assert client.get("/admin/logout").status_code == 405
    assert client.post("/admin/logout").status_code == 400
    assert client.get("/admin/").status_code == 200

    answer = client.post("/admin/logout", data={"csrf_token": Shopper(client).csrf_token()})

    assert (answer.status_code, answer.headers["Location"]) == (302, "/admin/login")
    assert client.get("/admin/").status_code == 302


def test_a_copy_of_the_cookie_dies_with_the_logout(app):
    client = operator(app)
    stolen = app.test_client()
    stolen.set_cookie(
        "session", client.get_cookie("session", "shop.test").value, domain="shop.test"
    )
    assert stolen.get("/admin/").status_code == 200

    client.post("/admin/logout", data={"csrf_token": Shopper(client).csrf_token()})

    assert stolen.get("/admin/").status_code == 302


def test_a_session_lasts_a_working_day(app):
    client = operator(app)
    with app.app_context():
        db.session.execute(update(AdminSession).values(created_at=datetime.now(UTC) - LIFETIME))
        db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_a_new_password_ends_the_sessions_of_the_old_one(app):
    client = operator(app)
    app.config["ADMIN_PASSWORD_HASH"] = generate_password_hash("another long password")
    assert client.get("/admin/").status_code == 302


def test_the_login_and_every_action_need_the_csrf_token(app, shopper):
    merchant_uid, _ = paid(shopper)
    client = app.test_client()
    assert client.post("/admin/login", data={"password": PASSWORD}).status_code == 400
    assert client.get("/admin/").status_code == 302

    client = operator(app)
    for action in ("refund", "sync", "ship"):
        data = {"confirm": "y", "amount": "1000", "reason": "x", "csrf_token": "forged"}
        assert client.post(f"/admin/orders/{merchant_uid}/{action}", data=data).status_code == 400
    assert refunds_of(app) == []
    assert order(app, merchant_uid).shipped_at is None


def test_admin_pages_are_never_cached(app):
    answer = operator(app).get("/admin/")
    assert answer.headers["Cache-Control"] == "no-store"


def test_the_admin_password_command_prints_a_hash_of_the_password(app, runner):
    typed = "a long enough password\na long enough password\n"
    result = runner.invoke(args=["admin-password"], input=typed)

    assert result.exit_code == 0, result.output
    printed = re.search(r'ADMIN_PASSWORD_HASH = "([^"]+)"', result.output).group(1)
    assert check_password_hash(printed, "a long enough password")
    assert f"ADMIN_PASSWORD_HASH='{printed}'" in result.output

    short = runner.invoke(args=["admin-password"], input="short\nshort\n")
    assert short.exit_code != 0
    assert "12자 이상" in short.output


# The orders list


@ON_BOTH_DATABASES
def test_the_list_searches_by_number_phone_name_and_merchant_uid(app, shopper):
    first, _ = paid(shopper)
    other = Shopper(app.test_client())
    second = other.buy(product_id=2, buyer_name="김철수", buyer_tel="010-1234-5678")
    numbers = {uid: order(app, uid).number for uid in (first, second)}
    client = operator(app)

    assert listed_numbers(client) == [numbers[second], numbers[first]]  # newest first
    searches = {
        numbers[first]: first,
        "01012345678": second,
        "1234 5678": second,
        "철수": second,
        second: second,
        "010-4242-4242": first,
    }
    for query, merchant_uid in searches.items():
        assert listed_numbers(client, f"?q={query}") == [numbers[merchant_uid]], query
    assert listed_numbers(client, "?q=100%25") == []  # % is a character, not a wildcard
    assert listed_numbers(client, "?status=paid") == [numbers[first]]
    assert listed_numbers(client, "?status=pending") == [numbers[second]]
    assert listed_numbers(client, "?status=nonsense") == [numbers[second], numbers[first]]
    page = text(client.get("/admin/"))
    assert all(status.label in page for status in OrderStatus)
    assert "결제 완료" in page and "카드" in page and "64,900원" in page


@ON_BOTH_DATABASES
def test_the_list_filters_by_dates_in_seoul(app, shopper):
    late, early = shopper.buy(), shopper.buy(product_id=2)
    # 2026-03-01 23:59 and 2026-03-02 00:00 in Seoul
    change(
        app, Order, Order.merchant_uid == late, created_at=datetime(2026, 3, 1, 14, 59, tzinfo=UTC)
    )
    change(app, Order, Order.merchant_uid == early, created_at=datetime(2026, 3, 1, 15, tzinfo=UTC))
    client = operator(app)
    late_number, early_number = order(app, late).number, order(app, early).number

    assert listed_numbers(client, "?date_to=2026-03-01") == [late_number]
    assert listed_numbers(client, "?date_from=2026-03-02") == [early_number]
    assert listed_numbers(client, "?date_from=2026-03-01&date_to=2026-03-02") == [
        early_number,
        late_number,
    ]
    for wrong in ("2026-13-45", "0001-01-01", "9999-12-31", "yesterday"):
        answer = client.get(f"/admin/?date_from={wrong}&date_to={wrong}")
        assert answer.status_code == 200
        assert "날짜" in text(answer)
        assert listed_numbers(client, f"?date_to={wrong}") == [early_number, late_number]


@ON_BOTH_DATABASES
def test_the_list_shows_fifty_orders_a_page(app):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        db.session.add_all(
            Order(
                number=f"20260101-{index:06d}",
                name="의자",
                amount=1000,
                pay_method="card",
                buyer_name="손님",
                buyer_email="guest@example.com",
                buyer_tel="010-0000-0000",
                buyer_addr="서울",
                buyer_postcode="00000",
                created_at=start + timedelta(minutes=index),
            )
            for index in range(120)
        )
        db.session.commit()
    client = operator(app)

    first = listed_numbers(client)
    assert len(first) == 50 and first[0] == "20260101-000119"
    assert listed_numbers(client, "?page=3") == [f"20260101-{i:06d}" for i in range(19, -1, -1)]
    assert 'href="/admin/?page=2"' in text(client.get("/admin/"))
    assert 'href="/admin/?page=3&amp;status=pending"' in text(
        client.get("/admin/?status=pending&page=2")
    )
    for page in ("abc", "0", "-3", ""):
        assert listed_numbers(client, f"?page={page}") == first
    for page in ("4", "99999", str(10**30)):
        assert client.get(f"/admin/?page={page}").status_code == 404


@ON_BOTH_DATABASES
def test_the_review_queue_lists_orders_that_need_a_person_and_a_refund_leaves_them_there(
    app, shopper, sandbox
):
    merchant_uid = shopper.buy()
    windows = [shopper.open_window(merchant_uid), shopper.open_window(merchant_uid)]
    first, second = (shopper.decide(window, "approve")[0] for window in windows)
    assert shopper.complete(first, merchant_uid).json["status"] == "success"
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/cancel", RefusingCancel())
    assert shopper.complete(second, merchant_uid).json["status"] == "needsReview"
    gateway.session.adapters.pop(gateway.base_url + "/payments/cancel")
    client = operator(app)

    queue = text(client.get("/admin/review"))
    assert order(app, merchant_uid).number in queue
    assert "결제 2건이 한 주문에 들어왔습니다" in queue
    assert 'aria-label="1건">1</span>' in queue
    page = text(client.get(f"/admin/orders/{merchant_uid}"))
    assert "확인 필요: 결제 2건이 한 주문에 들어왔습니다" in page
    assert "취소 가능 기간이 지났습니다" in page  # the refused automatic refund, in the ledger

    answer = refund(client, merchant_uid, "64900", reason="중복 결제 환불", full_refund="y")
    assert answer.status_code == 302

    # One payment is left and it fits, but going on is a person's decision (확인 후 진행).
    assert order_status(app, merchant_uid) == OrderStatus.NEEDS_REVIEW
    assert order(app, merchant_uid).number in text(client.get("/admin/review"))


# One order's page


@ON_BOTH_DATABASES
def test_the_order_page_shows_the_buyer_the_payment_and_every_claim_in_order(app, shopper):
    merchant_uid, imp_uid = paid(shopper)
    shopper.client.post(
        "/payments/webhook", json={"imp_uid": imp_uid, "merchant_uid": merchant_uid}
    )
    client = operator(app)

    page = text(client.get(f"/admin/orders/{merchant_uid}"))

    for value in ("홍길동", "010-4242-4242", "gildong@example.com", "테헤란로 123", imp_uid):
        assert value in page
    timeline = page[page.index("처리 기록") :]
    assert timeline.index("결제창 콜백 (PC)") < timeline.index("웹훅")
    assert '<code class="raw">callback</code>' in timeline
    assert "결제 대기 → <strong>결제 완료</strong>" in timeline
    assert "64,900원" in timeline
    assert "주문 확인" in page  # the notice queued with the payment
    assert client.get("/admin/orders/ord_unknown").status_code == 404


def test_what_a_stranger_sends_is_shown_as_a_claim_apart_from_the_facts(app, shopper):
    merchant_uid = shopper.buy()
    made_up = {"imp_uid": "imp_999999999999", "merchant_uid": merchant_uid}
    shopper.client.post("/payments/webhook", json=made_up | {"status": "환불 승인됨 " * 500})

    event = events(app, "webhook")[-1]
    assert len(event.claim) == 200 and "환불" not in event.detail  # the gateway's answer
    page = text(operator(app).get(f"/admin/orders/{merchant_uid}"))
    timeline = page[page.index("처리 기록") :]
    assert "PortOne에 없는 결제" in timeline
    assert "PortOne에 이 주문의 결제로 확인되지 않았습니다" in timeline
    claim = timeline[timeline.index("확인되지 않은 주장") :]
    assert claim.index("status=환불 승인됨") < claim.index("</span>")


# Actions


@ON_BOTH_DATABASES
def test_a_partial_then_a_full_refund_with_the_amount_checked(app, shopper, sandbox):
    merchant_uid, imp_uid = paid(shopper)
    client = operator(app)
    range_error = "환불할 수 있는 금액은 1원부터 64,900원까지입니다."
    refused = {
        "64901": range_error,
        "0": range_error,
        "-5": range_error,
        "9" * 40: range_error,
        "abc": "금액은 원 단위 숫자로",
        "1.5": "금액은 원 단위 숫자로",
        "9" * 5000: "금액은 원 단위 숫자로",
        "": "환불 금액을 입력해 주세요",
    }
    for amount, message in refused.items():
        answer = refund(client, merchant_uid, amount)
        assert answer.status_code == 200
        assert message in text(answer)
    assert "환불 사유를 입력해 주세요" in text(refund(client, merchant_uid, "1000", reason=" "))
    assert "100자까지" in text(refund(client, merchant_uid, "1000", reason="가" * 101))
    unconfirmed = refund(client, merchant_uid, "1000", confirm="")
    assert "확인란을 선택해 주세요" in text(unconfirmed)
    assert refunds_of(app) == []

    assert refund(client, merchant_uid, "10,000원").status_code == 302
    assert "10,000원을 환불했습니다. 주문 상태: 부분 환불" in flashed(client, merchant_uid)
    assert order_status(app, merchant_uid) == OrderStatus.PARTIALLY_REFUNDED
    over = refund(client, merchant_uid, "54901")
    assert "1원부터 54,900원까지" in text(over)

    assert (
        refund(client, merchant_uid, "54900", reason="전액 반품", full_refund="y").status_code
        == 302
    )

    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert sandbox.get_payment(imp_uid)["cancel_amount"] == 64900
    ledger = [(r.amount, r.checksum, r.cause, r.reason) for r in refunds_of(app)]
    assert ledger == [
        (10000, 64900, "operator", "반품 접수"),
        (54900, 54900, "operator", "전액 반품"),
    ]
    page = flashed(client, merchant_uid)
    assert "환불할 결제가 없습니다" in page
    assert refund(client, merchant_uid, "1000").headers["Location"].endswith(merchant_uid)
    assert len(refunds_of(app)) == 2


@ON_BOTH_DATABASES
def test_a_refusal_by_portone_is_shown_on_the_form(app, shopper):
    merchant_uid, _ = paid(shopper)
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/cancel", RefusingCancel())

    answer = refund(operator(app), merchant_uid, "1000")

    assert answer.status_code == 200
    assert "PortOne이 환불을 거절했습니다: 취소 가능 기간이 지났습니다" in text(answer)
    assert order_status(app, merchant_uid) == OrderStatus.PAID


@ON_BOTH_DATABASES
def test_a_paid_virtual_account_is_refunded_to_the_account_the_operator_enters(
    app, shopper, sandbox
):
    merchant_uid = shopper.buy(pay_method="vbank")
    imp_uid = shopper.pay_in_window(merchant_uid, "vbank")
    shopper.client.post(f"/sandbox/dashboard/payments/{imp_uid}/deposit")
    shopper.complete(imp_uid, merchant_uid)
    client = operator(app)
    assert "예금주" in text(client.get(f"/admin/orders/{merchant_uid}"))

    missing = refund(client, merchant_uid, "64900", full_refund="y")
    assert "예금주를 입력해 주세요" in text(missing)

    assert refund(client, merchant_uid, "64900", full_refund="y", **ACCOUNT).status_code == 302
    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED
    assert sandbox.get_payment(imp_uid)["cancel_history"][0]["amount"] == 64900


@ON_BOTH_DATABASES
def test_asking_portone_again_is_recorded_as_the_admins_claim(app, shopper, gateway_link):
    merchant_uid = shopper.buy()
    shopper.pay_in_window(merchant_uid)  # the callback and the webhook are both lost
    client = operator(app)

    assert act(client, merchant_uid, "sync", confirm="").status_code == 302
    assert "확인란을 선택해 주세요" in flashed(client, merchant_uid)
    assert events(app, "admin") == []

    assert act(client, merchant_uid, "sync").status_code == 302

    assert order_status(app, merchant_uid) == OrderStatus.PAID
    page = flashed(client, merchant_uid)
    assert "PortOne에 다시 확인했습니다. 주문 상태: 결제 대기 → 결제 완료" in page
    assert '관리자 <code class="raw">admin</code>' in page
    recorded = events(app, "admin")
    assert [(e.outcome, e.order_status_before, e.order_status_after) for e in recorded] == [
        ("paid", "pending", "paid")
    ]

    unpaid = shopper.buy(product_id=2)
    act(client, unpaid, "sync")
    assert "PortOne에 이 주문의 결제가 없습니다" in flashed(client, unpaid)

    gateway_link.cut()
    act(client, merchant_uid, "sync")
    assert "PortOne 또는 데이터베이스에 연결하지 못했습니다" in flashed(client, merchant_uid)
    outcomes = [e.outcome for e in events(app, "admin")]
    assert outcomes == ["paid", "unknown_payment", "unavailable"]


# Nothing a customer or the gateway wrote becomes HTML


@ON_BOTH_DATABASES
def test_what_customers_and_the_gateway_wrote_is_shown_escaped(app, shopper):
    change(app, Product, Product.id == 1, name="<img src=x onerror=alert(2)>의자")
    declined = shopper.buy()
    imp_uid = shopper.pay_in_window(declined, "decline")
    shopper.complete(imp_uid, declined)
    change(app, Payment, Payment.imp_uid == imp_uid, fail_reason="<b>한도 초과</b>")
    change(app, Payment, Payment.imp_uid == imp_uid, receipt_url="javascript:alert(3)")
    change(app, PaymentEvent, PaymentEvent.imp_uid == imp_uid, detail="<i>note</i>")
    # PortOne takes 16 characters of a buyer's name: this order is never sent to a window.
    scripted = Shopper(app.test_client()).buy(product_id=2, buyer_name=SCRIPT)
    client = operator(app)

    for path in ("/admin/", f"/admin/orders/{scripted}", f"/admin/?q={SCRIPT}"):
        page = text(client.get(path))
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = text(client.get(f"/admin/orders/{declined}"))
    assert "&lt;img src=x onerror=alert(2)&gt;의자" in page and "<img src=x" not in page
    assert "&lt;b&gt;한도 초과&lt;/b&gt;" in page and "<b>한도" not in page
    assert "&lt;i&gt;note&lt;/i&gt;" in page and "<i>note" not in page
    assert 'href="javascript:' not in page
    assert "<img src=x" not in text(client.get("/admin/"))
