import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from iamport_sandbox import create_sandbox_app
from tests import spec_check
from tests.sandbox.webhook_receiver import Receiver

MERCHANT_CODE = "imp00000000"
SHOP_ORIGIN = "http://shop.test"
RETURN_URL = "http://shop.test/payments/return"
START = 1_700_000_000  # 2023-11-15 07:13:20 KST
DEFAULT_PARAMS = {
    "pg": "html5_inicis",
    "pay_method": "card",
    "merchant_uid": "order-1",
    "name": "노르딕 머그컵 외 2건",
    "amount": 64900,
    "buyer_name": "홍길동",
    "buyer_email": "buyer@example.com",
    "m_redirect_url": RETURN_URL,
}
POSTED_MESSAGE = re.compile(r'postMessage\(\{source: "iamport-sandbox", rsp: (.*)\}, (".*")\);')


class Clock:
    """Stands in for time.time in the store, so tests can move time."""

    def __init__(self, now: int = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: int) -> None:
        self.now += seconds


class Window:
    """Opens and decides payment windows the way iamport.payment.js and a tester would."""

    origin = SHOP_ORIGIN
    return_url = RETURN_URL

    def __init__(self, client) -> None:
        self.client = client

    def open(self, params=None, mode="iframe", merchant_code=MERCHANT_CODE, channel="pc"):
        """POST /window; a parameter given as None is left out of the request."""
        merged = {k: v for k, v in (DEFAULT_PARAMS | (params or {})).items() if v is not None}
        form = {
            "merchant_code": merchant_code,
            "params": json.dumps(merged),
            "mode": mode,
            "channel": channel,
            "origin": SHOP_ORIGIN,
        }
        return self.client.post("/window", data=form)

    def opened(self, params=None, mode="iframe", **options) -> str:
        response = self.open(params, mode, **options)
        assert response.status_code == 303, response.get_data(as_text=True)
        return response.headers["Location"].rsplit("/", 1)[1]

    def decide(self, imp_uid: str, outcome: str, **form):
        return self.client.post(f"/window/{imp_uid}/{outcome}", data=form)

    @staticmethod
    def posted_message(response) -> tuple[dict, str]:
        """The rsp and target origin of the page that reports a result to the shop's page."""
        assert response.status_code == 200
        match = POSTED_MESSAGE.search(response.get_data(as_text=True))
        assert match, "the page posts no result"
        return json.loads(match.group(1)), json.loads(match.group(2))

    @staticmethod
    def redirect_query(response) -> dict[str, str]:
        assert response.status_code == 302
        query = parse_qs(urlsplit(response.headers["Location"]).query, strict_parsing=True)
        assert all(len(values) == 1 for values in query.values())
        return {key: values[0] for key, values in query.items()}


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    app = create_sandbox_app(
        {"TESTING": True, "SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite")}
    )
    app.extensions["sandbox"].clock = clock
    yield from spec_check.spec_checked(app, app)


@pytest.fixture
def store(app):
    return app.extensions["sandbox"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(client) -> str:
    response = client.post(
        "/users/getToken", json={"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"}
    )
    return response.json["response"]["access_token"]


@pytest.fixture
def auth(token) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def window(client):
    return Window(client)


@pytest.fixture(scope="session")
def definitions() -> dict:
    return spec_check.definitions()


@pytest.fixture(scope="session")
def validate():
    """validate(instance, "PaymentAnnotation") raises ValidationError unless it fits the spec."""
    return spec_check.validate


@pytest.fixture
def receiver(app):
    """The merchant's webhook endpoint, set as the sandbox's webhook URL, with quick retries."""
    with Receiver() as receiver:
        app.config.update(SANDBOX_WEBHOOK_URL=receiver.url, SANDBOX_WEBHOOK_RETRY_INTERVAL=0.05)
        yield receiver
