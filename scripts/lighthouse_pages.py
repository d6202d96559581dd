"""Lighthouse on the pages a customer sees, run by scripts/lighthouse once Lighthouse is installed.

The shop is served as `make bench` serves it (benchmarks/servers.py): gunicorn on a free port,
sandbox mode, SQLite in a temporary folder, the demo products, none of your exported shop
settings. A customer's browser over HTTP (benchmarks/customer.py) pays one order, leaves
another waiting and puts a product in the cart. Lighthouse opens each page in a fresh Chromium,
so it is given that browser's session cookie (--extra-headers) and sees what the customer sees.

Each page's reports are kept in .lighthouse/reports/<page>.report.{html,json}.
"""

import argparse
import json
import math
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.customer import Customer
from benchmarks.servers import ROOT, Server, clean_environment, free_port

LIGHTHOUSE = ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / ".lighthouse" / "reports"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Each page's path; {paid} and {waiting} are the customer's two orders (see walk).
PATHS = {
    "home": "/",
    "product": "/products/swivel-chair",
    "cart": "/cart",
    "checkout": "/checkout",
    "pay": "/orders/{waiting}/pay",
    "order": "/orders/{paid}",
    "cancel": "/orders/{paid}/cancel",
    "lookup": "/orders/lookup",
    "terms": "/terms",
    "privacy": "/privacy",
}
SHOWN_ITEMS = 3  # elements named per failing audit
# A run's trace is sometimes lost (NO_NAVSTART, more often on a busy machine); Lighthouse's
# advice is to run it again.
ATTEMPTS = 3


def main() -> int:
    options = arguments()
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shop-lighthouse-") as folder:
        environment = shop_environment(Path(folder))
        prepare_database(environment)
        with Server("wsgi:app", environment, workers=2, log=REPORTS / "shop.log") as shop:
            customer = Customer(shop.url)
            orders = walk(customer)
            cookie = customer.cookie_header()
            results = {
                name: lighthouse(
                    name, shop.url + PATHS[name].format(**orders), cookie, options.runs
                )
                for name in options.pages
            }
    print(table(results))
    if audits := failing_audits(results):
        print("\nScored audits below full marks:", *audits, sep="\n")
    below = any(score != 100 for result in results.values() for score in scores_of(result))
    return 1 if below and not options.report_only else 0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/lighthouse", description=__doc__)
    parser.add_argument("pages", nargs="*", metavar="page", help=f"of {', '.join(PATHS)} (all)")
    parser.add_argument(
        "--report-only", action="store_true", help="exit 0 even when a score is below 100"
    )
    # A busy machine slows some runs (Total Blocking Time most): Lighthouse's advice is the median.
    parser.add_argument("--runs", type=int, default=3, help="runs per page, median kept (3)")
    options = parser.parse_args()
    if unknown := set(options.pages) - set(PATHS):
        parser.error(f"no such page: {', '.join(sorted(unknown))}")
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    options.pages = options.pages or list(PATHS)
    return options


def shop_environment(folder: Path) -> dict[str, str]:
    return clean_environment() | {
        "PAYMENT_MODE": "sandbox",
        "SHOP_URL": f"http://127.0.0.1:{free_port()}",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{folder / 'shop.sqlite3'}",
        "SANDBOX_DATABASE": str(folder / "sandbox.sqlite3"),
        "NOTICE_SENDER": "off",
        "RATELIMIT_ENABLED": "0",  # every request comes from this machine
    }


def prepare_database(environment: dict[str, str]) -> None:
    """What `make run` does first: the tables, then the demo products."""
    for command in (["db", "upgrade"], ["seed"]):
        done = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "shop", *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"flask {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def walk(customer: Customer) -> dict[str, str]:
    """Buy and pay one order, leave a second one waiting, put a product in the cart; the two
    orders' merchant_uid."""
    paid, _ = customer.paid_order()
    waiting = customer.buy()
    page = customer.get("/products/mood-lamp")
    add = re.search(r'formaction="(/cart/items/\d+)"', page).group(1)
    customer.expect(customer.post(add, quantity=1), 302)
    return {"paid": paid, "waiting": waiting}


def lighthouse(name: str, url: str, headers: dict[str, str], runs: int) -> dict:
    """The median of `runs` Lighthouse runs on one page, mobile as by default: the run of the
    median performance score (the other categories hardly vary). Its reports are kept."""
    print(f"lighthouse {name} ({runs}×): {url}", file=sys.stderr)
    outputs = [REPORTS / f"{name}-{run}" for run in range(1, runs + 1)]
    results = {output: lighthouse_once(output, url, headers) for output in outputs}
    ranked = sorted(outputs, key=lambda output: scores_of(results[output])[0] or 0)
    median = ranked[runs // 2]
    for output in outputs:
        for kind in ("json", "html"):
            report = output.with_name(f"{output.name}.report.{kind}")
            if output == median:
                report.replace(REPORTS / f"{name}.report.{kind}")
            else:
                report.unlink()
    return results[median]


def lighthouse_once(output: Path, url: str, headers: dict[str, str]) -> dict:
    """One run; one that Lighthouse could not record (it says: run again) is run again."""
    for _ in range(ATTEMPTS):
        result = run_lighthouse(output, url, headers)
        if "runtimeError" not in result:
            break
    return result


def run_lighthouse(output: Path, url: str, headers: dict[str, str]) -> dict:
    report = output.with_name(f"{output.name}.report.json")
    report.unlink(missing_ok=True)
    done = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--no-enable-error-reporting",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--extra-headers={json.dumps(headers)}",
            "--output=json",
            "--output=html",
            f"--output-path={output}",
        ],
        env=os.environ | {"CHROME_PATH": CHROMIUM},
    )
    if done.returncode and not report.exists():
        sys.exit(f"Lighthouse could not run on {url}: see its output above")
    return json.loads(report.read_text())


def scores_of(result: dict) -> list[int | None]:
    """As Lighthouse shows them: 0-100, None when the category could not be scored."""
    scores = [result["categories"][category]["score"] for category in CATEGORIES]
    return [None if score is None else math.floor(score * 100 + 0.5) for score in scores]


def table(results: dict[str, dict]) -> str:
    width = max(map(len, results), default=4)
    rows = [f"{'page':<{width}}  " + "  ".join(CATEGORIES)]
    for name, result in results.items():
        cells = ("-" if score is None else str(score) for score in scores_of(result))
        row = "  ".join(
            f"{cell:>{len(category)}}" for cell, category in zip(cells, CATEGORIES, strict=True)
        )
        rows.append(f"{name:<{width}}  {row}")
    return "\n".join(rows)


def failing_audits(results: dict[str, dict]) -> list[str]:
    """Each scored audit below full marks, with the first elements or resources it names."""
    lines = []
    for name, result in results.items():
        if error := result.get("runtimeError"):
            lines.append(f"{name}: Lighthouse failed: {error.get('message')}")
        for category in CATEGORIES:
            for ref in result["categories"][category]["auditRefs"]:
                audit = result["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    lines.append(f"{name} [{category}] {ref['id']}: {audit['title']}")
                    lines.extend(f"    {item}" for item in named_items(audit))
    return lines


def named_items(audit: dict) -> list[str]:
    found = []
    for item in (audit.get("details") or {}).get("items", [])[:SHOWN_ITEMS]:
        node = item.get("node") or {}
        found.append(node.get("selector") or node.get("snippet") or item.get("url") or str(item))
    if display := audit.get("displayValue"):
        found.append(display)
    return found


if __name__ == "__main__":
    sys.exit(main())
