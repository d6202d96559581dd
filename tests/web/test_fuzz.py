"""Hostile requests at every route of the shop and of its sandbox: never a 5xx.

Hypothesis builds requests for each rule of both URL maps: paths, query strings, forms and
JSON bodies holding lone surrogates, NUL, integers past 2^63, nesting a thousand deep, text up
to MAX_CONTENT_LENGTH and past it, wrong types, unicode, missing fields and wrong content
types, with and without a CSRF token or a REST token, sometimes with the ids of real orders,
products and payments. A sweep then sends every rule each hostile class once. Afterwards the
orders still keep the promises of tests/invariants.py and every stored claim fits its column.

On SQLite and on PostgreSQL (which refuses NUL and text longer than its column). FUZZ_EXAMPLES
sets the generated requests per database (default 150); the figures (requests, status counts)
are printed (`pytest -s`) and written as JSON to the file FUZZ_REPORT names, if set.
"""

import json
import os
import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select
from werkzeug.security import generate_password_hash

from shop.core.extensions import db
from shop.core.ledger import PaymentEvent
from shop.core.models import Order
from tests.conftest import DATABASES, Shopper, make_app, wait_for_webhooks
from tests.invariants import broken_promises

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 150))
MAX_CONTENT_LENGTH = 1024 * 1024
SURROGATES = ("\ud800", "\udfff", "\udc00x")
NASTY_TEXT = (
    *SURROGATES,
    "\x00",
    "a\x00b",
    "",
    " ",
    "null",
    "-1",
    "0",
    "9" * 30,
    str(2**63),
    str(-(2**63) - 1),
    "1e999",
    "NaN",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "홍길동 😀",
    "\u202e\ufeff",
    "x" * 5000,
)
FIELDS = (
    "imp_uid", "merchant_uid", "status", "amount", "currency", "cancellation_id",
    "csrf_token", "quantity", "buyer_name", "buyer_email", "buyer_tel", "buyer_addr",
    "buyer_postcode", "pay_method", "agree_purchase", "source", "order_number", "reason",
    "refund_holder", "refund_bank", "refund_account", "imp_key", "imp_secret", "params",
    "mode", "channel", "origin", "merchant_code", "notice_url", "confirm_url", "vbank_code",
    "vbank_due", "vbank_holder", "checksum", "page", "limit", "from", "to", "sorting",
    "imp_uid[]", "merchant_uid[]", "error_code", "error_msg", "imp_success", "method", "done",
    "confirm", "bank_code", "bank_num", "password", "pg", "name", "tax_free", "extension",
    "recipient_name", "recipient_tel", "address_detail", "delivery_memo", "delivery_memo_typed",
    "same_as_buyer",
)  # fmt: skip
CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/json; charset=latin-1",
    "multipart/form-data; boundary=xyz",
    "application/xml",
    None,
)
PARAMETER = re.compile(r"<(?:([^<>:(]+)(?:\([^)]*\))?:)?([^<>]+)>")  # <converter:name>
HOSTILE_CLASSES = ("surrogate", "deep", "huge_int", "nul", "huge_text", "wrong_type")

figures: dict[str, Counter] = {}  # per database: requests sent, and answers per status code


class Shop:
    """The app under fire, a browser session with its CSRF token, and real ids to aim at."""

    def __init__(self, app, database: str) -> None:
        self.app = app
        self.figures = figures.setdefault(database, Counter())
        self.client = app.test_client()
        shopper = Shopper(self.client)
        self.csrf = shopper.csrf_token()
        paid = shopper.buy(product_id=1)
        imp_paid = shopper.pay_in_window(paid)
        assert shopper.complete(imp_paid, paid).status_code == 200
        pending = shopper.buy(product_id=2)
        imp_declined = shopper.pay_in_window(pending, "decline")
        vbank = shopper.buy(product_id=3, pay_method="vbank")
        imp_vbank = shopper.pay_in_window(vbank, "vbank")
        self.merchant_uids = [paid, pending, vbank]
        self.imp_uids = [imp_paid, imp_declined, imp_vbank]
        with app.app_context():
            self.order_numbers = list(db.session.scalars(select(Order.number)))
        token = self.client.post(
            "/sandbox/users/getToken",
            json={"imp_key": "sandbox_key", "imp_secret": "sandbox_secret"},
        )
        self.rest_token = token.json["response"]["access_token"]
        self.rules = [
            *((rule, "") for rule in app.url_map.iter_rules()),
            *((rule, "/sandbox") for rule in app.extensions["sandbox_app"].url_map.iter_rules()),
        ]

    def send(self, method: str, url: str, body: bytes | None, content_type, headers: dict):
        with self.client.open(
            url, method=method, data=body, content_type=content_type, headers=headers
        ) as response:
            status, page = response.status_code, response.get_data()[:300].decode(errors="replace")
        self.figures["requests"] += 1
        self.figures[status] += 1
        assert status < 500, f"{method} {url[:200]} {content_type} → {status}: {page}"


@pytest.fixture(scope="module", params=DATABASES)
def shop(request, tmp_path_factory):
    app = make_app(
        tmp_path_factory.mktemp("fuzz"),
        request.param,
        # Limits stay on (their key functions see the hostile input too) but high enough for
        # the requests to reach the views; the lookup's own limits still answer 429.
        **dict.fromkeys(
            (
                "RATELIMIT_PAYMENT_CHECKS",
                "RATELIMIT_CHECKOUT",
                "RATELIMIT_CANCEL",
                "RATELIMIT_PORTONE",
                "RATELIMIT_ORDER_STATUS",
            ),
            "100000 per minute",
        ),
        ADMIN_PASSWORD_HASH=generate_password_hash("fuzz"),  # else /admin/ answers 503 by design
    )
    for each in (app, app.extensions["sandbox_app"]):
        each.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 is an answer to count, not a crash
    yield Shop(app, request.param)
    wait_for_webhooks()
    with app.app_context():
        db.engine.dispose()


# What a hostile client sends


def scalars(shop: Shop) -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=40),
        st.builds(str.__add__, st.text(max_size=10), st.sampled_from(SURROGATES)),
        st.integers(),
        st.integers(min_value=2**63, max_value=10**40),
        st.floats(),
        st.booleans(),
        st.none(),
        st.sampled_from([*shop.merchant_uids, *shop.imp_uids, *shop.order_numbers]),
    )


def json_values(shop: Shop) -> st.SearchStrategy:
    return st.recursive(
        scalars(shop),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5)
        ),
        max_leaves=12,
    )


def request_pay_params(shop: Shop) -> st.SearchStrategy:
    """What iamport.payment.js posts to the sandbox's window, some of it real, some hostile."""
    return st.fixed_dictionaries(
        {},
        optional={
            "merchant_uid": st.sampled_from(shop.merchant_uids) | scalars(shop),
            "amount": st.sampled_from([64900, 1000, 0, -1, 1.5, "64900"]) | scalars(shop),
            "pg": st.sampled_from(["html5_inicis", "kakaopay", "paypal_v2"]) | scalars(shop),
            "pay_method": st.sampled_from(["card", "vbank", "trans"]) | scalars(shop),
            "currency": st.sampled_from(["KRW", "USD", "KRWX"]) | scalars(shop),
            "notice_url": st.sampled_from(
                ["http://shop.test/payments/webhook", "http://169.254.169.254/", "file:///x"]
            )
            | scalars(shop),
            "confirm_url": st.sampled_from(
                ["http://shop.test/payments/confirm", "http://127.0.0.1:1/"]
            )
            | scalars(shop),
            "m_redirect_url": st.sampled_from(["http://shop.test/payments/complete/mobile"])
            | scalars(shop),
            "vbank_due": scalars(shop),
            "name": scalars(shop),
        },
    )


def claims(shop: Shop) -> st.SearchStrategy:
    """The fields a payment route reads, each real, missing or hostile."""
    real = st.sampled_from([*shop.merchant_uids, *shop.imp_uids]) | scalars(shop)
    return st.fixed_dictionaries(
        {},
        optional={
            "imp_uid": st.sampled_from(shop.imp_uids) | real,
            "merchant_uid": st.sampled_from(shop.merchant_uids) | real,
            "status": st.sampled_from(["paid", "ready", "cancelled", "failed"]) | scalars(shop),
            "amount": st.sampled_from([64900, 89000]) | scalars(shop),
            "currency": st.sampled_from(["KRW", "USD"]) | scalars(shop),
            "cancellation_id": scalars(shop),
            "imp_success": st.sampled_from(["true", "false"]) | scalars(shop),
            "error_msg": scalars(shop),
        },
    )


def raw(value: object) -> str:
    """Percent-encoded as a client would send it; a lone surrogate as its (invalid) bytes."""
    text = value if isinstance(value, str) else json.dumps(value)
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def form_body(pairs: list[tuple[str, object]]) -> bytes:
    return "&".join(f"{raw(key)}={raw(value)}" for key, value in pairs).encode("ascii")


def path_value(converter: str | None, shop: Shop) -> st.SearchStrategy:
    real = {
        "int": [1, 2, 6],
        "row_id": [1, 2, 6],
        "path": ["css/shop.css", "jquery.min.js", "sandbox/sandbox.css"],
    }.get(converter, [*shop.merchant_uids, *shop.imp_uids, "approve", "decline", "paid"])
    return st.one_of(
        st.sampled_from(real),
        st.sampled_from(NASTY_TEXT).filter(bool),
        st.integers(min_value=2**31, max_value=10**30),
        st.integers(max_value=0),
        st.text(min_size=1, max_size=30),
    )


@st.composite
def hostile_requests(draw, shop: Shop):
    rule, prefix = draw(st.sampled_from(shop.rules))
    methods = sorted(rule.methods)
    method = draw(st.sampled_from(methods) | st.sampled_from(["GET", "POST", "PUT", "DELETE"]))
    values = {
        name: raw(draw(path_value(converter, shop)))
        for converter, name in PARAMETER.findall(rule.rule)
    }
    url = prefix + path_for(rule, values)
    query = draw(st.lists(st.tuples(st.sampled_from(FIELDS), scalars(shop)), max_size=4))
    if draw(st.booleans()):
        query += list(draw(claims(shop)).items())
    if query:
        url += "?" + form_body(query).decode()
    kind = draw(
        st.sampled_from(["json", "claim", "form", "deep", "huge", "bytes", "window", "none"])
    )
    content_type = draw(st.sampled_from(CONTENT_TYPES))
    body = None
    if kind == "json":
        body = json.dumps(draw(json_values(shop))).encode()
        content_type = draw(st.sampled_from(["application/json", *CONTENT_TYPES]))
    elif kind == "claim":
        fields = draw(claims(shop))
        if draw(st.booleans()):
            body = json.dumps(fields).encode()
            content_type = "application/json"
        else:
            body = form_body([*fields.items(), ("csrf_token", shop.csrf)])
            content_type = "application/x-www-form-urlencoded"
    elif kind == "form":
        pairs = draw(st.lists(st.tuples(st.sampled_from(FIELDS), scalars(shop)), max_size=8))
        if draw(st.booleans()):
            pairs.append(("csrf_token", shop.csrf))
        body = form_body(pairs)
        content_type = draw(st.sampled_from(["application/x-www-form-urlencoded", *CONTENT_TYPES]))
    elif kind == "deep":
        depth = draw(st.sampled_from([40, 1000, 100_000]))
        body = (("[" * depth) + ("]" * depth)).encode()
    elif kind == "huge":
        size = draw(st.sampled_from([MAX_CONTENT_LENGTH - 200, MAX_CONTENT_LENGTH + 1]))
        body = json.dumps({"imp_uid": "a" * size, "merchant_uid": "b"}).encode()
    elif kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "window":
        params = json.dumps(draw(request_pay_params(shop)))
        fields = {
            "merchant_code": draw(st.sampled_from(["imp00000000", "imp1"])),
            "params": params,
            "mode": draw(st.sampled_from(["iframe", "redirect", "x"])),
            "channel": "pc",
            "origin": "http://shop.test",
        }
        body = form_body(list(fields.items()))
        content_type = "application/x-www-form-urlencoded"
    headers = {}
    if draw(st.booleans()):
        headers["X-CSRFToken"] = draw(st.sampled_from([shop.csrf, "garbage"]))
    if prefix and draw(st.booleans()):
        headers["Authorization"] = draw(st.sampled_from([shop.rest_token, "Bearer x"]))
    headers["Accept"] = draw(st.sampled_from(["text/html", "application/json", "*/*"]))
    return method, url, body, content_type, headers


def path_for(rule, values: dict[str, str]) -> str:
    """The rule's path with these (already encoded) values, whatever their converters allow."""
    return PARAMETER.sub(lambda match: values[match.group(2)], rule.rule)


@pytest.mark.slow  # random requests: 2 to 4 s per database on two cores
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the repository; every run explores afresh
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_route_answers_a_hostile_request_with_a_5xx(shop, data):
    shop.send(*data.draw(hostile_requests(shop)))


def hostile_body(kind: str, shop: Shop) -> tuple[bytes, str]:
    """One body of each hostile class, with the fields every route reads."""
    fields = {name: shop.merchant_uids[0] for name in FIELDS} | {"csrf_token": shop.csrf}
    if kind == "surrogate":
        return json.dumps({name: "\ud800" for name in fields}).encode(), "application/json"
    if kind == "deep":
        return ("[" * 1000 + "]" * 1000).encode(), "application/json"
    if kind == "huge_int":
        return json.dumps({name: 2**64 for name in fields}).encode(), "application/json"
    if kind == "nul":
        pairs = [(name, f"{value}\x00") for name, value in fields.items()]
        return form_body([*pairs, ("csrf_token", shop.csrf)]), "application/x-www-form-urlencoded"
    if kind == "huge_text":  # just under MAX_CONTENT_LENGTH: "가" is six bytes as \uac00
        text = "가" * ((MAX_CONTENT_LENGTH - 1000) // 12)
        return json.dumps({"imp_uid": text, "merchant_uid": text}).encode(), "application/json"
    return json.dumps({name: [{"a": None}] for name in fields}).encode(), "application/json"


@pytest.mark.parametrize("kind", HOSTILE_CLASSES)
def test_every_route_refuses_each_hostile_class_without_a_5xx(shop, kind):
    body, content_type = hostile_body(kind, shop)
    nasty_path = {"surrogate": "%ED%A0%80", "nul": "a%00b", "huge_int": str(2**64)}
    headers = {"X-CSRFToken": shop.csrf, "Authorization": shop.rest_token}
    for rule, prefix in shop.rules:
        values = {name: nasty_path.get(kind, "x") for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = prefix + path_for(rule, values) + f"?merchant_uid={nasty_path.get(kind, 'x')}"
            shop.send(method, url, body, content_type, headers)


def test_orders_stay_consistent_and_every_claim_fits_its_column(shop):
    wait_for_webhooks()
    assert broken_promises(shop.app, reconciled=False) == []
    with shop.app.app_context():
        columns = inspect(PaymentEvent).columns
        for event in db.session.scalars(select(PaymentEvent)):
            for column in columns:
                value = getattr(event, column.key)
                if isinstance(value, str):
                    assert len(value) <= column.type.length, (column.key, value[:50])
                    assert "\x00" not in value
                    value.encode("utf-8")  # no lone surrogate
        db.session.rollback()
    report()


def report() -> None:
    """Requests sent and answers per status code, per database and in all."""
    every = {**figures, "all": sum(figures.values(), Counter())}
    counts = {
        name: {str(key): n for key, n in sorted(c.items(), key=str)} for name, c in every.items()
    }
    for name, count in counts.items():
        print(f"\nfuzz figures, {name}: {count}")
    if path := os.environ.get("FUZZ_REPORT"):
        Path(path).write_text(json.dumps(counts, indent=1) + "\n")
