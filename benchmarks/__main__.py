"""`python -m benchmarks`: measure the shop beside a bare Flask endpoint and print the tables.

For each database: seed a small shop, serve it with gunicorn, load it with wrk and time what
wrk cannot repeat; grow it to a large shop and measure again. README.md says what each row is.
"""

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine

from benchmarks import databases, gateway_calls, latency, machine, report, seeding, weight
from benchmarks.customer import Customer
from benchmarks.load import hammer
from benchmarks.servers import Server, clean_environment, free_port
from benchmarks.settings import Settings, from_environment
from iamport_sandbox import switchboard
from iamport_sandbox.store import SandboxStore

FEW_PRODUCTS = 10


@dataclass
class Shop:
    """What one database's run measured; keys name the request (see THROUGHPUT, SCALED)."""

    database: databases.Database
    small: dict = field(default_factory=dict)
    large: dict = field(default_factory=dict)
    gateway: list = field(default_factory=list)
    weight: list = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


# What a row may fail with while others change the shop: its reason is printed, the run goes on.
TROUBLE = (RuntimeError, ValueError, OSError, subprocess.SubprocessError)


def attempt(what: str, measure, settings: Settings, failures: list[str]) -> report.Measure:
    try:
        return measure(settings)
    except TROUBLE as error:
        reason = f"{what}: " + " ".join(str(error).split())[:300]
        progress(f"failed: {reason}")
        failures.append(reason)
        return report.Failed(reason)


THROUGHPUT = {
    "home": f"GET / ({FEW_PRODUCTS} products)",
    "product": "GET /products/linen-cushion",
    "pay": "GET /orders/<uid>/pay (pending, owner)",
    "order": "GET /orders/<uid> (paid, owner)",
    "repeat": "POST /payments/complete (paid, again)",
    "mobile": "GET /payments/complete/mobile (paid)",
    "first": "POST /payments/complete (first) *",
    "gateway": "one gateway round trip (GET /sandbox/payments/<imp_uid>) *",
}
ONE_BY_ONE = ("first", "gateway")  # timed from Python, beside the bare endpoint timed so
SCALED = ("order", "mobile", "repeat", "first")


def main() -> None:
    settings = from_environment()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run scripts/install-wrk (make bench does)")
    started, load_before = time.monotonic(), os.getloadavg()
    with databases.scratch_directory() as scratch:
        scratch = Path(scratch)
        bare, bare_one_by_one = measure_bare(settings, scratch)
        shops, notes = [], []
        for kind in settings.databases:
            with open_database(kind, scratch) as (database, refusal):
                if database is None:
                    notes.append(f"No {kind} rows: {refusal}.")
                    continue
                progress(f"{kind}: measuring")
                try:
                    shops.append(measure_shop(database, settings, scratch, first=not shops))
                except TROUBLE as error:
                    notes.append(f"No {kind} rows: {error}")
    print_report(settings, bare, bare_one_by_one, shops, notes, load_before)
    progress(f"done in {time.monotonic() - started:.0f} s")


def open_database(kind: str, scratch: Path):
    if kind == "sqlite":
        return databases.sqlite(scratch)
    if kind == "postgresql":
        return databases.postgresql()
    raise SystemExit(f"BENCH_DATABASES: unknown database {kind!r} (sqlite, postgresql)")


def measure_bare(settings: Settings, scratch: Path):
    progress("bare Flask endpoint")
    log = scratch / "bare.log"
    with Server("benchmarks.bare:app", clean_environment(), settings.workers, log) as server:
        return (
            hammer(server.url + "/", settings),
            latency.sequential_gets(server.url + "/", settings.verifications),
        )


def measure_shop(database, settings: Settings, scratch: Path, first: bool) -> Shop:
    engine = create_engine(database.sqlalchemy_url)
    seeding.create_tables(engine, FEW_PRODUCTS)
    seeding.add_orders(engine, settings.small_orders)
    seeding.analyze(engine)
    shop = Shop(database)
    gateway_log = scratch / f"gateway-{database.kind}.log"
    environment = shop_environment(database, scratch, gateway_log)
    log = scratch / f"shop-{database.kind}.log"
    with Server("benchmarks.counted:app", environment, settings.workers, log) as server:
        pending, owner = Customer(server.url), Customer(server.url)
        pending_uid = pending.buy()
        paid = owner.paid_order()
        measures = shop_requests(server.url, pending, pending_uid, owner, paid)
        for key, what in THROUGHPUT.items():
            progress(f"{database.kind}: {what}")
            shop.small[key] = attempt(what, measures[key], settings, shop.failures)
        if first:
            progress("gateway calls, front-end weight")
            calls = gateway_calls.GatewayLog(gateway_log)
            shop.gateway = attempt(
                "gateway calls",
                lambda s: gateway_calls.measure(server.url, calls, s.verifications),
                settings,
                shop.failures,
            )
            shop.weight = attempt(
                "front-end weight",
                lambda s: weight.pay_page(pending, pending_uid),
                settings,
                shop.failures,
            )
        progress(f"{database.kind}: seeding {settings.large_orders:,} orders")
        seeding.add_orders(engine, settings.large_orders)
        seeding.analyze(engine)
        for key in SCALED:
            what = f"{THROUGHPUT[key]} at {settings.large_orders:,} orders"
            progress(f"{database.kind}: {what}")
            shop.large[key] = attempt(what, measures[key], settings, shop.failures)
        seeding.add_products(engine, settings.many_products)
        seeding.analyze(engine)
        what = f"GET / with {settings.many_products:,} products"
        progress(f"{database.kind}: {what}")
        shop.large["home"] = attempt(what, measures["home"], settings, shop.failures)
    engine.dispose()
    return shop


def shop_environment(database, scratch: Path, gateway_log: Path) -> dict[str, str]:
    """The shop as production runs it, in sandbox mode; webhooks are dropped by the sandbox's
    switch, so a payment's first verification is the callback's, alone (README.md)."""
    sandbox_file = scratch / f"sandbox-{database.kind}.sqlite3"
    switchboard.set(SandboxStore(str(sandbox_file)), "webhook_drop", True)
    return clean_environment() | {
        "PAYMENT_MODE": "sandbox",
        "SHOP_URL": f"http://127.0.0.1:{free_port()}",
        "DATABASE_URL": database.url,
        "SANDBOX_DATABASE": str(sandbox_file),
        "SECRET_KEY": "benchmark-" + "x" * 54,
        "RATELIMIT_ENABLED": "0",
        "NOTICE_SENDER": "off",
        "BENCH_GATEWAY_LOG": str(gateway_log),
    }


def shop_requests(url: str, pending: Customer, pending_uid: str, owner: Customer, paid) -> dict:
    """Each measured request, as a function of the settings."""
    merchant_uid, imp_uid = paid
    claim = {"imp_uid": imp_uid, "merchant_uid": merchant_uid, "imp_success": "true"}
    callback = owner.cookie_header() | {"X-CSRFToken": owner.token}
    body = Customer.callback_body(imp_uid, merchant_uid)
    return {
        "home": lambda s: hammer(url + "/", s),
        "product": lambda s: hammer(url + "/products/linen-cushion", s),
        "pay": lambda s: hammer(f"{url}/orders/{pending_uid}/pay", s, pending.cookie_header()),
        "order": lambda s: hammer(f"{url}/orders/{merchant_uid}", s, owner.cookie_header()),
        "repeat": lambda s: hammer(url + "/payments/complete", s, callback, json_body=body),
        "mobile": lambda s: hammer(
            f"{url}/payments/complete/mobile?{urlencode(claim)}", s, owner.cookie_header()
        ),
        "first": lambda s: latency.first_verifications(url, s.verifications),
        "gateway": lambda s: latency.gateway_round_trips(url, imp_uid, s.verifications),
    }


def print_report(settings, bare, bare_one_by_one, shops: list[Shop], notes, load_before) -> None:
    versions = {NAMES[s.database.kind]: describe(s.database) for s in shops}
    print(report.header(machine.facts(versions, load_before), settings.label))
    rows = [("-", "bare Flask endpoint, 6 KB HTML", bare, bare)]
    for shop in shops:
        for key, what in THROUGHPUT.items():
            yardstick = bare_one_by_one if key in ONE_BY_ONE else bare
            rows.append((shop.core.database.kind, what, shop.small[key], yardstick))
    rows.append(("-", "bare Flask endpoint *", bare_one_by_one, bare_one_by_one))
    print(report.throughput(rows))
    if shops and not isinstance(shops[0].gateway, report.Failed):
        print(report.gateway(shops[0].gateway))
    if shops:
        print(report.scale(scale_rows(settings, shops)))
    if shops and not isinstance(shops[0].weight, report.Failed):
        print(report.weight(shops[0].weight))
    for shop in shops:
        for reason in shop.failures:
            print(f"\n{shop.core.database.kind}: failed: {reason}")
    for note in notes:
        print("\n" + note)


NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def describe(database: databases.Database) -> str:
    if database.kind == "sqlite":
        return f"{database.version} (Python's sqlite3 module; a file in a temporary directory)"
    where = database.url.rsplit("@", 1)[1]
    return f"{database.version} (server at {where}, created and dropped by this run)"


def scale_rows(settings: Settings, shops: list[Shop]) -> list:
    orders = f"{settings.small_orders:,} → {settings.large_orders:,} orders"
    products = f"{FEW_PRODUCTS} → {settings.many_products:,} products"
    rows = []
    for shop in shops:
        kind = shop.core.database.kind
        rows += [(kind, THROUGHPUT[k], orders, shop.small[k], shop.large[k]) for k in SCALED]
        rows.append((kind, "GET /", products, shop.small["home"], shop.large["home"]))
    return rows


def progress(message: str) -> None:
    sys.stdout.flush()
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
