"""PortOne's official Node.js client for V1, unmodified, against the standalone sandbox served
on a real local socket.

The client is npm's iamport-rest-client-nodejs 0.9.12: the package names the iamport
organisation's rest-client-nodejs repository as its home and sends `User-Agent:
iamport-rest-client-nodejs/v0.9.12`. It is pinned in node/package.json and node/package-lock.json,
and `make test` installs it (npm ci). node/conformance.js makes the calls and prints one JSON
line per call; these tests check the values that came back, and that every JSON answer the
client received fits PortOne's V1 spec (tests/spec_check.py). Besides payments, prepare and
virtual accounts, the script makes every escrow (Escrows) and cash receipt (Receipts, External)
call the client has: on an escrow bank transfer and a plain one paid in the window. Without node
or the installed client they fail, never skip.
"""

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, Response, request

from iamport_sandbox import create_app, escrows, receipts
from iamport_sandbox.store import ReceiptKind, SandboxStore
from tests.conformance.conftest import pay_in_the_window
from tests.live_server import serving
from tests.spec_check import SpecCheck, shape

# A node process against a served sandbox; `make check` installs neither node nor the client.
pytestmark = pytest.mark.slow

NODE_FOLDER = Path(__file__).parent / "node"
SCRIPT = NODE_FOLDER / "conformance.js"
CLIENT = "iamport-rest-client-nodejs"
SCRIPT_SECONDS = 60
INSTALL_HINT = "`make test` installs it (npm ci --prefix tests/conformance/node)"

SETTINGS = {
    "SANDBOX_IMP_KEY": "node_key",
    "SANDBOX_IMP_SECRET": "node_secret",
    "SANDBOX_MERCHANT_CODE": "imp24681357",
    "SANDBOX_MERCHANT_NAME": "노드 테스트 상점",
    "SANDBOX_WEBHOOK_URL": None,  # no merchant endpoint: the sandbox sends no webhooks
    "SANDBOX_WEBHOOK_FORMAT": "json",
}
PAID_AMOUNT = 15000
OTHER_AMOUNT = 20000
ESCROW_AMOUNT = 30000
CASH_AMOUNT = 11000
UNKNOWN_IMP_UID = "imp_000000000000"
TOKEN_SECONDS = 30 * 60

# PortOne's texts (the Python client's tests check the same).
PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다."
PREPARED_NOT_FOUND = "사전등록된 결제정보가 존재하지 않습니다."
ALREADY_PREPARED = "결제정보 사전등록에 실패하였습니다(이미 등록된 merchant_uid입니다)."
NO_PAYMENT_TO_CANCEL = "취소할 결제건이 존재하지 않습니다."
ALREADY_CANCELLED = "이미 전액취소된 주문입니다."
CANCEL_FAILED = "결제취소에 실패하였습니다."
UNSUPPORTED_STATUS = "지원되지 않는 상태값입니다."
REGISTRATION_NOT_FOUND = "등록된 배송정보가 존재하지 않습니다."  # the spec's (escrow GET 409)

# What the client's Payment class keeps of a payment, and the times it turns into Dates (0
# stays 0).
CLIENT_PAYMENT_FIELDS = [
    "imp_uid",
    "merchant_uid",
    "pay_method",
    "channel",
    "pg_provider",
    "pg_tid",
    "pg_id",
    "escrow",
    "apply_num",
    "bank_code",
    "bank_name",
    "card_code",
    "card_name",
    "card_quota",
    "card_number",
    "card_type",
    "vbank_code",
    "vbank_name",
    "vbank_num",
    "vbank_holder",
    "vbank_date",
    "vbank_issued_at",
    "name",
    "amount",
    "cancel_amount",
    "currency",
    "buyer_name",
    "buyer_email",
    "buyer_tel",
    "buyer_addr",
    "buyer_postcode",
    "custom_data",
    "user_agent",
    "status",
    "started_at",
    "paid_at",
    "failed_at",
    "cancelled_at",
    "fail_reason",
    "cancel_reason",
    "receipt_url",
    "cancel_history",
    "cancel_receipt_urls",
    "cash_receipt_issued",
    "customer_uid",
    "customer_uid_usage",
]
CLIENT_DATES = (
    "vbank_date",
    "vbank_issued_at",
    "started_at",
    "paid_at",
    "failed_at",
    "cancelled_at",
)

# What the client's Escrow, Receipt and External classes keep, and the times they make Dates.
CLIENT_ESCROW_FIELDS = ["company", "invoice", "sent_at", "applied_at"]
CLIENT_ESCROW_DATES = ("sent_at", "applied_at")
CLIENT_RECEIPT_FIELDS = [
    "receipt_tid",
    "apply_num",
    "type",
    "amount",
    "vat",
    "receipt_url",
    "applied_at",
    "cancelled_at",
]
CLIENT_RECEIPT_DATES = ("applied_at", "cancelled_at")

# The operations the script reaches, as (method, path shape).
OPERATIONS = {
    ("POST", "/users/getToken"),
    ("GET", "/payments/{}"),
    ("GET", "/payments/find/{}/{}"),
    ("GET", "/payments"),
    ("GET", "/payments/findAll/{}/{}"),
    ("GET", "/payments/status/{}"),
    ("GET", "/payments/{}/balance"),
    ("POST", "/payments/prepare"),
    ("GET", "/payments/prepare/{}"),
    ("POST", "/payments/cancel"),
    ("POST", "/vbanks"),
    ("PUT", "/vbanks/{}"),
    ("DELETE", "/vbanks/{}"),
    ("GET", "/vbanks/holder"),
    # The client has no call for GET /escrows/logis/{imp_uid}.
    ("POST", "/escrows/logis/{}"),
    ("PUT", "/escrows/logis/{}"),
    ("GET", "/receipts/{}"),
    ("POST", "/receipts/{}"),
    ("DELETE", "/receipts/{}"),
    ("GET", "/receipts/external/{}"),
    ("POST", "/receipts/external/{}"),
    ("DELETE", "/receipts/external/{}"),
}


@dataclass
class Answer:
    """One answer of the sandbox, as the after_request hook saw it."""

    method: str
    path: str
    rule: str | None
    status: int
    mimetype: str
    user_agent: str
    spec_checked: bool


@dataclass
class Run:
    url: str
    store: SandboxStore
    check: SpecCheck
    answers: list[Answer]
    paid: dict  # the card payments, as they were before the script ran
    other: dict
    escrow: dict  # an escrow bank transfer, for its shipping
    cash: dict  # a bank transfer without escrow, for its cash receipt
    calls: dict[str, dict]  # the script's lines by call

    def __getitem__(self, call: str) -> dict:
        return self.calls[call]


def node_and_client() -> str:
    """The node executable, once the pinned client is installed; fails the tests otherwise."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not on PATH: these tests need Node.js 18 or later and npm (on Debian:"
            f" apt-get install nodejs npm), then the client: {INSTALL_HINT}"
        )
    installed = NODE_FOLDER / "node_modules" / CLIENT / "package.json"
    if not installed.is_file():
        pytest.fail(f"{CLIENT} is not installed in {NODE_FOLDER}: {INSTALL_HINT}")
    pinned = json.loads((NODE_FOLDER / "package.json").read_text())["dependencies"][CLIENT]
    version = json.loads(installed.read_text())["version"]
    if version != pinned:
        pytest.fail(f"{CLIENT} {version} is installed, {pinned} is pinned: {INSTALL_HINT}")
    return node


def record_answers(app: Flask, answers: list[Answer]) -> None:
    @app.after_request
    def record(response: Response) -> Response:
        answers.append(
            Answer(
                request.method,
                request.path,
                request.url_rule.rule if request.url_rule else None,
                response.status_code,
                response.mimetype,
                request.headers.get("User-Agent", ""),
                SpecCheck.is_rest_route(),
            )
        )
        return response


def pay(base_url: str, merchant_uid: str, amount: int, **params) -> str:
    merchant_code = SETTINGS["SANDBOX_MERCHANT_CODE"]
    return pay_in_the_window(base_url, merchant_uid, amount, merchant_code, **BUYER | params)


BUYER = {"name": "노드 머그컵", "buyer_name": "홍길동", "buyer_email": "gildong@example.com"}


def without_proxies(environment: dict) -> dict:
    """axios sends through http_proxy and its kin when set: the sandbox is on this machine."""
    proxies = {"http_proxy", "https_proxy", "all_proxy"}
    return {name: value for name, value in environment.items() if name.lower() not in proxies}


def run_script(node: str, *arguments: str) -> dict[str, dict]:
    command = [node, str(SCRIPT), *arguments]
    try:
        done = subprocess.run(
            command,
            cwd=NODE_FOLDER,
            env=without_proxies(dict(os.environ)),
            capture_output=True,
            text=True,
            timeout=SCRIPT_SECONDS,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"{SCRIPT.name} ran over {SCRIPT_SECONDS} s; it printed:\n{expired.stdout}")
    assert done.returncode == 0, f"{SCRIPT.name} exited {done.returncode}:\n{done.stderr}"
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    calls = {line["call"]: line for line in lines}
    assert len(calls) == len(lines), "two lines for one call"
    return calls


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Iterator[Run]:
    """The sandbox on 127.0.0.1, four paid payments, then the script against them, once."""
    node = node_and_client()
    database = tmp_path_factory.mktemp("node-client") / "sandbox.sqlite"
    app = create_app(SETTINGS | {"SANDBOX_DATABASE": str(database)})
    check = SpecCheck(app)
    answers: list[Answer] = []
    record_answers(app, answers)
    with serving(app) as base:
        url = base + "/"
        store = app.extensions["sandbox"]
        paid = store.get_payment(pay(url, "node-order-1", PAID_AMOUNT))
        other = store.get_payment(pay(url, "node-order-2", OTHER_AMOUNT))
        escrow = store.get_payment(
            pay(url, "node-order-3", ESCROW_AMOUNT, pay_method="trans", escrow=True)
        )
        cash = store.get_payment(pay(url, "node-order-4", CASH_AMOUNT, pay_method="trans"))
        key, secret = SETTINGS["SANDBOX_IMP_KEY"], SETTINGS["SANDBOX_IMP_SECRET"]
        imp_uids = [payment["imp_uid"] for payment in (paid, other, escrow, cash)]
        calls = run_script(node, url, key, secret, *imp_uids)
        yield Run(url, store, check, answers, paid, other, escrow, cash, calls)


def iso(timestamp: int) -> str | int:
    """A UNIX time as the client's Date prints in JSON; 0 stays 0, as the client keeps it."""
    if timestamp == 0:
        return 0
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def as_the_client_has_it(payment: dict) -> dict:
    kept = {name: payment.get(name) for name in CLIENT_PAYMENT_FIELDS}
    return kept | {name: iso(payment[name]) for name in CLIENT_DATES}


def logis_as_the_client_has_it(record: dict) -> dict:
    fields = record["logis"] | {"applied_at": record["applied_at"]}
    kept = {name: fields[name] for name in CLIENT_ESCROW_FIELDS}
    return kept | {name: iso(fields[name]) for name in CLIENT_ESCROW_DATES}


def receipt_as_the_client_has_it(receipt: dict, owner: str) -> dict:
    """A stored receipt as the client's Receipt (owner imp_uid) or External (merchant_uid)."""
    kept = {name: receipt[name] for name in [owner, *CLIENT_RECEIPT_FIELDS]}
    return kept | {name: iso(receipt[name]) for name in CLIENT_RECEIPT_DATES}


def succeeded(line: dict, status: int = 200) -> object:
    """The `response` of a call the client resolved, after checking its envelope."""
    assert line["ok"], line
    assert line["status"] == status
    assert (line["data"]["code"], line["data"]["message"]) == (0, None)
    return line["data"]["response"]


def refused(line: dict, status: int | None, code: int) -> str:
    """The message of a call the client rejected. The client rejects a code other than 0 that
    comes with HTTP 200 without any status: `status` None stands for that."""
    assert not line["ok"], line
    assert line["status"] == status
    assert line["data"]["code"] == code
    assert line["data"]["response"] is None
    assert line["data"]["message"]
    return line["data"]["message"]


# Tokens


def test_get_token_answers_a_token_whose_times_the_client_makes_dates(run):
    token = succeeded(run["token"])

    expired_at = datetime.fromisoformat(token["expired_at"])
    now = datetime.fromisoformat(token["now"])
    assert run.store.token_is_valid(token["access_token"])
    assert (expired_at - now).total_seconds() == TOKEN_SECONDS


def test_a_wrong_secret_is_refused_with_401_before_any_lookup(run):
    refused(run["token-wrong-secret"], 401, -1)
    refused(run["lookup-with-wrong-secret"], 401, -1)


# Lookups


def test_lookup_by_imp_uid_answers_the_paid_payment(run):
    payment = succeeded(run["payment-by-imp_uid"])

    assert payment == as_the_client_has_it(run.paid)
    assert payment["status"] == "paid"
    assert payment["amount"] == PAID_AMOUNT
    assert payment["buyer_name"] == "홍길동"
    assert payment["receipt_url"] == f"{run.url}slips/{run.paid['imp_uid']}"
    assert succeeded(run["other-payment-by-imp_uid"]) == as_the_client_has_it(run.other)


def test_lookup_by_merchant_uid_and_status_answers_the_same_payment(run):
    assert succeeded(run["payment-by-merchant_uid"]) == as_the_client_has_it(run.paid)


def test_lookup_by_merchant_uid_without_status_asks_for_status_undefined(run):
    """The client writes `/payments/find/{merchant_uid}/${status}` whatever status is, so
    leaving status out sends the word "undefined" as the status."""
    message = refused(run["payment-by-merchant_uid-without-status"], 400, -1)

    assert message == UNSUPPORTED_STATUS
    asked = [answer.path for answer in run.answers if answer.path.endswith("/undefined")]
    assert asked == [f"/payments/find/{run.paid['merchant_uid']}/undefined"]


def test_lookup_of_several_imp_uids_answers_207_and_the_client_lists_the_missing(run):
    payments = succeeded(run["payments-by-imp_uids"], status=207)

    assert payments == [as_the_client_has_it(run.paid), as_the_client_has_it(run.other)]
    assert run["payments-by-imp_uids"]["data"]["failed"] == [UNKNOWN_IMP_UID]


def test_lookup_of_all_payments_of_a_merchant_uid_answers_one_page(run):
    page = succeeded(run["payments-by-merchant_uids"])

    assert page == {
        "total": 1,
        "previous": 0,
        "next": 0,
        "list": [as_the_client_has_it(run.paid)],
    }


def test_lookup_by_status_lists_the_paid_payments_newest_first(run):
    page = succeeded(run["payments-by-status"])

    assert (page["total"], page["previous"], page["next"]) == (4, 0, 0)
    assert [payment["imp_uid"] for payment in page["list"]] == [
        run.cash["imp_uid"],
        run.escrow["imp_uid"],
        run.other["imp_uid"],
        run.paid["imp_uid"],
    ]
    assert page["list"][3] == as_the_client_has_it(run.paid)


@pytest.mark.parametrize("call", ["unknown-imp_uid", "unknown-merchant_uid", "balance-of-unknown"])
def test_an_unknown_payment_is_refused_with_404(run, call):
    assert refused(run[call], 404, -1) == PAYMENT_NOT_FOUND


# Prepare


def test_prepare_registers_the_amount_the_client_reads_back(run):
    merchant_uid = run["prepare"]["args"]["merchant_uid"]

    assert succeeded(run["prepare"]) == {"merchant_uid": merchant_uid, "amount": 1004}
    assert succeeded(run["get-prepared"]) == {"merchant_uid": merchant_uid, "amount": 1004}


def test_preparing_again_is_refused_with_code_1_and_keeps_the_first_amount(run):
    merchant_uid = run["prepare-again"]["args"]["merchant_uid"]

    assert refused(run["prepare-again"], None, 1) == ALREADY_PREPARED
    assert run.store.prepared(merchant_uid)["amount"] == 1004


def test_reading_an_unprepared_merchant_uid_is_refused_with_404(run):
    assert refused(run["get-unprepared"], 404, -1) == PREPARED_NOT_FOUND


# Cancels


def test_a_wrong_checksum_is_refused_with_code_1(run):
    refused(run["cancel-wrong-checksum"], None, 1)


def test_partial_cancels_add_up(run):
    first = succeeded(run["cancel-partial"])
    second = succeeded(run["cancel-partial-again"])
    now = run.store.get_payment(run.paid["imp_uid"])

    assert (first["status"], first["cancel_amount"]) == ("cancelled", 3000)
    assert [entry["amount"] for entry in first["cancel_history"]] == [3000]
    assert first["cancel_reason"] == "부분 환불"
    assert second["cancel_amount"] == 5000
    assert [entry["amount"] for entry in second["cancel_history"]] == [3000, 2000]
    assert second["cancel_reason"] == "두 번째 부분 환불"
    assert second == as_the_client_has_it(now)
    assert second["cancelled_at"] == iso(now["cancel_history"][-1]["cancelled_at"])


def test_a_cancel_over_the_remainder_is_refused_as_the_pg_refuses_it(run):
    message = refused(run["cancel-over-remainder"], None, -1)

    assert message.startswith(CANCEL_FAILED)


def test_the_balance_follows_the_partial_cancels(run):
    balance = succeeded(run["balance"])
    cancels = run.store.get_payment(run.paid["imp_uid"])["cancel_history"]

    def total(parts: dict) -> int:
        return parts["tax_free"] + parts["supply"] + parts["vat"] + parts["service"]

    assert balance["amount"] == PAID_AMOUNT - 5000
    assert total(balance["primary"]) == PAID_AMOUNT - 5000
    assert [total(history["primary"]) for history in balance["histories"]] == [15000, 12000, 10000]
    assert [history["created"] for history in balance["histories"]] == [
        iso(run.paid["paid_at"]),
        *(iso(cancel["cancelled_at"]) for cancel in cancels),
    ]


def test_a_full_cancel_by_merchant_uid_cancels_the_other_payment(run):
    cancelled = succeeded(run["cancel-full-by-merchant_uid"])

    assert cancelled["imp_uid"] == run.other["imp_uid"]
    assert (cancelled["status"], cancelled["cancel_amount"]) == ("cancelled", OTHER_AMOUNT)
    assert cancelled["cancel_reason"] == "고객 변심"
    assert cancelled == as_the_client_has_it(run.store.get_payment(run.other["imp_uid"]))


def test_cancelling_again_or_an_unknown_payment_is_refused_with_code_1(run):
    assert refused(run["cancel-full-again"], None, 1) == ALREADY_CANCELLED
    assert refused(run["cancel-unknown"], None, 1) == NO_PAYMENT_TO_CANCEL


# Virtual accounts


def test_a_virtual_account_is_issued_changed_and_revoked(run):
    asked, change = run["vbank-issue"]["args"], run["vbank-change"]["args"]
    issued = succeeded(run["vbank-issue"])
    changed = succeeded(run["vbank-change"])
    revoked = succeeded(run["vbank-revoke"])

    assert issued["merchant_uid"] == asked["merchant_uid"]
    assert (issued["status"], issued["pay_method"], issued["amount"]) == ("ready", "vbank", 12000)
    assert (issued["vbank_code"], issued["vbank_name"]) == ("088", "신한은행")
    assert issued["vbank_holder"] == asked["vbank_holder"]
    assert issued["vbank_num"]
    assert issued["vbank_date"] == iso(asked["vbank_due"])
    assert changed["imp_uid"] == issued["imp_uid"]
    assert (changed["amount"], changed["vbank_date"]) == (13000, iso(change["vbank_due"]))
    assert succeeded(run["vbank-lookup"]) == changed
    assert (revoked["imp_uid"], revoked["status"]) == (issued["imp_uid"], "cancelled")
    assert revoked == as_the_client_has_it(run.store.get_payment(issued["imp_uid"]))


def test_changing_an_unknown_account_is_refused_with_404(run):
    assert refused(run["vbank-change-unknown"], 404, -1) == PAYMENT_NOT_FOUND


def test_revoking_a_revoked_account_is_refused_with_400(run):
    refused(run["vbank-revoke-again"], 400, 1)


def test_the_account_holder_lookup_finds_the_holder_or_answers_404(run):
    assert succeeded(run["vbank-holder"]) == {"bank_holder": "홍길동"}
    refused(run["vbank-holder-missing"], 404, -1)


# Escrow shipping (the spec's statuses: 400 a missing field, 404 an unknown payment, 409 a
# payment that takes no (further) registration or change)


def test_the_escrow_payment_is_an_escrow_bank_transfer(run):
    assert (run.escrow["escrow"], run.escrow["pay_method"]) == (True, "trans")
    assert (run.cash["escrow"], run.cash["pay_method"]) == (False, "trans")


def test_escrow_shipping_is_registered_then_changed_keeping_its_applied_at(run):
    asked = run["escrow-register"]["args"]["logis"]
    change = run["escrow-change"]["args"]["logis"]
    registered = succeeded(run["escrow-register"])
    changed = succeeded(run["escrow-change"])

    assert registered == {
        "company": "CJGLS",
        "invoice": "123456789012",
        "sent_at": iso(asked["sent_at"]),
        "applied_at": registered["applied_at"],
    }
    assert datetime.fromisoformat(registered["applied_at"]) >= datetime.fromtimestamp(
        run.escrow["paid_at"], UTC
    )
    assert changed == {
        "company": "HANJIN",
        "invoice": "998877665544",
        "sent_at": iso(change["sent_at"]),
        "applied_at": registered["applied_at"],
    }
    assert changed == logis_as_the_client_has_it(run.store.logis(run.escrow["imp_uid"]))


def test_the_client_sends_sender_and_receiver_as_json_objects(run):
    record = run.store.logis(run.escrow["imp_uid"])

    assert record["sender"] == run["escrow-change"]["args"]["sender"]
    assert record["receiver"] == run["escrow-change"]["args"]["receiver"]


def test_changing_unregistered_shipping_is_refused_with_409(run):
    assert refused(run["escrow-change-unregistered"], 409, -1) == REGISTRATION_NOT_FOUND


def test_shipping_without_the_sender_kg_inicis_needs_is_refused_with_400(run):
    message = refused(run["escrow-register-without-sender"], 400, -1)

    assert "sender" in message


def test_registering_shipping_twice_is_refused_with_409(run):
    assert refused(run["escrow-register-again"], 409, -1) == escrows.ALREADY_REGISTERED


def test_shipping_of_a_payment_without_escrow_is_refused_with_409(run):
    assert refused(run["escrow-register-not-escrow"], 409, -1) == escrows.NOT_ESCROW
    assert run.store.logis(run.cash["imp_uid"]) is None


@pytest.mark.parametrize("call", ["escrow-register-unknown", "escrow-change-unknown"])
def test_shipping_of_an_unknown_payment_is_refused_with_404(run, call):
    assert refused(run[call], 404, -1) == PAYMENT_NOT_FOUND


# Cash receipts of a payment (the spec's statuses: issue 400 for a payment not paid or a
# receipt already issued; lookup 404 when none was issued; cancel 400 when none was issued)


def test_a_cash_receipt_is_issued_read_and_cancelled(run):
    issued = succeeded(run["receipt-issue"])
    revoked = succeeded(run["receipt-revoke"])
    stored = run.store.receipt(ReceiptKind.PAYMENT, run.cash["imp_uid"])

    assert issued["imp_uid"] == run.cash["imp_uid"]
    assert (issued["type"], issued["amount"], issued["vat"]) == ("person", CASH_AMOUNT, 909)
    assert issued["apply_num"].isdigit()
    assert issued["receipt_url"] == f"{run.url}cash-receipts/{issued['receipt_tid']}"
    assert isinstance(issued["applied_at"], str)
    assert issued["cancelled_at"] == 0
    assert succeeded(run["receipt-lookup"]) == issued
    assert revoked == issued | {"cancelled_at": revoked["cancelled_at"]}
    assert revoked["cancelled_at"] != 0
    assert revoked == receipt_as_the_client_has_it(stored, "imp_uid")
    assert succeeded(run["receipt-lookup-revoked"]) == revoked


def test_the_receipt_goes_to_whom_the_client_named(run):
    asked = run["receipt-issue"]["args"]
    holder = run.store.receipt(ReceiptKind.PAYMENT, run.cash["imp_uid"])["issued_to"]

    assert {name: holder[name] for name in ("identifier", "identifier_type", "buyer_name")} == {
        name: asked[name] for name in ("identifier", "identifier_type", "buyer_name")
    }


def test_the_payment_reports_its_receipt_while_it_is_in_force(run):
    with_receipt = succeeded(run["cash-payment-with-receipt"])
    after_revoke = succeeded(run["cash-payment-after-revoke"])

    assert (with_receipt["imp_uid"], with_receipt["cash_receipt_issued"]) == (
        run.cash["imp_uid"],
        True,
    )
    assert after_revoke == as_the_client_has_it(run.store.get_payment(run.cash["imp_uid"]))
    assert after_revoke["cash_receipt_issued"] is False


def test_a_lookup_before_issue_is_refused_with_404(run):
    assert refused(run["receipt-before-issue"], 404, -1) == receipts.RECEIPT_NOT_FOUND


def test_cancelling_a_receipt_never_issued_is_refused_with_400(run):
    assert refused(run["receipt-revoke-never-issued"], 400, -1) == receipts.NEVER_ISSUED


def test_issuing_again_is_refused_with_400(run):
    assert refused(run["receipt-issue-again"], 400, -1) == receipts.ALREADY_ISSUED


def test_cancelling_a_cancelled_receipt_is_refused_with_400(run):
    assert refused(run["receipt-revoke-again"], 400, -1) == receipts.ALREADY_CANCELLED


def test_a_card_payment_is_refused_a_cash_receipt_with_400(run):
    assert refused(run["receipt-issue-card"], 400, -1) == receipts.NOT_CASH.format(m="card")
    assert run.store.receipt(ReceiptKind.PAYMENT, run.paid["imp_uid"]) is None


def test_a_receipt_of_an_unknown_payment_is_refused_with_404(run):
    assert refused(run["receipt-issue-unknown"], 404, -1) == PAYMENT_NOT_FOUND
    assert refused(run["receipt-of-unknown"], 404, -1) == receipts.RECEIPT_NOT_FOUND


# Cash receipts of cash taken outside PortOne (the spec's statuses: issue 400 for a missing
# field or one already issued; lookup and cancel 404 for one never issued)


def test_an_external_receipt_is_issued_read_and_cancelled(run):
    asked = run["external-receipt-issue"]["args"]
    issued = succeeded(run["external-receipt-issue"])
    revoked = succeeded(run["external-receipt-revoke"])
    stored = run.store.receipt(ReceiptKind.EXTERNAL, asked["merchant_uid"])

    assert issued["merchant_uid"] == asked["merchant_uid"]
    assert (issued["type"], issued["amount"], issued["vat"]) == ("company", 5500, 500)
    assert issued["cancelled_at"] == 0
    assert succeeded(run["external-receipt-lookup"]) == issued
    assert revoked == issued | {"cancelled_at": revoked["cancelled_at"]}
    assert revoked == receipt_as_the_client_has_it(stored, "merchant_uid")
    assert succeeded(run["external-receipt-lookup-revoked"]) == revoked
    assert stored["name"] == asked["name"]


def test_an_external_receipt_issued_twice_or_without_name_is_refused_with_400(run):
    assert refused(run["external-receipt-issue-again"], 400, -1) == receipts.ALREADY_ISSUED
    assert "name" in refused(run["external-receipt-issue-without-name"], 400, -1)


@pytest.mark.parametrize("call", ["external-receipt-of-unknown", "external-receipt-revoke-unknown"])
def test_an_external_receipt_never_issued_is_refused_with_404(run, call):
    refused(run[call], 404, -1)


# The spec


def test_every_answer_the_client_received_fits_the_v1_spec(run):
    from_node = [answer for answer in run.answers if "python-requests" not in answer.user_agent]
    reached = {(answer.method, shape(answer.rule)) for answer in from_node if answer.rule}

    assert len(from_node) > len(run.calls)  # each call, and the tokens the client fetched
    assert reached == OPERATIONS
    assert all(answer.mimetype == "application/json" for answer in from_node)
    assert all(answer.spec_checked for answer in from_node)
    assert run.check.violations == []
