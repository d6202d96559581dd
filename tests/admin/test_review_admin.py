"""확인 필요 waits for a person: later syncs record the payments' facts but do not move the
order; the admin's three resolutions do, each confirmed, each an admin event, each refused in
words when the money does not allow it."""

import pytest

from shop.core.ledger import RefundState
from shop.core.models import OrderStatus
from tests.admin.test_admin import ON_BOTH_DATABASES, PASSWORD_HASH, operator, refunds_of, text
from tests.conftest import Shopper, events, order_status, stock
from tests.invariants import broken_promises
from tests.payments.test_refunds import RefusingCancel


@pytest.fixture(autouse=True)
def admin_password(app):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH


def in_review(app, shopper) -> tuple[str, str, str]:
    """A paid order with a second payment whose automatic refund PortOne refused."""
    merchant_uid = shopper.buy()
    windows = [shopper.open_window(merchant_uid), shopper.open_window(merchant_uid)]
    first, second = (shopper.decide(window, "approve")[0] for window in windows)
    assert shopper.complete(first, merchant_uid).json["status"] == "success"
    with refusing_cancels(app):
        assert shopper.complete(second, merchant_uid).json["status"] == "needsReview"
    return merchant_uid, first, second


class refusing_cancels:
    def __init__(self, app):
        self.gateway = app.extensions["portone"]
        self.url = self.gateway.base_url + "/payments/cancel"

    def __enter__(self):
        self.gateway.session.mount(self.url, RefusingCancel())

    def __exit__(self, *exc):
        self.gateway.session.adapters.pop(self.url)


def resolve(client, merchant_uid: str, path: str, prefix: str = "", confirm: bool = True):
    data = {"csrf_token": Shopper(client).csrf_token()}
    if confirm:
        data[f"{prefix}-confirm" if prefix else "confirm"] = "y"
    return client.post(f"/admin/orders/{merchant_uid}/review/{path}", data=data)


def admin_events(app) -> list[tuple[str, str | None, str | None]]:
    return [
        (e.outcome, e.order_status_before, e.order_status_after)
        for e in events(app, source="admin")
    ]


@ON_BOTH_DATABASES
def test_later_syncs_record_the_payments_but_leave_the_order_in_review(app, shopper):
    merchant_uid, first, second = in_review(app, shopper)
    client = operator(app)

    answer = resolve(client, merchant_uid, f"payments/{first}/refund", prefix=first)
    assert answer.status_code == 302
    webhook = {"imp_uid": second, "merchant_uid": merchant_uid}
    assert shopper.client.post("/payments/webhook", json=webhook).status_code == 200

    assert order_status(app, merchant_uid) == OrderStatus.NEEDS_REVIEW
    last = events(app, source="webhook")[-1]
    assert (last.order_status_before, last.order_status_after) == ("needs_review",) * 2
    assert "관리자가 처리할 때까지" in last.detail
    page = text(client.get(f"/admin/orders/{merchant_uid}"))
    entered = page[page.index("확인 필요가 된 기록") :][:300]  # the event that put it there
    assert "결제창 콜백 (PC)" in entered and "결제 완료 → 확인 필요" in entered
    assert second in entered
    assert broken_promises(app) == []


@ON_BOTH_DATABASES
def test_going_on_needs_one_fitting_payment_then_makes_the_order_paid(app, shopper):
    merchant_uid, _, second = in_review(app, shopper)
    client = operator(app)

    resolve(client, merchant_uid, "approve")
    assert "결제 하나만 남아 있어야 합니다" in text(client.get(f"/admin/orders/{merchant_uid}"))
    assert order_status(app, merchant_uid) == OrderStatus.NEEDS_REVIEW

    resolve(client, merchant_uid, f"payments/{second}/refund", prefix=second)
    resolve(client, merchant_uid, "approve", confirm=False)
    assert "확인란을 선택해 주세요" in text(client.get(f"/admin/orders/{merchant_uid}"))
    assert resolve(client, merchant_uid, "approve").status_code == 302

    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert stock(app) == 12 - 1
    assert admin_events(app) == [
        ("review_refund", "needs_review", "needs_review"),
        ("review_approved", "needs_review", "paid"),
    ]
    assert "확인 필요 처리: 확인 후 진행" in text(client.get(f"/admin/orders/{merchant_uid}"))
    assert broken_promises(app) == []


@ON_BOTH_DATABASES
def test_cancelling_refunds_every_payment_and_closes_the_order(app, shopper):
    merchant_uid, first, second = in_review(app, shopper)
    client = operator(app)

    assert resolve(client, merchant_uid, "cancel", prefix="cancel").status_code == 302

    assert order_status(app, merchant_uid) == OrderStatus.REFUNDED  # the named automatic exit
    assert {r.imp_uid for r in refunds_of(app) if r.state == RefundState.DONE} == {first, second}
    assert stock(app) == 12
    exits = [
        e for e in events(app) if e.order_status_before == "needs_review" != e.order_status_after
    ]
    assert [(e.source, e.order_status_after) for e in exits] == [("refund", "refunded")]
    assert "자동 해소" in exits[0].detail
    assert admin_events(app) == [("review_cancelled", "refunded", "refunded")]
    assert broken_promises(app) == []


@ON_BOTH_DATABASES
def test_a_resolution_the_money_does_not_allow_is_refused_in_words(app, shopper):
    merchant_uid, _, _ = in_review(app, shopper)
    client = operator(app)

    with refusing_cancels(app):
        resolve(client, merchant_uid, "cancel", prefix="cancel")
    page = text(client.get(f"/admin/orders/{merchant_uid}"))
    assert "PortOne이 환불을 거절했습니다: 취소 가능 기간이 지났습니다" in page
    resolve(client, merchant_uid, "payments/imp_000000000000/refund", prefix="imp_000000000000")
    assert "환불할 금액이 남아 있는 이 주문의 결제가 아닙니다" in text(
        client.get(f"/admin/orders/{merchant_uid}")
    )

    assert order_status(app, merchant_uid) == OrderStatus.NEEDS_REVIEW
    assert admin_events(app) == []
    assert broken_promises(app) == []


def test_resolutions_are_refused_for_an_order_not_in_review(app, shopper):
    merchant_uid = shopper.buy()
    imp_uid = shopper.pay_in_window(merchant_uid)
    assert shopper.complete(imp_uid, merchant_uid).json["status"] == "success"
    client = operator(app)

    for path, prefix in (("approve", ""), ("cancel", "cancel")):
        assert resolve(client, merchant_uid, path, prefix=prefix).status_code == 302
        assert "확인 필요 상태의 주문이 아닙니다" in text(
            client.get(f"/admin/orders/{merchant_uid}")
        )
    assert order_status(app, merchant_uid) == OrderStatus.PAID
    assert client.post("/admin/orders/nobody/review/approve").status_code in (400, 404)
