"""A Hypothesis state machine: the shop and its PortOne sandbox under random histories.

Each run starts an empty shop (SQLite) and lets Hypothesis choose steps in four worlds:

- the shopper's: buy (card or virtual account) and decide the payment window (desktop iframe
  or phone redirect): pay, decline, close, leave it open, or pay an amount the PG reports
  wrongly; pay again from the tab kept since checkout; come back to the shop (the callback,
  or the return URL) once, twice, late, or never;
- the gateway's: the webhooks PortOne sent (in tests the sandbox logs them as dropped: lost
  unless a step delivers them) arrive once, twice, late or newest first; a deposit into a
  virtual account, a full or partial cancel and an account expiring, at PortOne's console;
  one-off faults (a 500 or an HTML 503 from the API, no answer at all, a revoked token) just
  before a delivery or a reconciliation run;
- an attacker's: callbacks, return URLs and webhooks that name a real payment with another
  order's merchant_uid or a status the payment does not have, or a payment nobody made;
- the shop's cron: reconciliation.

After every step the promises of tests/invariants.py hold (`reconciled=False`), an order seen
in needs_review has left it only by a move the status table names for that, the shop has
answered nothing >= 500 but the 503 "pending" a fault calls for, and every sandbox answer
fits the V1 spec. A delivery that met a fault leaves its order as it was, a repeated one
changes nothing, and a forged one does not move the order it names. After a fault-free
reconciliation the promises that need one hold too (`reconciled=True`), and a second run
changes nothing.
"""

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)
from sqlalchemy import select

from iamport_sandbox import switchboard
from iamport_sandbox.dashboard import TEST_REFUND_ACCOUNT
from shop.core.extensions import db
from shop.core.ledger import Notice, Payment
from shop.core.models import Order, OrderStatus, Product
from shop.payments.reconcile import reconcile
from shop.payments.settled import FINAL
from tests.conftest import GatewaySwitch, Shopper, make_app, wait_for_webhooks
from tests.invariants import broken_promises, left_review
from tests.spec_check import SpecCheck

pytestmark = pytest.mark.slow  # about 30 s on two cores, far longer when it shrinks


def weighted(*choices: tuple[object, int]) -> st.SearchStrategy:
    """sampled_from, each value as many times as its weight."""
    return st.sampled_from([value for value, weight in choices for _ in range(weight)])


PRODUCTS = st.sampled_from([2, 6])  # 89,000원 with 5 left (orders compete), 15,900원 with 30
QUANTITIES = st.integers(1, 3)
METHODS = st.sampled_from(["card", "vbank"])
MODES = st.sampled_from(["iframe", "redirect"])  # desktop callback, or the phone's return URL
TAMPERED = "pay, the PG reporting 100원"
TAMPERED_AMOUNT = 100
LEFT_OPEN = "leave the window open"
DECISIONS = weighted(("pay", 4), ("decline", 1), ("close", 1), (TAMPERED, 1), (LEFT_OPEN, 1))
CONSOLE_ACTIONS = st.sampled_from(
    ["deposit", "cancel in full", "cancel in part", "expire the account"]
)
REVOKED = "revoked token"
FAULTS = st.sampled_from(["500", "503", "unreachable", REVOKED])
CHANNELS = st.sampled_from(["callback", "return", "webhook"])
CLAIMED_STATUSES = st.sampled_from(["paid", "cancelled", "ready", "failed"])
UNKNOWN_IMP_UID = "imp_000000000000"
CHECKING = "결제 결과를 확인하고 있습니다"  # the return page while the gateway is away


@dataclass(frozen=True)
class Purchase:
    merchant_uid: str
    method: str  # card or vbank
    pay_request: dict  # the pay page's request_pay() parameters, as a tab left open keeps them


@dataclass(frozen=True)
class Attempt:
    """A payment PortOne has for an order, and how the shopper's browser comes back with it."""

    imp_uid: str
    order: Purchase
    return_url: str | None  # the phone's return URL; None: the desktop callback


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


class PaymentMachine(RuleBasedStateMachine):
    # Every order is bought with a first window, so one bundle holds all there is to act on.
    payments = Bundle("payments")

    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="shop-state-machine-"))
        self.app = make_app(self.folder)
        self.gateway = self.app.extensions["portone"]
        sandbox_app = self.app.extensions["sandbox_app"]
        self.sandbox = sandbox_app.extensions["sandbox"]
        self.spec_check = SpecCheck(sandbox_app)
        self.link = GatewaySwitch(self.gateway)
        self.shopper = Shopper(self.app.test_client())
        self.token = self.shopper.csrf_token()
        self.server_errors: list[str] = []
        self.reached: set[OrderStatus] = set()
        self.seen: dict[str, OrderStatus] = {}  # the statuses after the last step
        self.steps = -1  # the invariants also run once before the first rule

    def teardown(self):
        if currently_in_test_context():  # for --hypothesis-show-statistics
            for status in sorted(self.reached, key=list(OrderStatus).index):
                event(f"an order reached {status.value}")
            if self.steps >= 0:
                event(f"a run of {self.steps // 5 * 5}-{self.steps // 5 * 5 + 4} steps")
        wait_for_webhooks()
        with self.app.app_context():
            db.engine.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # The shopper's world

    @initialize(webhook_format=st.sampled_from(["json", "form"]))
    def gateway_sends_webhooks_as(self, webhook_format):
        switchboard.set(self.sandbox, "webhook_format", webhook_format)

    @initialize(
        target=payments,
        product=PRODUCTS,
        quantity=QUANTITIES,
        method=METHODS,
        mode=MODES,
        decision=DECISIONS,
    )
    def first_customer_buys_and_pays(self, product, quantity, method, mode, decision):
        return self.buy_and_pay(product, quantity, method, mode, decision)

    @rule(
        target=payments,
        product=PRODUCTS,
        quantity=QUANTITIES,
        method=METHODS,
        mode=MODES,
        decision=DECISIONS,
    )
    def buy_and_pay(self, product, quantity, method, mode, decision):
        """Check out, then decide the payment window. What the window decided is not told
        to the shop here: the browser comes back (or not) in another step."""
        if self.stock(product) < quantity:
            return multiple()  # the shop refuses the checkout
        merchant_uid = self.shopper.buy(product, quantity, pay_method=method)
        order = Purchase(merchant_uid, method, self.shopper.pay_request(merchant_uid))
        return self.decide_window(order, mode, decision)

    @rule(target=payments, earlier=payments, mode=MODES, decision=DECISIONS)
    def pay_again_from_the_same_tab(self, earlier, mode, decision):
        """Another window for the same order, opened from the tab kept since checkout: a retry
        after a failure, or a second payment of an order that is paid by now."""
        return self.decide_window(earlier.order, mode, decision)

    @rule(payment=payments, times=st.sampled_from([1, 2]))
    def browser_comes_back(self, payment, times):
        """The callback then the order page (desktop), or the return URL (phone); the second
        time changes nothing. A payment stored paid or cancelled is answered from storage: a
        cancel made at the console since reaches the shop by webhook or reconciliation."""
        settled = self.stored_status(payment) in FINAL
        self.come_back(payment)
        if not settled:
            self.check_stored(payment)
        if times == 2:
            before = self.footprint(payment.order)
            self.come_back(payment)
            assert self.footprint(payment.order) == before, "a repeated return moved the order"

    # The gateway's world (its webhooks are sent and dropped: lost unless a rule delivers them)

    @rule(
        payment=payments,
        which=st.sampled_from(["latest", "earliest"]),
        times=st.sampled_from([1, 2]),
    )
    def webhook_arrives(self, payment, which, times):
        """One of the webhooks PortOne sent for the payment (`earliest`: a late one)."""
        sent = self.webhooks_sent(payment)
        if not sent:
            return
        webhook = sent[-1] if which == "latest" else sent[0]
        self.deliver_webhook(webhook)
        self.check_stored(payment)
        if times == 2:
            before = self.footprint(payment.order)
            self.deliver_webhook(webhook)
            assert self.footprint(payment.order) == before, "a repeated webhook moved the order"

    @rule(first=payments, second=payments)
    def webhooks_arrive_newest_first(self, first, second):
        """Every webhook of two payments, the newest first: what a slow queue does."""
        sent = self.webhooks_sent(first) + self.webhooks_sent(second)
        for webhook in sorted(sent, key=lambda w: w["id"], reverse=True):
            self.deliver_webhook(webhook)
        for payment in (first, second):
            if self.webhooks_sent(payment):
                self.check_stored(payment)

    @rule(payment=payments, action=CONSOLE_ACTIONS)
    def at_the_gateway_console(self, payment, action):
        """What happens at PortOne without the shop, to the order's payment it fits (as a
        cancel by merchant_uid picks the paid one): a deposit into its open account, a cancel,
        the account expiring. A refusal (nothing to deposit into or cancel) changes nothing."""
        target = self.console_target(payment, action)
        url = f"/sandbox/dashboard/payments/{target['imp_uid']}/"
        if action == "deposit":
            done = self.shopper.client.post(url + "deposit")
        elif action == "expire the account":
            done = self.shopper.client.post(url + "expire")
        else:
            left = target["amount"] - target["cancel_amount"]
            amount = str(left // 2) if action == "cancel in part" and left >= 2 else ""
            refund = TEST_REFUND_ACCOUNT | {"refund_holder": "홍길동"}
            done = self.shopper.client.post(url + "cancel", data={"amount": amount, **refund})
        assert done.status_code in (303, 409), done.get_data(as_text=True)  # 409: refused

    # Faults just before a delivery or a run

    @rule(payment=payments, channel=st.sampled_from(["browser", "webhook"]), fault=FAULTS)
    def delivery_meets_a_gateway_fault(self, payment, channel, fault):
        """The shop cannot ask PortOne: it answers "pending" (503) and changes nothing.
        A revoked token is the exception: the shop takes a new one and carries on."""
        sent = self.webhooks_sent(payment)
        if channel == "webhook" and not sent:
            return
        before = self.footprint(payment.order)
        # A customer's repeat about a settled payment may be answered from storage, unasked.
        from_storage = channel != "webhook" and self.stored_status(payment) in FINAL
        with self.gateway_failing(fault, must_be_used=not from_storage):
            if channel == "webhook":
                answer = self.deliver_webhook(sent[-1], outage=fault != REVOKED)
            else:
                answer = self.come_back(payment, outage=fault != REVOKED)
        if fault == REVOKED:
            self.check_stored(payment)
            return
        if channel == "webhook":
            assert answer.status == 503 and '"retry"' in answer.body, answer
        elif from_storage:
            assert answer.status in (200, 503), answer
        elif payment.return_url:
            assert answer.status == 200 and CHECKING in answer.body, answer
        else:
            assert answer.status == 503 and '"pending"' in answer.body, answer
        assert self.footprint(payment.order) == before, "our outage moved the order"

    # The shop's cron

    @rule(fault=st.sampled_from([None, "500", "503", "unreachable"]))
    def reconciliation_runs(self, fault):
        """Without a fault: afterwards nothing is missing, and a second run changes nothing.
        With one: an order PortOne could not be asked about stays as it was (one asked about
        in the same run, e.g. in the list of recent cancellations, may move)."""
        if fault is None:
            self.reconcile()
            broken = broken_promises(self.app, reconciled=True)
            assert not broken, "after reconciliation:\n" + "\n".join(broken)
            again = self.reconcile()
            assert [entry for entry in again if entry.changed] == [], "a second run moved orders"
            return
        before = self.statuses()
        with self.gateway_failing(fault, must_be_used=False):
            checked = self.reconcile()
        after = self.statuses()
        asked = {entry.merchant_uid for entry in checked if entry.after is not None}
        unasked = {entry.merchant_uid for entry in checked if entry.before is not None} - asked
        for merchant_uid in unasked:
            assert after[merchant_uid] == before[merchant_uid], f"{merchant_uid} moved by a fault"

    # An attacker's world

    @rule(payment=payments, victim=payments, channel=CHANNELS, claimed=CLAIMED_STATUSES)
    def forged_claim(self, payment, victim, channel, claimed):
        """A real payment's imp_uid sent with another order's merchant_uid, or with a status it
        does not have: the payment's own order follows PortOne, the victim does not move."""
        before = self.footprint(victim.order)
        claim = {"imp_uid": payment.imp_uid, "merchant_uid": victim.order.merchant_uid}
        if channel == "callback":
            answer = self.callback(**claim)
        elif channel == "return":
            success = "true" if claimed == "paid" else "false"
            answer = self.shop("GET", mobile_return(claim | {"imp_success": success}))
        else:
            answer = self.shop("POST", "/payments/webhook", json=claim | {"status": claimed})
        if victim.order != payment.order:
            assert answer.status == (200 if channel == "webhook" else 409), answer
            assert self.footprint(victim.order) == before, "a forged claim moved another order"

    @rule(payment=payments, channel=CHANNELS)
    def claim_for_a_payment_the_gateway_never_had(self, payment, channel):
        before = self.footprint(payment.order)
        claim = {"imp_uid": UNKNOWN_IMP_UID, "merchant_uid": payment.order.merchant_uid}
        if channel == "callback":
            assert self.callback(**claim).status == 404
        elif channel == "return":
            assert self.shop("GET", mobile_return(claim | {"imp_success": "true"})).status == 200
        else:
            webhook = claim | {"status": "paid"}
            assert self.shop("POST", "/payments/webhook", json=webhook).status == 200
        assert self.footprint(payment.order) == before, "a payment nobody made moved the order"

    # What must hold after every step

    @invariant()
    def promises_are_kept(self):
        broken = broken_promises(self.app, reconciled=False)
        assert not broken, "\n".join(broken)

    @invariant()
    def review_waits_for_a_person(self):
        """An order that entered needs_review leaves it only by an admin's resolution or a
        move the status table names (states.REVIEW_EXITS): no later delivery, return or
        reconciliation takes it on to paid."""
        now = self.statuses()
        with self.app.app_context():
            broken = left_review(self.seen, now)
            db.session.rollback()
        self.seen = now
        assert not broken, "\n".join(broken)

    @invariant()
    def the_shop_never_fails_on_its_own(self):
        assert not self.server_errors, "\n".join(self.server_errors)

    @invariant()
    def the_sandbox_speaks_v1(self):
        assert not self.spec_check.violations, "\n".join(self.spec_check.violations)

    @invariant()
    def note_what_was_explored(self):  # for --hypothesis-show-statistics
        self.reached |= set(self.statuses().values())
        self.steps += 1

    # Helpers

    def shop(self, method: str, url: str, outage: bool = False, **kwargs) -> Answer:
        """A request to the shop; any 5xx but an outage's 503 is remembered as a failure."""
        response = self.shopper.client.open(url, method=method, **kwargs)
        answer = Answer(response.status_code, response.get_data(as_text=True))
        if answer.status >= 500 and not (outage and answer.status == 503):
            self.server_errors.append(f"{method} {url} → {answer.status}: {answer.body[:300]}")
        return answer

    def callback(self, imp_uid: str, merchant_uid: str, outage: bool = False) -> Answer:
        body = {"imp_uid": imp_uid, "merchant_uid": merchant_uid}
        headers = {"X-CSRFToken": self.token}
        return self.shop("POST", "/payments/complete", outage, json=body, headers=headers)

    def come_back(self, payment: Attempt, outage: bool = False) -> Answer:
        if payment.return_url:
            return self.shop("GET", payment.return_url, outage)
        answer = self.callback(payment.imp_uid, payment.order.merchant_uid, outage)
        page = json.loads(answer.body).get("redirect_url")
        if page:  # where the pay page's script sends the customer
            assert self.shop("GET", page).status == 200
        return answer

    def decide_window(self, order: Purchase, mode: str, decision: str):
        """A payment window and its decision; nothing (multiple()) when PortOne refuses."""
        if decision == TAMPERED and order.method == "vbank":  # the prepared amount guards it
            tampered = self.shopper.open_window(
                order.merchant_uid, mode, request=order.pay_request, amount=TAMPERED_AMOUNT
            )
            assert tampered.status_code != 303, "a window opened for a tampered amount"
            return multiple()
        opened = self.shopper.open_window(order.merchant_uid, mode, request=order.pay_request)
        if opened.status_code != 303:  # refused: PortOne has a paid payment for this order
            if mode == "redirect":  # the phone comes back without an imp_uid
                self.shop("GET", opened.headers["Location"])
            return multiple()
        imp_uid = opened.headers["Location"].rstrip("/").rsplit("/", 1)[1]
        if decision == LEFT_OPEN:
            return Attempt(imp_uid, order, None)
        outcome = {"pay": "approve", TAMPERED: "approve"}.get(decision, decision)
        if outcome == "approve" and order.method == "vbank":
            outcome = "vbank"
        if decision == TAMPERED:
            switchboard.set(self.sandbox, "window_reported_amount", TAMPERED_AMOUNT)
        try:
            _, decided = self.shopper.decide(opened, outcome)
        finally:
            switchboard.set(self.sandbox, "window_reported_amount", 0)
        assert decided.status_code == (302 if mode == "redirect" else 200)
        return_url = decided.headers["Location"] if mode == "redirect" else None
        return Attempt(imp_uid, order, return_url)

    def reconcile(self):
        with self.app.app_context():
            return reconcile(self.gateway, timedelta(0))

    def console_target(self, payment: Attempt, action: str) -> dict:
        """The order's newest payment the console action applies to, else the payment itself."""
        listed = self.gateway.payments_of(payment.order.merchant_uid)  # newest first
        if action.startswith("cancel"):
            fitting = [p for p in listed if p["status"] in ("paid", "cancelled")]
            fitting = [p for p in fitting if p["cancel_amount"] < p["amount"]]
        else:
            fitting = [p for p in listed if p["status"] == "ready" and p["vbank_num"]]
        return fitting[0] if fitting else self.gateway.get_payment(payment.imp_uid)

    def webhooks_sent(self, payment: Attempt) -> list[dict]:
        return [w for w in self.sandbox.deliveries(payment.imp_uid) if w["outcome"] == "dropped"]

    def deliver_webhook(self, webhook: dict, outage: bool = False) -> Answer:
        """The very body PortOne sent, to the notice_url it was sent to."""
        path = urlsplit(webhook["url"]).path
        headers = {"Content-Type": webhook["content_type"]}
        answer = self.shop("POST", path, outage, data=webhook["body"], headers=headers)
        assert answer.status in (200, 503), answer
        return answer

    @contextmanager
    def gateway_failing(self, fault: str, must_be_used: bool = True):
        """One failing answer from PortOne's API (500, 503, 401), or none at all."""
        if fault == "unreachable":
            self.link.cut()
        elif fault == REVOKED:
            switchboard.set(self.sandbox, "api_unauthorized_once", True)
        else:
            switchboard.set(self.sandbox, "api_fail_status", fault)
            switchboard.set(self.sandbox, "api_fail_next", 1)
        try:
            yield
        finally:
            self.link.restore()
            unused = switchboard.get(self.sandbox, "api_fail_next") or switchboard.get(
                self.sandbox, "api_unauthorized_once"
            )
            switchboard.set(self.sandbox, "api_fail_next", 0)
            switchboard.set(self.sandbox, "api_fail_status", "500")
            switchboard.set(self.sandbox, "api_unauthorized_once", False)
        assert not (must_be_used and unused), "the shop did not ask the gateway"

    def check_stored(self, payment: Attempt) -> None:
        """After a delivery that met no fault the shop stores the payment as PortOne has it."""
        truth = self.gateway.get_payment(payment.imp_uid)
        with self.app.app_context():
            stored = db.session.execute(
                select(Payment.status, Payment.cancel_amount).where(
                    Payment.imp_uid == payment.imp_uid
                )
            ).one_or_none()
        assert stored is not None and tuple(stored) == (
            truth["status"],
            truth["cancel_amount"],
        ), f"stored {stored}, PortOne has {truth['status']} {truth['cancel_amount']}"

    def stored_status(self, payment: Attempt) -> str | None:
        with self.app.app_context():
            return db.session.scalar(
                select(Payment.status).where(Payment.imp_uid == payment.imp_uid)
            )

    def footprint(self, purchase: Purchase) -> tuple:
        """What a claim could change about an order: status, stored payments, notices, stock."""
        with self.app.app_context():
            order = db.session.execute(
                select(Order).where(Order.merchant_uid == purchase.merchant_uid)
            ).scalar_one()
            payments = sorted((p.imp_uid, p.status, p.cancel_amount) for p in order.payments)
            notices = db.session.scalars(select(Notice.kind).where(Notice.order_id == order.id))
            found = (order.status, payments, sorted(notices), order.stock_taken)
            db.session.rollback()
        return found

    def statuses(self) -> dict[str, OrderStatus]:
        with self.app.app_context():
            rows = db.session.execute(select(Order.merchant_uid, Order.status)).all()
            db.session.rollback()
        return dict(rows)

    def stock(self, product_id: int) -> int:
        with self.app.app_context():
            return db.session.get(Product, product_id).stock


def mobile_return(query: dict) -> str:
    return "/payments/complete/mobile?" + urlencode(query)


TestPayments = PaymentMachine.TestCase
TestPayments.settings = settings(
    # About 30 s on two cores; STATE_MACHINE_EXAMPLES=500 explores for longer.
    max_examples=int(os.environ.get("STATE_MACHINE_EXAMPLES", 40)),
    stateful_step_count=25,
    deadline=None,
    database=None,  # nothing written into the repository; every run explores afresh
    phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no explain: slow for machines
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
