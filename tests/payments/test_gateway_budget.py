"""A slow PortOne holds at most PORTONE_CONCURRENCY threads of a process: once that many
customer verifications and webhooks wait on it, the next answer "확인 중" (a webhook 503, so
PortOne retries) at once, record nothing as failed, and settle once PortOne answers. What the
operator and reconciliation ask is not rationed."""

import threading

import pytest
import requests

from shop.core.models import OrderStatus
from tests.admin.test_admin import PASSWORD_HASH, act, operator
from tests.conftest import DATABASES, Shopper, checked, make_app, order_status

GIVE_UP = 60  # only a broken budget waits this long: the held call is released before


@pytest.fixture(params=DATABASES)
def app(request, tmp_path):
    yield from checked(make_app(tmp_path, request.param, PORTONE_CONCURRENCY=1))


class Holding(requests.adapters.BaseAdapter):
    """PortOne's /payments/ answers, held until released: a PortOne as slow as a test wants.
    Only the answers about `held` when it is set."""

    def __init__(self, answering):
        super().__init__()
        self.answering = answering
        self.held: str | None = None
        self.waiting = threading.Semaphore(0)  # one release per held call that arrived
        self.release = threading.Event()

    def send(self, request, **kwargs):
        if self.held is None or self.held in request.url:
            self.waiting.release()
            assert self.release.wait(GIVE_UP)
        return self.answering.send(request, **kwargs)

    def close(self):
        pass


@pytest.fixture
def slow_portone(app):
    gateway = app.extensions["portone"]
    holding = Holding(gateway.session.get_adapter(gateway.base_url + "/"))
    yield holding
    holding.release.set()


def hold(app, holding: Holding) -> None:
    gateway = app.extensions["portone"]
    gateway.session.mount(gateway.base_url + "/payments/", holding)


def in_background(call) -> tuple[threading.Thread, list]:
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    thread.start()
    return thread, answers


def approved(app) -> tuple[Shopper, str, str]:
    shopper = Shopper(app.test_client())
    merchant_uid = shopper.buy()
    return shopper, merchant_uid, shopper.pay_in_window(merchant_uid)


def test_a_spent_budget_answers_at_once_and_the_payment_settles_later(app, slow_portone):
    first, first_order, first_payment = approved(app)
    second, second_order, second_payment = approved(app)
    token = second.csrf_token()
    hold(app, slow_portone)
    waiting, first_answers = in_background(lambda: first.complete(first_payment, first_order))
    assert slow_portone.waiting.acquire(timeout=GIVE_UP)  # it waits on PortOne now

    busy = second.complete(second_payment, second_order, token)
    webhook = app.test_client().post("/payments/webhook", json={"imp_uid": second_payment})

    assert (busy.status_code, busy.json["status"]) == (503, "pending")
    assert webhook.status_code == 503
    assert order_status(app, second_order) == OrderStatus.PENDING
    slow_portone.release.set()
    waiting.join(GIVE_UP)
    assert first_answers[0].json["status"] == "success"
    assert second.complete(second_payment, second_order, token).json["status"] == "success"


def test_the_phone_return_shows_the_order_as_being_checked(app, slow_portone):
    first, first_order, first_payment = approved(app)
    phone = Shopper(app.test_client())
    second_order = phone.buy()
    back = phone.pay_by_redirect(second_order)
    hold(app, slow_portone)
    waiting, _ = in_background(lambda: first.complete(first_payment, first_order))
    assert slow_portone.waiting.acquire(timeout=GIVE_UP)

    page = phone.client.get(back)

    assert page.status_code == 200
    assert "결제 결과를 확인하고 있습니다" in page.get_data(as_text=True)
    assert order_status(app, second_order) == OrderStatus.PENDING
    slow_portone.release.set()
    waiting.join(GIVE_UP)


def test_what_the_operator_asks_is_not_rationed(app, slow_portone):
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    first, first_order, first_payment = approved(app)
    _, second_order, _ = approved(app)
    slow_portone.held = first_payment
    hold(app, slow_portone)
    waiting, _ = in_background(lambda: first.complete(first_payment, first_order))
    assert slow_portone.waiting.acquire(timeout=GIVE_UP)  # the only slot is taken

    assert act(operator(app), second_order, "sync").status_code == 302
    assert order_status(app, second_order) == OrderStatus.PAID
    slow_portone.release.set()
    waiting.join(GIVE_UP)
