"""SQL statements per request do not grow with the shop: every page and endpoint a purchase
touches is counted on a small shop and again after it has grown (more products, a few hundred
orders with their payments, claims, notices and refunds), and the counts must be the same.

Also pinned: checkout inserts its lines in one statement, and the first verification of a
payment takes the stock of all its lines in one. The figures print with `pytest -s`."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from benchmarks.seeding import add_orders, add_products
from shop.core.extensions import db
from tests.admin.test_admin import PASSWORD_HASH, log_in
from tests.conftest import BUYER, DATABASES, Shopper, order
from tests.payments.test_cancel import cancel
from tests.storefront.test_lookup import look_up

pytestmark = pytest.mark.parametrize("app", DATABASES, indirect=True)

SMALL = {"products": 30, "orders": 200}  # two catalogue pages, orders of every status
LARGE = {"products": 300, "orders": 600}
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class Statements:
    """The statements the shop's engine sends to the database, as SQL text."""

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, _connection, _cursor, statement, *_args) -> None:
        self.seen.append(statement)

    def starting(self, pattern: str) -> list[str]:
        return [s for s in self.seen if re.match(pattern, s.strip(), re.IGNORECASE)]

    @property
    def writes(self) -> list[str]:
        return [s for s in self.seen if WRITES.match(s)]


@contextmanager
def counting(app):
    statements = Statements()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statements)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", statements)


class Journey:
    """A purchase from the catalogue to a refund, and the operator looking at it; each step's
    statements counted."""

    def __init__(self, app):
        self.app = app
        self.counts: dict[str, int] = {}
        self.shopper = Shopper(app.test_client())
        self.client = self.shopper.client

    def step(self, name: str, request, expect: int = 200) -> Statements:
        with counting(self.app) as statements:
            response = request()
        assert response.status_code == expect, (name, response.get_data(as_text=True)[:300])
        self.counts[name] = len(statements.seen)
        self.last = response
        return statements

    def browse(self) -> None:
        self.step("GET /", lambda: self.client.get("/"))
        self.step("GET /?page=2", lambda: self.client.get("/?page=2"))
        self.step("GET /products/<slug>", lambda: self.client.get("/products/linen-cushion"))
        token = self.shopper.csrf_token()
        for product_id in (1, 2):
            self.step(
                "POST /cart/items/<id>",
                lambda pid=product_id: self.client.post(
                    f"/cart/items/{pid}", data={"quantity": 1, "csrf_token": token}
                ),
                expect=302,
            )
        self.step("GET /cart", lambda: self.client.get("/cart"))
        self.step("GET /checkout", lambda: self.client.get("/checkout"))

    def place_order(self) -> Statements:
        data = BUYER | {"csrf_token": self.shopper.csrf_token()}
        placed = self.step("POST /checkout", lambda: self.client.post("/checkout", data=data), 302)
        self.merchant_uid = self.last.headers["Location"].split("/")[2]
        self.step("GET /orders/<uid>/pay", lambda: self.client.get(self.pay_page))
        return placed

    @property
    def pay_page(self) -> str:
        return f"/orders/{self.merchant_uid}/pay"

    def pay(self) -> Statements:
        self.imp_uid = self.shopper.pay_in_window(self.merchant_uid)
        token = self.shopper.csrf_token()
        verified = self.step("POST /payments/complete (first)", self.complete(token))
        self.step("POST /payments/complete (again)", self.complete(token))
        return verified

    def complete(self, token: str):
        return lambda: self.shopper.complete(self.imp_uid, self.merchant_uid, token)

    def come_back(self) -> None:
        query = f"imp_uid={self.imp_uid}&merchant_uid={self.merchant_uid}&imp_success=true"
        self.step(
            "GET /payments/complete/mobile",
            lambda: self.client.get(f"/payments/complete/mobile?{query}"),
        )
        self.step("GET /orders/<uid>", lambda: self.client.get(f"/orders/{self.merchant_uid}"))
        self.step(
            "GET /orders/<uid>/status",
            lambda: self.client.get(f"/orders/{self.merchant_uid}/status"),
        )
        self.step(
            "POST /payments/webhook",
            lambda: self.client.post(
                "/payments/webhook",
                json={"imp_uid": self.imp_uid, "merchant_uid": self.merchant_uid, "status": "paid"},
            ),
        )
        number = order(self.app, self.merchant_uid).number
        elsewhere = self.app.test_client()
        self.step(
            "POST /orders/lookup", lambda: look_up(elsewhere, number, BUYER["buyer_tel"]), 302
        )

    def refund(self) -> None:
        self.step(
            "GET /orders/<uid>/cancel",
            lambda: self.client.get(f"/orders/{self.merchant_uid}/cancel"),
        )
        self.step("POST /orders/<uid>/cancel", lambda: cancel(self.shopper, self.merchant_uid), 302)

    def operate(self) -> None:
        admin = self.app.test_client()
        assert log_in(admin).status_code == 302
        self.step("GET /admin/", lambda: admin.get("/admin/"))
        self.step("GET /admin/review", lambda: admin.get("/admin/review"))
        self.step(
            "GET /admin/orders/<uid>", lambda: admin.get(f"/admin/orders/{self.merchant_uid}")
        )
        self.step("GET /terms", lambda: self.client.get("/terms"))

    def run(self) -> dict[str, int]:
        self.browse()
        self.place_order()
        self.pay()
        self.come_back()
        self.refund()
        self.operate()
        return self.counts


def grow(app, size: dict[str, int]) -> None:
    with app.app_context():
        add_products(db.engine, size["products"])
        add_orders(db.engine, size["orders"])


@pytest.fixture
def shop(app):
    """The small shop: two pages of products, a few orders."""
    grow(app, SMALL)
    return app


def test_statements_per_request_do_not_grow_with_the_shop(shop):
    app = shop
    app.config["ADMIN_PASSWORD_HASH"] = PASSWORD_HASH
    small = Journey(app).run()
    grow(app, LARGE)
    large = Journey(app).run()

    print(f"\nSQL statements per request, {SMALL} then {LARGE}:")
    for name, count in small.items():
        print(f"  {name:<32} {count:>3} {large[name]:>3}")
    assert large == small


def test_checkout_inserts_its_lines_in_one_statement(app, shop):
    journey = Journey(app)
    journey.browse()  # two products in the cart
    placed = journey.place_order()

    assert len(placed.starting("INSERT INTO order_line")) == 1
    assert len(order(app, journey.merchant_uid).lines) == 2


def test_paying_takes_the_stock_of_all_lines_in_one_statement(app, shop):
    """Wherever it is taken: by the confirm process, or by the first verification."""
    journey = Journey(app)
    journey.browse()
    journey.place_order()
    with counting(app) as paying:
        journey.pay()

    assert len(paying.starting("UPDATE product")) == 1
    assert order(app, journey.merchant_uid).stock_taken


def test_a_settled_payment_verified_again_writes_nothing(app, shop):
    journey = Journey(app)
    journey.browse()
    journey.place_order()
    journey.pay()

    with counting(app) as again:
        journey.complete(journey.shopper.csrf_token())()
    assert again.writes == []
