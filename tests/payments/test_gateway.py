"""The PortOne client: token cache, envelope errors, timeouts, one retry after a 401."""

import pytest
import requests
from flask import Flask, jsonify, request

from shop.payments.gateway import TOKEN_MARGIN, GatewayError, PortOne
from shop.web.wsgi_transport import WSGIAdapter

BASE = "http://portone.test"


class FakePortOne:
    """A scripted stand-in for api.iamport.kr that counts what it was asked."""

    def __init__(self):
        self.now = 1_700_000_000
        self.tokens_issued = 0
        self.valid_tokens: set[str] = set()
        self.payment_answer = (200, {"code": 0, "message": None, "response": {"imp_uid": "imp_1"}})
        self.seen_authorization: list[str] = []
        self.app = self.build()

    def build(self) -> Flask:
        app = Flask("fake_portone")

        @app.post("/users/getToken")
        def get_token():
            body = request.get_json()
            if body != {"imp_key": "key", "imp_secret": "secret"}:
                return jsonify(code=-1, message="Unauthorized", response=None), 401
            self.tokens_issued += 1
            token = f"token-{self.tokens_issued}"
            self.valid_tokens.add(token)
            response = {"access_token": token, "expired_at": self.now + 1800, "now": self.now}
            return jsonify(code=0, message=None, response=response)

        @app.get("/payments/<imp_uid>")
        def payment(imp_uid):
            token = request.headers.get("Authorization", "")
            self.seen_authorization.append(token)
            if token not in self.valid_tokens:
                return jsonify(code=-1, message="Unauthorized", response=None), 401
            status, body = self.payment_answer
            return jsonify(body), status

        return app


@pytest.fixture
def fake():
    return FakePortOne()


@pytest.fixture
def client(fake):
    session = requests.Session()
    session.mount(BASE + "/", WSGIAdapter(fake.app))
    clock = {"now": 1000.0}
    portone = PortOne(BASE, "key", "secret", session=session, clock=lambda: clock["now"])
    portone.test_clock = clock
    return portone


def test_token_is_reused_until_shortly_before_it_expires(client, fake):
    client.get_payment("imp_1")
    client.get_payment("imp_1")
    assert fake.tokens_issued == 1
    client.test_clock["now"] += 1800 - TOKEN_MARGIN - 1
    client.get_payment("imp_1")
    assert fake.tokens_issued == 1
    client.test_clock["now"] += 2
    client.get_payment("imp_1")
    assert fake.tokens_issued == 2


def test_token_is_sent_raw_in_authorization(client, fake):
    client.get_payment("imp_1")
    assert fake.seen_authorization == ["token-1"]


def test_a_401_is_retried_once_with_a_fresh_token(client, fake):
    client.get_payment("imp_1")
    fake.valid_tokens.clear()  # the gateway forgot our token (restart, revocation)
    assert client.get_payment("imp_1") == {"imp_uid": "imp_1"}
    assert fake.tokens_issued == 2
    assert fake.seen_authorization == ["token-1", "token-1", "token-2"]


def test_a_second_401_is_raised(client, fake):
    fake.payment_answer = (401, {"code": -1, "message": "Unauthorized", "response": None})
    with pytest.raises(GatewayError) as caught:
        client.get_payment("imp_1")
    assert caught.value.status == 401
    assert fake.tokens_issued == 2


@pytest.mark.parametrize(
    ("status", "body", "code", "message"),
    [
        (404, {"code": -1, "message": "존재하지 않는 결제정보입니다.", "response": None}, -1,
         "존재하지 않는 결제정보입니다."),
        (200, {"code": 1, "message": "이미 전액취소된 주문입니다.", "response": None}, 1,
         "이미 전액취소된 주문입니다."),
        (500, {"code": -1, "message": None, "response": None}, -1, "HTTP 500"),
    ],
)  # fmt: skip
def test_envelope_errors_carry_status_code_and_message(client, fake, status, body, code, message):
    fake.payment_answer = (status, body)
    with pytest.raises(GatewayError) as caught:
        client.get_payment("imp_1")
    assert (caught.value.status, caught.value.code, caught.value.message) == (status, code, message)


def test_a_body_that_is_not_the_envelope_is_an_error(client, fake):
    fake.payment_answer = (200, {"unexpected": True})
    with pytest.raises(GatewayError, match="해석하지 못했습니다") as caught:
        client.get_payment("imp_1")
    assert caught.value.status == 200


def test_wrong_credentials_raise_without_leaking_the_secret():
    fake = FakePortOne()
    session = requests.Session()
    session.mount(BASE + "/", WSGIAdapter(fake.app))
    client = PortOne(BASE, "key", "wrong-secret", session=session)
    with pytest.raises(GatewayError) as caught:
        client.get_payment("imp_1")
    assert caught.value.status == 401
    assert "wrong-secret" not in repr(caught.value) + repr(client)


class TimingOut(requests.adapters.BaseAdapter):
    def __init__(self, error):
        super().__init__()
        self.error = error
        self.timeouts = []

    def send(self, request, timeout=None, **kwargs):
        self.timeouts.append(timeout)
        raise self.error

    def close(self):
        pass


@pytest.mark.parametrize(
    "error", [requests.ReadTimeout("slow"), requests.ConnectTimeout("no route")]
)
def test_timeouts_become_an_unavailable_gateway_error(error):
    adapter = TimingOut(error)
    session = requests.Session()
    session.mount(BASE + "/", adapter)
    client = PortOne(BASE, "key", "secret", session=session, timeout=(1.5, 4))
    with pytest.raises(GatewayError) as caught:
        client.get_payment("imp_1")
    assert caught.value.unavailable
    assert adapter.timeouts == [(1.5, 4)]


def test_a_refused_connection_is_an_unavailable_gateway_error():
    client = PortOne("http://127.0.0.1:9", "key", "secret", timeout=(0.5, 0.5))
    with pytest.raises(GatewayError, match="연결하지 못했습니다") as caught:
        client.get_payment("imp_1")
    assert caught.value.unavailable
