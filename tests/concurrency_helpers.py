"""What the concurrency tests share: deliveries released together from a barrier, what one
order looks like afterwards, and the figures each test prints and asserts.

A delivery is a callable returning an Answer, sent through the Flask test client (threads in
this process) or over HTTP to a gunicorn server (separate processes).
"""

import re
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from sqlalchemy import func, select

from shop.core.extensions import db
from shop.core.ledger import Notice, PaymentEvent
from shop.core.models import Order, Product

BARRIER_SECONDS = 30  # a thread that never reaches the barrier breaks it instead of hanging
HTTP_SECONDS = 30
CARD_DELIVERIES = 8  # per round of Rounds.card
VBANK_DELIVERIES = 12  # per round of Rounds.virtual_account (6 before the deposit, 6 after)
# A product of its own, so that a hundred rounds never run out of stock. Its slug is not a
# demo product's, so broken_promises' stock balance leaves it to the rounds' own checks.
STOCKED = {
    "slug": "concurrency-stool",
    "name": "동시성 시험용 스툴",
    "description": "동시 결제 알림 시험에만 쓰는 상품입니다.",
    "price": 31000,
    "stock": 10_000,
    "image": "img/products/swivel-chair.svg",
}


@dataclass(frozen=True)
class Answer:
    kind: str  # callback, redirect, webhook, deposit
    status: int  # 0: no answer at all (the connection failed)
    body: str = ""

    def __str__(self) -> str:
        return f"{self.kind} → {self.status}: {self.body[:300]}"


@dataclass(frozen=True)
class Delivery:
    kind: str  # callback, redirect, webhook; or deposit (the sandbox console's, not the shop's)
    send: Callable[[], Answer]
    copy: bool = False  # the same notification again (a duplicate webhook)
    expected: int = 200  # the status code the answer should have

    @property
    def to_shop(self) -> bool:
        return self.kind in ("callback", "redirect", "webhook")


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


class InProcess:
    """Requests to the app in this process, each through a test client of its own (Flask's
    test client is not thread-safe)."""

    def __init__(self, app):
        self.app = app

    def send(self, kind: str, method: str, path: str, cookie: str | None = None, **body) -> Answer:
        client = self.app.test_client()
        if cookie:
            client.set_cookie("session", cookie, domain=self.host)
        answer = client.open(path, method=method, **body)
        return Answer(kind, answer.status_code, answer.get_data(as_text=True))

    def browser_session(self) -> tuple[str, str]:
        """A session cookie and its CSRF token, as a browser has them after opening a page."""
        client = self.app.test_client()
        page = client.get("/cart").get_data(as_text=True)
        return client.get_cookie("session", domain=self.host).value, csrf_token(page)

    @property
    def host(self) -> str:
        return self.app.config.get("SERVER_NAME") or "localhost"


class OverHTTP:
    """Requests over the network to a server on this machine, one connection each."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def send(self, kind: str, method: str, path: str, cookie: str | None = None, **body) -> Answer:
        try:
            answer = requests.request(
                method,
                self.base_url + path,
                cookies={"session": cookie} if cookie else None,
                allow_redirects=False,
                timeout=HTTP_SECONDS,
                **body,
            )
        except requests.RequestException as error:
            return Answer(kind, 0, repr(error))
        return Answer(kind, answer.status_code, answer.text)

    def browser_session(self) -> tuple[str, str]:
        page = requests.get(self.base_url + "/cart", timeout=HTTP_SECONDS)
        page.raise_for_status()
        return page.cookies["session"], csrf_token(page.text)


class Deliveries:
    """Every way news of one payment reaches the shop, as deliveries to release together.

    Callbacks carry a browser's session cookie and CSRF token, as the pay page's script does;
    the phone's return and PortOne's webhooks come without a cookie, through `elsewhere` when
    given (another host behind the same address), as does the sandbox's deposit.
    """

    def __init__(self, transport: InProcess | OverHTTP, elsewhere: OverHTTP | None = None):
        self.transport = transport
        self.elsewhere = elsewhere or transport
        self.cookie, self.token = transport.browser_session()

    def callbacks(self, imp_uid: str, merchant_uid: str, count: int) -> list[Delivery]:
        def send() -> Answer:
            return self.transport.send(
                "callback",
                "POST",
                "/payments/complete",
                cookie=self.cookie,
                json={"imp_uid": imp_uid, "merchant_uid": merchant_uid},
                headers={"X-CSRFToken": self.token},
            )

        return [Delivery("callback", send) for _ in range(count)]

    def returns(self, imp_uid: str, merchant_uid: str, count: int) -> list[Delivery]:
        query = urlencode({"imp_uid": imp_uid, "merchant_uid": merchant_uid, "imp_success": "true"})

        def send() -> Answer:
            return self.elsewhere.send("redirect", "GET", f"/payments/complete/mobile?{query}")

        return [Delivery("redirect", send) for _ in range(count)]

    def webhooks(self, imp_uid: str, merchant_uid: str, status: str) -> list[Delivery]:
        """One notification as JSON and as a form, each delivered twice: three duplicates."""
        body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "status": status}

        def sender(form: bool) -> Callable[[], Answer]:
            encoded = {"data": body} if form else {"json": body}
            return lambda: self.elsewhere.send("webhook", "POST", "/payments/webhook", **encoded)

        sends = [sender(form) for form in (False, False, True, True)]
        return [Delivery("webhook", send, copy=number > 0) for number, send in enumerate(sends)]

    def deposit(self, imp_uid: str) -> Delivery:
        """The buyer pays into the virtual account (the button of the sandbox's console)."""
        path = f"/sandbox/dashboard/payments/{imp_uid}/deposit"
        return Delivery(
            "deposit", lambda: self.elsewhere.send("deposit", "POST", path), expected=303
        )


def release_together(deliveries: list[Delivery]) -> list[Answer]:
    """Send every delivery from its own thread, all let go at once by a barrier.

    An exception in a delivery through the test client is what a server would answer with
    500: it becomes such an Answer, with the traceback, so the round's check shows it.
    """
    barrier = threading.Barrier(len(deliveries))

    def run(delivery: Delivery) -> Answer:
        barrier.wait(BARRIER_SECONDS)
        try:
            return delivery.send()
        except Exception:
            return Answer(delivery.kind, 500, traceback.format_exc())

    with ThreadPoolExecutor(len(deliveries), thread_name_prefix="delivery") as pool:
        return list(pool.map(run, deliveries))


@dataclass(frozen=True)
class OrderFacts:
    """One order as the shop's tables tell it after a round."""

    status: str
    notices: dict[str, int]  # kind → how many
    moves: list[tuple[str, str]]  # (before, after) of every recorded change of status
    # Events recorded for the order: one per delivery that reached the sync. A callback or
    # return that finds the payment settled already is answered from storage, recorded only
    # when it is the payment's first customer return (shop.payments.settled).
    claims: int = field(compare=False)
    stock: int  # of the product bought
    # The source (callback, redirect, webhook) of the move to paid: who won the race.
    paid_by: str | None = field(default=None, compare=False)


def order_facts(app, merchant_uid: str, product_id: int) -> OrderFacts:
    with app.app_context():
        order = db.session.execute(
            select(Order).where(Order.merchant_uid == merchant_uid)
        ).scalar_one()
        kinds = db.session.execute(
            select(Notice.kind, func.count())
            .where(Notice.order_id == order.id)
            .group_by(Notice.kind)
        ).all()
        events = (
            db.session.execute(
                select(PaymentEvent)
                .where(PaymentEvent.order_id == order.id, PaymentEvent.source != "confirm")
                .order_by(PaymentEvent.id)
            )
            .scalars()
            .all()
        )
        facts = OrderFacts(
            status=order.status.value,
            notices=dict(kinds),
            moves=[
                (e.order_status_before, e.order_status_after)
                for e in events
                if e.order_status_before != e.order_status_after
            ],
            paid_by=next(
                (
                    e.source
                    for e in events
                    if e.order_status_before != e.order_status_after == "paid"
                ),
                None,
            ),
            claims=len(events),
            stock=db.session.get(Product, product_id).stock,
        )
        db.session.rollback()
        return facts


def fetch_history(app, merchant_uid: str) -> tuple[list[str], list[str]]:
    """What the order's syncs fetched from the gateway, in the order they were applied, and
    the statuses of its stored payments."""
    with app.app_context():
        order = db.session.execute(
            select(Order).where(Order.merchant_uid == merchant_uid)
        ).scalar_one()
        fetched = db.session.execute(
            select(PaymentEvent.gateway_status)
            .where(PaymentEvent.order_id == order.id)
            .order_by(PaymentEvent.id)
        ).scalars()
        history = list(fetched), [payment.status for payment in order.payments]
        db.session.rollback()
        return history


def stocked_product(app) -> int:
    """Add the well-stocked product; its id."""
    with app.app_context():
        product = Product(**STOCKED)
        db.session.add(product)
        db.session.commit()
        return product.id


def stock_of(app, product_id: int) -> int:
    with app.app_context():
        stock = db.session.get(Product, product_id).stock
        db.session.rollback()
        return stock


@dataclass
class Tally:
    """The figures a test prints in one line and asserts."""

    label: str
    rounds: int = 0
    deliveries: int = 0
    duplicates: int = 0  # claims the shop recorded that changed nothing
    stored: int = 0  # customer deliveries answered from storage without a row of their own
    copies: int = 0  # duplicate webhooks: the same notification delivered again
    server_errors: int = 0
    paid_by: Counter = field(default_factory=Counter)  # which kind of delivery won the race
    started: float = field(default_factory=time.monotonic)

    def count(self, deliveries: list[Delivery], answers: list[Answer]) -> None:
        self.deliveries += sum(d.to_shop for d in deliveries)
        self.copies += sum(d.copy for d in deliveries)
        self.server_errors += sum(a.status >= 500 for a in answers)

    def count_round(self, facts: OrderFacts, delivered: int) -> None:
        self.rounds += 1
        self.duplicates += facts.claims - len(facts.moves)
        self.stored += delivered - facts.claims
        self.paid_by[facts.paid_by] += 1

    def line(self) -> str:
        return (
            f"concurrency {self.label}: rounds={self.rounds} deliveries={self.deliveries}"
            f" duplicates={self.duplicates} stored={self.stored} duplicate_webhooks={self.copies}"
            f" 5xx={self.server_errors} seconds={time.monotonic() - self.started:.1f}"
            f" paid_by={','.join(f'{k}:{n}' for k, n in sorted(self.paid_by.items(), key=str))}"
        )


def database_name(app) -> str:
    return (
        "postgresql" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres") else "sqlite"
    )


def unexpected(deliveries: list[Delivery], answers: list[Answer]) -> list[str]:
    """Answers with another status than the delivery expects, in words."""
    return [str(a) for d, a in zip(deliveries, answers, strict=True) if a.status != d.expected]


class Rounds:
    """The rounds of one test: each buys one order through the test's own app and pays it in
    the sandbox's window, then releases deliveries of that payment together and checks the
    order; the tally counts them all."""

    def __init__(self, app, shopper, deliveries: Deliveries, label: str):
        self.app = app
        self.shopper = shopper
        self.deliveries = deliveries
        self.product_id = stocked_product(app)
        self.tally = Tally(f"{label} {database_name(app)}")

    def order(self, pay_method: str = "card") -> tuple[str, str, int]:
        """A new order paid in the window (card approved, or account issued): its
        merchant_uid, the payment's imp_uid and the product's stock before the payment (whose
        confirm process holds one for it)."""
        merchant_uid = self.shopper.buy(self.product_id, pay_method=pay_method)
        before = stock_of(self.app, self.product_id)
        imp_uid = self.shopper.pay_in_window(
            merchant_uid, "approve" if pay_method == "card" else "vbank"
        )
        return merchant_uid, imp_uid, before

    def release(self, deliveries: list[Delivery]) -> list[Answer]:
        answers = release_together(deliveries)
        self.tally.count(deliveries, answers)
        problems = unexpected(deliveries, answers)
        assert not problems, f"round {self.tally.rounds + 1}:\n" + "\n".join(problems)
        return answers

    def facts(self, merchant_uid: str) -> OrderFacts:
        return order_facts(self.app, merchant_uid, self.product_id)

    def check(self, merchant_uid: str, expected: OrderFacts, webhooks: int) -> OrderFacts:
        """The round ends with the order as expected; it is counted. Every webhook reaches
        the sync; the customer's deliveries may be answered from storage."""
        facts = self.facts(merchant_uid)
        assert facts == expected, f"round {self.tally.rounds + 1}: {facts} != {expected}"
        assert webhooks <= facts.claims <= expected.claims, f"round {self.tally.rounds + 1}"
        self.tally.count_round(facts, delivered=expected.claims)
        return facts

    def card(self) -> None:
        """Two callbacks, two phone returns and four webhooks of one card payment at once."""
        merchant_uid, imp_uid, stock = self.order()
        self.release(
            self.deliveries.callbacks(imp_uid, merchant_uid, 2)
            + self.deliveries.returns(imp_uid, merchant_uid, 2)
            + self.deliveries.webhooks(imp_uid, merchant_uid, "paid")
        )
        paid_once = OrderFacts(
            status="paid",
            notices={"payment_confirmed": 1},
            moves=[("pending", "paid")],
            claims=CARD_DELIVERIES,
            stock=stock - 1,
        )
        self.check(merchant_uid, paid_once, webhooks=4)

    def virtual_account(self) -> None:
        """A callback, a phone return and four `ready` webhooks of an issued account at once;
        the deposit; then two phone returns and four `paid` webhooks at once."""
        merchant_uid, imp_uid, stock = self.order("vbank")
        self.release(
            self.deliveries.callbacks(imp_uid, merchant_uid, 1)
            + self.deliveries.returns(imp_uid, merchant_uid, 1)
            + self.deliveries.webhooks(imp_uid, merchant_uid, "ready")
        )
        issued = self.facts(merchant_uid)
        assert (issued.moves, issued.notices, issued.stock) == (
            [("pending", "vbank_issued")],
            {"vbank_issued": 1},
            stock - 1,  # held for the deposit
        ), f"round {self.tally.rounds + 1}: {issued}"
        self.release([self.deliveries.deposit(imp_uid)])
        self.release(
            self.deliveries.returns(imp_uid, merchant_uid, 2)
            + self.deliveries.webhooks(imp_uid, merchant_uid, "paid")
        )
        paid_once = OrderFacts(
            status="paid",
            notices={"vbank_issued": 1, "deposit_received": 1},
            moves=[("pending", "vbank_issued"), ("vbank_issued", "paid")],
            claims=VBANK_DELIVERIES,
            stock=stock - 1,
        )
        self.check(merchant_uid, paid_once, webhooks=8)
