"""`python -m benchmarks.profiling [sqlite|postgresql] [REQUESTS]`: where the shop's time goes
when it answers the repeated verification of a settled order (POST /payments/complete), the
phone's return (GET /payments/complete/mobile), and `/` and a product page for a visitor
without cookies (as wrk), profiled in-process with cProfile.

The shop runs as `make bench` serves it (sandbox mode, not TESTING, webhooks dropped), through
Flask's test client in this thread. Its gateway calls reach the mounted sandbox through
shop.web.wsgi_transport, which answers in a thread of its own: cProfile sees that time as the
wait in WSGIAdapter.send (what a network round trip to PortOne would be), not inside it.
"""

import cProfile
import io
import json
import pstats
import re
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, event

from benchmarks import databases, seeding
from benchmarks.customer import BUYER
from iamport_sandbox import switchboard
from shop import create_app
from shop.core.extensions import db

ROOT = Path(__file__).resolve().parents[1]
SHOP_URL = "http://localhost"
TOP = 30


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    with databases.scratch_directory() as scratch:
        opened = databases.sqlite(Path(scratch)) if kind == "sqlite" else databases.postgresql()
        with opened as (database, refusal):
            if database is None:
                sys.exit(f"no {kind} database: {refusal}")
            profile_shop(database, Path(scratch), count)


def profile_shop(database, scratch: Path, count: int) -> None:
    engine = create_engine(database.sqlalchemy_url)
    seeding.create_tables(engine, 10)
    seeding.add_orders(engine, 1_000)
    engine.dispose()
    app = create_app(
        {
            "PAYMENT_MODE": "sandbox",
            "SHOP_URL": SHOP_URL,
            "DATABASE_URL": database.url,
            "SANDBOX_DATABASE": str(scratch / "sandbox.sqlite3"),
            "SECRET_KEY": "profile-" + "x" * 56,
            "RATELIMIT_ENABLED": False,
            "NOTICE_SENDER": "off",
            "LOG_LEVEL": "WARNING",
        }
    )
    switchboard.set(app.extensions["sandbox_app"].extensions["sandbox"], "webhook_drop", True)
    client = app.test_client()
    merchant_uid, imp_uid, token = paid_order(client)
    claim = {"imp_uid": imp_uid, "merchant_uid": merchant_uid}
    mobile = "/payments/complete/mobile?" + urlencode(claim | {"imp_success": "true"})
    print(f"{database.kind} {database.version}; {count} requests each, after 20 to warm up")
    with app.app_context():
        shop_engine = db.engine
    run(
        f"POST /payments/complete, settled order ({database.kind})",
        lambda: client.post("/payments/complete", json=claim, headers={"X-CSRFToken": token}),
        count,
        shop_engine,
    )
    run(
        f"GET /payments/complete/mobile, settled ({database.kind})",
        lambda: client.get(mobile),
        count,
        shop_engine,
    )
    fresh = first_verifications(client, 2 * count + 21)  # as many as run() sends
    run(
        f"POST /payments/complete, first verification ({database.kind})",
        lambda: next(fresh)(),
        count,
        shop_engine,
    )
    visitor = app.test_client(use_cookies=False)  # as wrk: no cookie, ever
    for path in ("/", "/products/linen-cushion"):
        run(
            f"GET {path}, a new visitor ({database.kind})",
            lambda p=path: visitor.get(p),
            count,
            shop_engine,
        )
    shop_engine.dispose()


def paid_order(client) -> tuple[str, str, str]:
    """Bought, approved in the sandbox's window and verified once, as a browser does."""
    merchant_uid, imp_uid, token = approved_order(client)
    claim = {"imp_uid": imp_uid, "merchant_uid": merchant_uid}
    answer = client.post("/payments/complete", json=claim, headers={"X-CSRFToken": token})
    assert answer.get_json()["status"] == "success", answer.get_data(as_text=True)
    return merchant_uid, imp_uid, token


def first_verifications(client, count: int):
    """A request per fresh payment (approved beforehand, not timed): its first verification."""
    approved = [approved_order(client) for _ in range(count)]
    for merchant_uid, imp_uid, token in approved:
        claim = {"imp_uid": imp_uid, "merchant_uid": merchant_uid}
        yield lambda c=claim, t=token: client.post(
            "/payments/complete", json=c, headers={"X-CSRFToken": t}
        )


def approved_order(client) -> tuple[str, str, str]:
    """Bought and approved in the sandbox's window, not yet verified by the shop."""
    page = client.get("/products/linen-cushion").get_data(as_text=True)
    token = csrf(page)
    buy_now = re.search(r'formaction="(/checkout/buy-now/\d+)"', page).group(1)
    client.post(buy_now, data={"quantity": 1, "csrf_token": token})
    token = csrf(client.get("/checkout?source=buy_now").get_data(as_text=True))
    placed = client.post("/checkout", data=BUYER | {"source": "buy_now", "csrf_token": token})
    merchant_uid = re.fullmatch(r"/orders/(ord_\w+)/pay", placed.headers["Location"]).group(1)
    page = client.get(f"/orders/{merchant_uid}/pay").get_data(as_text=True)
    config = json.loads(re.search(r'id="payment-config">(.*?)</script>', page, re.S)[1])
    opened = client.post(
        "/sandbox/window",
        data={
            "merchant_code": config["impCode"],
            "params": json.dumps(config["request"]),
            "mode": "iframe",
            "channel": "pc",
            "origin": SHOP_URL,
        },
    )
    imp_uid = opened.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    client.post(f"/sandbox/window/{imp_uid}/approve")
    return merchant_uid, imp_uid, token


def csrf(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def run(title: str, request, count: int, engine) -> None:
    for _ in range(20):
        expect_ok(request())
    issued = statements(engine, request)
    started = time.perf_counter()
    for _ in range(count):
        expect_ok(request())
    plain = (time.perf_counter() - started) / count * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        expect_ok(request())
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"\n=== {title}: {plain:.1f} ms per request (without the profiler) ===")
    print(f"the shop's database work for one request ({len(issued)} round trips):")
    print("\n".join(f"  {line}" for line in issued))
    print(by_package(stats, count))
    print(f"\nthe shop's own functions, by cumulative time ({count} requests):")
    print(listing(stats, "cumulative", r"/shop/(?!sandbox/)"))
    print(f"\neverything, by own time ({count} requests):")
    print(listing(stats, "tottime", ""))


def statements(engine, request) -> list[str]:
    """What one request sends to the shop's database: statements, commits and rollbacks."""
    issued = []
    listeners = {
        "before_cursor_execute": lambda _c, _k, statement, *_: issued.append(
            " ".join(statement.split())[:110]
        ),
        "commit": lambda _connection: issued.append("COMMIT"),
        "rollback": lambda _connection: issued.append("ROLLBACK (end of request)"),
    }
    for name, listener in listeners.items():
        event.listen(engine, name, listener)
    try:
        expect_ok(request())
    finally:
        for name, listener in listeners.items():
            event.remove(engine, name, listener)
    return issued


def listing(stats: pstats.Stats, order: str, pattern: str) -> str:
    text = io.StringIO()
    stats.stream = text
    stats.sort_stats(order).print_stats(pattern, TOP)
    lines = text.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in lines[start:] if line.strip())


def expect_ok(answer) -> None:
    if answer.status_code != 200:
        raise RuntimeError(f"answered {answer.status_code}: {answer.get_data(as_text=True)[:300]}")


# Where code lives, most specific first; C functions are named by what they do.
PLACES = (
    "shop/sandbox", "shop", "sqlalchemy", "jinja2", "werkzeug", "flask_wtf", "wtforms",
    "flask_limiter", "limits", "flask", "requests", "urllib3", "psycopg", "logging", "json",
)  # fmt: skip
C_FUNCTIONS = {
    "_thread.lock": "wait for gateway answer",  # WSGIAdapter.send joining the sandbox's thread
    "sqlite3": "sqlite3 (C)",
    "psycopg": "psycopg (C)",
}


def by_package(stats: pstats.Stats, count: int) -> str:
    """Own time (tottime) per request, summed by where the code lives."""
    owned: Counter = Counter()
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():
        owned[place(filename, function)] += tottime
    total = sum(owned.values())
    rows = [
        f"  {name:<24} {seconds / count * 1000:6.2f} ms  {seconds / total:6.1%}"
        for name, seconds in owned.most_common(14)
    ]
    return "own time per request (profiled), by where it is spent:\n" + "\n".join(rows)


def place(filename: str, function: str) -> str:
    if filename == "~":
        found = (label for key, label in C_FUNCTIONS.items() if key in function)
        return next(found, "other C functions")
    path = filename.replace("\\", "/")
    for name in PLACES:
        if f"/{name}/" in path:
            return name
    return "python stdlib / other"


if __name__ == "__main__":
    main()
