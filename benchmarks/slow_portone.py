"""`python -m benchmarks.slow_portone`: the storefront's pages while PortOne is slow.

The shop runs under the README's gunicorn settings (gunicorn.conf.py: threads beside the
workers; `-w 2`, GUNICORN_THREADS=4 unless BENCH_WORKERS / BENCH_THREADS say otherwise), in
sandbox mode on SQLite. While BENCH_IN_FLIGHT (32) customers post payment verifications,
each of which must ask PortOne, again a second after each answer, one browser loads `/` and a product page in
turn for BENCH_SECONDS (10). That is repeated with PortOne quick, slow (every REST answer
2.5 s late: the sandbox's api_latency_ms) and hanging (api_hang_seconds, past
PORTONE_CUSTOMER_WAIT), each with the shop's budget of gateway calls (PORTONE_CONCURRENCY, 2
per process) and without one (0). It prints p50/p95 of the page loads and how many finished.
"""

import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import create_engine

from benchmarks import databases, seeding
from benchmarks.customer import Customer
from benchmarks.servers import SHOP_CONFIG, Server, clean_environment, free_port
from benchmarks.settings import number
from iamport_sandbox import switchboard
from iamport_sandbox.store import SandboxStore

PAGES = ("/", "/products/linen-cushion")
PORTONE = {  # what the sandbox's switchboard makes of PortOne
    "quick": {},
    "2.5 s slow": {"api_latency_ms": 2500},
    "hanging": {"api_hang_seconds": 30},
}
BUDGETS = {"budget 2 (default)": "2", "no budget": "0"}
AGAIN_AFTER = 1  # seconds between a customer's answer and their next verification
PAGE_PATIENCE = 60  # seconds a page load may take before it counts as not served


@dataclass(frozen=True)
class Row:
    portone: str
    budget: str
    loads: list[float]  # milliseconds, of the page loads that finished
    lost: int  # page loads that did not finish within PAGE_PATIENCE
    verifications: int  # answers the customers got meanwhile

    def percentile(self, share: float) -> float:
        ordered = sorted(self.loads) or [float("nan")]
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    seconds, in_flight = number("BENCH_SECONDS", 10), number("BENCH_IN_FLIGHT", 32)
    workers, threads = number("BENCH_WORKERS", 2), number("BENCH_THREADS", 4)
    rows = []
    with databases.scratch_directory() as scratch:
        for budget_name, budget in BUDGETS.items():
            environment = shop_environment(Path(scratch), budget, threads)
            with Server(
                "wsgi:app", environment, workers, Path(scratch) / "shop.log", SHOP_CONFIG
            ) as server:
                store = SandboxStore(environment["SANDBOX_DATABASE"])
                for portone_name, switches in PORTONE.items():
                    progress(f"{budget_name}, PortOne {portone_name}")
                    rows.append(
                        measure(
                            server.url,
                            store,
                            switches,
                            seconds,
                            in_flight,
                            budget_name,
                            portone_name,
                        )
                    )
    print_rows(rows, seconds, in_flight, workers, threads)


def shop_environment(scratch: Path, budget: str, threads: int) -> dict[str, str]:
    database = scratch / f"shop-{budget}.sqlite3"
    seeding.create_tables(create_engine(f"sqlite:///{database}"), 10)
    sandbox = scratch / f"sandbox-{budget}.sqlite3"
    switchboard.set(SandboxStore(str(sandbox)), "webhook_drop", True)
    return clean_environment() | {
        "PAYMENT_MODE": "sandbox",
        "SHOP_URL": f"http://127.0.0.1:{free_port()}",
        "DATABASE_URL": f"sqlite:///{database}",
        "SANDBOX_DATABASE": str(sandbox),
        "SECRET_KEY": "benchmark-" + "x" * 54,
        "RATELIMIT_ENABLED": "0",
        "NOTICE_SENDER": "off",
        "PORTONE_CONCURRENCY": budget,
        "GUNICORN_THREADS": str(threads),
        "PYTHONPATH": str(SHOP_CONFIG.parent),
    }


def measure(url, store, switches, seconds, in_flight, budget_name, portone_name) -> Row:
    customers = [Customer(url) for _ in range(in_flight)]
    orders = [(customer, customer.buy()) for customer in customers]  # while PortOne is quick
    for name, value in switches.items():
        switchboard.set(store, name, value)
    stop, answered = threading.Event(), []
    verifying = [
        threading.Thread(target=keep_verifying, args=(c, uid, stop, answered)) for c, uid in orders
    ]
    for thread in verifying:
        thread.start()
    loads, lost = browse(url, seconds)
    stop.set()
    switchboard.clear(store)
    switchboard.set(store, "webhook_drop", True)
    for thread in verifying:
        thread.join()
    return Row(portone_name, budget_name, loads, lost, len(answered))


def keep_verifying(
    customer: Customer, merchant_uid: str, stop: threading.Event, answered: list
) -> None:
    """A payment the shop must ask PortOne about each time (PortOne knows no such imp_uid),
    asked again a second after each answer, as the pay page goes on to the return page."""
    body = Customer.callback_body("imp_000000000000", merchant_uid)
    while not stop.is_set():
        try:
            customer.http.post(
                customer.url + "/payments/complete",
                data=body,
                headers=customer.callback_headers(),
                timeout=PAGE_PATIENCE,
            )
        except requests.RequestException:
            continue
        answered.append(1)
        stop.wait(AGAIN_AFTER)


def browse(url: str, seconds: int) -> tuple[list[float], int]:
    """One browser loading the pages in turn; each load's milliseconds, and those lost."""
    http, loads, lost = requests.Session(), [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for page in PAGES:
            started = time.perf_counter()
            try:
                http.get(url + page, timeout=PAGE_PATIENCE).raise_for_status()
            except requests.RequestException:
                lost += 1
                continue
            loads.append((time.perf_counter() - started) * 1000)
    return loads, lost


def print_rows(rows: list[Row], seconds: int, in_flight: int, workers: int, threads: int) -> None:
    print(
        f"Pages while PortOne is slow: gunicorn -w {workers} --threads {threads}, {in_flight} verifications in flight, {seconds} s each, load {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'PortOne':<12} {'budget':<20} {'pages':>6} {'p50 ms':>8} {'p95 ms':>8} {'lost':>5} {'verif.':>7}"
    )
    for row in rows:
        median = statistics.median(row.loads) if row.loads else float("nan")
        print(
            f"{row.portone:<12} {row.budget:<20} {len(row.loads):>6} {median:>8.1f} {row.percentile(0.95):>8.1f} {row.lost:>5} {row.verifications:>7}"
        )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
