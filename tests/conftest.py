import json
import os
import re
import threading
import time

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from iamport_sandbox import switchboard
from shop import create_app
from shop.core.extensions import db
from shop.core.ledger import Notice, PaymentEvent
from shop.core.models import Order, OrderStatus, Product
from shop.core.settings import RATE_LIMITS
from shop.storefront.demo import DEMO_PRODUCTS
from tests.run_database import drop_database, own_database
from tests.spec_check import spec_checked

# Helpers' asserts explain their failures as a test's own do.
pytest.register_assert_rewrite("tests.helpers")

BUYER = {
    "buyer_name": "홍길동",
    "buyer_email": "gildong@example.com",
    "buyer_tel": "010-4242-4242",
    "buyer_postcode": "06236",
    "buyer_addr": "서울특별시 강남구 테헤란로 123",
    "pay_method": "card",
    "same_as_buyer": "y",
    "agree_purchase": "y",
    "agree_privacy_collection": "y",
    "agree_privacy_third_party": "y",
    "agree_electronic_finance": "y",
}


def order(app, merchant_uid) -> Order:
    with app.app_context():
        found = db.session.execute(select(Order).where(Order.merchant_uid == merchant_uid))
        result = found.scalar_one()
        result.lines, result.payments  # noqa: B018 - load before the session closes
        return result


def events(app, source: str | None = None) -> list[PaymentEvent]:
    """The claims about payments, oldest first; confirm-process calls only when asked for."""
    query = select(PaymentEvent).order_by(PaymentEvent.id)
    if source is None:
        query = query.where(PaymentEvent.source != "confirm")
    else:
        query = query.where(PaymentEvent.source == source)
    with app.app_context():
        return list(db.session.execute(query).scalars())


def stock(app, product_id=1) -> int:
    with app.app_context():
        return db.session.get(Product, product_id).stock


def notices(app, merchant_uid: str) -> list[str]:
    """The kinds of notice queued for an order, oldest first."""
    with app.app_context():
        query = (
            select(Notice.kind)
            .join(Order, Notice.order_id == Order.id)
            .where(Order.merchant_uid == merchant_uid)
            .order_by(Notice.id)
        )
        return list(db.session.execute(query).scalars())


def order_status(app, merchant_uid: str) -> OrderStatus:
    with app.app_context():
        query = select(Order.status).where(Order.merchant_uid == merchant_uid)
        return db.session.execute(query).scalar_one()


# `make test` provisions this server (scripts/install-postgres) and passes its URL; the
# PostgreSQL tests fail, never skip, when it cannot be reached. The run tests in a database of
# its own beside the named one (tests/run_database.py), dropped when the run ends.
SERVER_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql://shop_test:shop_test@127.0.0.1:5432/shop_test"
)
POSTGRES_URL, RUN_DATABASE = own_database(SERVER_URL)


def pytest_unconfigure(config):
    if RUN_DATABASE is not None:
        drop_database(SERVER_URL, RUN_DATABASE)


DATABASES = ("sqlite", "postgresql")
SANDBOX_THREADS = ("sandbox-webhook-", "sandbox-late-approval-")


def pytest_collection_modifyitems(items):
    """`postgres` on every test parametrized with the PostgreSQL database (the `app` fixture's
    or any other fixture's DATABASES parameter), so `-m "not postgres"` runs without one."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.add_marker(pytest.mark.postgres)


def database_url(kind: str, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'shop.sqlite3'}" if kind == "sqlite" else POSTGRES_URL


def shop_app(tmp_path, database: str = "sqlite", **settings):
    """A shop with its sandbox (whose file is in tmp_path), tables untouched."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url(database, tmp_path),
            "SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite3"),
            "SHOP_URL": "http://shop.test",
            # The test client's host: the session cookie also reaches SHOP_URL's pages (the
            # return URL), as in a real browser.
            "SERVER_NAME": "shop.test",
        }
        # Tests order and verify far faster than any customer; tests/web/test_rate_limits.py
        # sets the limits it tests.
        | dict.fromkeys(RATE_LIMITS, "100000 per minute")
        | settings
    )


def make_app(tmp_path, database: str = "sqlite", **settings):
    """A shop with its sandbox, empty tables (dropped first on PostgreSQL) and demo products."""
    app = shop_app(tmp_path, database, **settings)
    with app.app_context():
        try:
            db.drop_all()
        except OperationalError as error:
            pytest.fail(
                f"PostgreSQL를 쓸 수 없습니다 ({POSTGRES_URL}): make test로 실행하세요. {error}"
            )
        db.create_all()
        db.session.add_all(Product(**item) for item in DEMO_PRODUCTS)
        db.session.commit()
    # Webhooks are lost unless a test asks for them (the `webhooks` fixture): the callback and
    # the return URL must work alone, and tests of them stay deterministic.
    switchboard.set(app.extensions["sandbox_app"].extensions["sandbox"], "webhook_drop", True)
    return app


def checked(app):
    """Yield the app; afterwards let webhooks finish, close connections, check the spec."""
    checks = spec_checked(app, app.extensions.get("sandbox_app"))
    yield next(checks)
    wait_for_webhooks()
    with app.app_context():
        db.engine.dispose()
    next(checks, None)


@pytest.fixture
def app(request, tmp_path):
    """On SQLite; a module runs on both databases with
    `pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)`."""
    yield from checked(make_app(tmp_path, getattr(request, "param", "sqlite")))


def wait_for_webhooks(timeout: float = 10) -> None:
    """Let the sandbox's background work finish: late approvals and webhook deliveries (which
    reach the shop in-process), including deliveries that finished work starts."""
    deadline = time.monotonic() + timeout
    while busy := [t for t in threading.enumerate() if t.name.startswith(SANDBOX_THREADS)]:
        if time.monotonic() > deadline:
            raise AssertionError(f"sandbox threads still running: {busy}")
        busy[0].join(deadline - time.monotonic())


@pytest.fixture
def webhooks(sandbox):
    """The sandbox delivers its webhooks to the shop, as PortOne does by default."""
    switchboard.set(sandbox, "webhook_drop", False)
    return wait_for_webhooks


@pytest.fixture
def mail_server():
    """A real SMTP server on 127.0.0.1, up for the test."""
    from tests.mail_server import MailServer  # after tests.helpers' assert rewriting

    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def sandbox(app):
    """The sandbox's store: tests may arrange gateway-side facts the shop could not cause."""
    return app.extensions["sandbox_app"].extensions["sandbox"]


class Shopper:
    """What a customer's browser does, step by step, through the test client."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self) -> str:
        page = self.client.get("/cart").get_data(as_text=True)
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def add_to_cart(self, product_id: int, quantity: int = 1):
        return self.client.post(
            f"/cart/items/{product_id}",
            data={"quantity": quantity, "csrf_token": self.csrf_token()},
        )

    def checkout(self, **fields) -> str:
        """Submit the checkout form; returns the new order's merchant_uid."""
        data = BUYER | {"csrf_token": self.csrf_token()} | fields
        response = self.client.post("/checkout", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        match = re.fullmatch(r"/orders/([^/]+)/pay", response.headers["Location"])
        return match.group(1)

    def buy(self, product_id: int = 1, quantity: int = 1, **fields) -> str:
        """An order of just this product (the cart keeps earlier orders' items until paid)."""
        with self.client.session_transaction() as session:
            session.pop("cart", None)
            session.pop("checkout_order", None)  # a new checkout, not another try of the last
        self.add_to_cart(product_id, quantity)
        return self.checkout(**fields)

    def pay_request(self, merchant_uid: str, method: str | None = None) -> dict:
        query = f"?method={method}" if method else ""
        page = self.client.get(f"/orders/{merchant_uid}/pay{query}").get_data(as_text=True)
        raw = re.search(r'id="payment-config">(.*?)</script>', page, re.S).group(1)
        return json.loads(raw)["request"]

    def open_window(self, merchant_uid: str, mode: str = "iframe", request=None, **changes):
        """POST the pay page's request (or an older copy of it) to the sandbox's window,
        as iamport.payment.js does."""
        params = (request or self.pay_request(merchant_uid)) | changes
        return self.client.post(
            "/sandbox/window",
            data={
                "merchant_code": "imp00000000",
                "params": json.dumps(params),
                "mode": mode,
                "channel": "pc" if mode == "iframe" else "mobile",
                "origin": "http://shop.test",
            },
        )

    def opened_payment(self, merchant_uid: str, **changes) -> str:
        """Open the window and leave it: PortOne has the payment, `ready`; its imp_uid."""
        return self.imp_uid_of(self.open_window(merchant_uid, **changes))

    @staticmethod
    def imp_uid_of(opened) -> str:
        assert opened.status_code == 303, opened.get_data(as_text=True)
        return opened.headers["Location"].rstrip("/").rsplit("/", 1)[1]

    def decide(self, opened, outcome: str):
        imp_uid = self.imp_uid_of(opened)
        decided = self.client.post(f"/sandbox/window/{imp_uid}/{outcome}", data={"reason": "limit"})
        return imp_uid, decided

    def pay_in_window(self, merchant_uid: str, outcome: str = "approve", **changes) -> str:
        """Pay in the desktop (iframe) window; returns the imp_uid."""
        imp_uid, decided = self.decide(self.open_window(merchant_uid, **changes), outcome)
        assert decided.status_code == 200
        return imp_uid

    def pay_by_redirect(self, merchant_uid: str, outcome: str = "approve") -> str:
        """Pay in the full-page (phone) window; returns where PortOne sends the browser back."""
        _, decided = self.decide(self.open_window(merchant_uid, "redirect"), outcome)
        assert decided.status_code == 302
        return decided.headers["Location"]

    def complete(self, imp_uid, merchant_uid, token: str | None = None):
        return self.client.post(
            "/payments/complete",
            json={"imp_uid": imp_uid, "merchant_uid": merchant_uid},
            headers={"X-CSRFToken": token or self.csrf_token()},
        )


@pytest.fixture
def shopper(client):
    return Shopper(client)


class Unreachable(requests.adapters.BaseAdapter):
    def send(self, request, **kwargs):
        raise requests.ConnectTimeout("PortOne does not answer")

    def close(self):
        pass


class GatewaySwitch:
    """Cuts the shop off from the gateway and back, as a network outage would."""

    def __init__(self, gateway):
        self.session = gateway.session
        self.prefix = gateway.base_url + "/"
        self.working = self.session.get_adapter(self.prefix)

    def cut(self):
        self.session.mount(self.prefix, Unreachable())

    def restore(self):
        self.session.mount(self.prefix, self.working)


@pytest.fixture
def gateway_link(app):
    return GatewaySwitch(app.extensions["portone"])
