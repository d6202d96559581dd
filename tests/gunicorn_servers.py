"""The shop under gunicorn in a subprocess, for tests over real HTTP: the environment it gets
from the test's own app, a host's own checkout, and a server that is up until the test ends."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from shop.core.settings import ENV_SETTINGS
from tests.concurrency_helpers import csrf_token
from tests.conftest import BUYER
from tests.helpers import log_tail, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
STOP_SECONDS = 10
# What a host's checkout of the repository needs to serve the shop and run its commands.
CHECKOUT = (
    "shop",
    "iamport_sandbox",
    "templates",
    "static",
    "migrations",
    "wsgi.py",
    "gunicorn.conf.py",
)


def server_environment(app, url: str) -> dict[str, str]:
    """The test app's database and sandbox file, passed as the shop reads them; none of the
    caller's own shop settings (live PortOne keys, say) leak in."""
    assert "SANDBOX_DATABASE" in ENV_SETTINGS, "the workers must share the sandbox's file"
    inherited = {name: value for name, value in os.environ.items() if name not in ENV_SETTINGS}
    return inherited | {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SANDBOX_DATABASE": app.config["SANDBOX_DATABASE"],
        "SHOP_URL": url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "PAYMENT_MODE": "sandbox",
        # Hundreds of deliveries from one address in a minute: far past any customer's limits.
        "RATELIMIT_ENABLED": "0",
        # Each delivery must reach PortOne, however many a worker holds at once.
        "PORTONE_CONCURRENCY": "0",
    }


def host_checkout(folder: Path) -> Path:
    """A host's own checkout: the repository's code linked, beside an empty instance folder
    of its own (Flask finds instance/ next to the `shop` package it imported)."""
    folder.mkdir()
    for name in CHECKOUT:
        (folder / name).symlink_to(ROOT / name)
    (folder / "instance").mkdir()
    return folder


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_SECONDS)


@dataclass(frozen=True)
class Server:
    url: str
    access_log: Path

    def answers(self) -> list[tuple[str, int]]:
        """(worker pid, status) of every request answered so far."""
        lines = self.access_log.read_text().split()
        return [(pid, int(status)) for pid, status in zip(lines[::2], lines[1::2], strict=True)]


@contextmanager
def gunicorn(
    environment: dict[str, str], logs: Path, *options: str, checkout: Path = ROOT
) -> Iterator[Server]:
    """gunicorn serving `checkout`'s wsgi:app at the environment's SHOP_URL until the block
    ends, its output and access log in `logs`; no traceback may appear in its output."""
    url = environment["SHOP_URL"]
    log, access_log = logs / "gunicorn.log", logs / "access.log"
    command = [
        sys.executable, "-m", "gunicorn",
        *options,
        "--bind", url.removeprefix("http://"),
        "--chdir", str(checkout),
        "--graceful-timeout", "3",
        "--access-logfile", str(access_log),
        "--access-logformat", "%(p)s %(s)s",
        "wsgi:app",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=checkout, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        wait_until_up(url + "/", process, log)
        yield Server(url, access_log)
    finally:
        stop(process)
    assert "Traceback" not in log.read_text(errors="replace"), log_tail(log)


class Customer:
    """A browser over real HTTP: one cookie jar, and the CSRF token of the last page it got.
    Its requests go to `url`, which may change: behind one address, any host answers."""

    def __init__(self, url: str):
        self.url, self.http = url, requests.Session()

    def get(self, path: str) -> requests.Response:
        answer = self.http.get(self.url + path, timeout=15)
        assert answer.status_code == 200, answer.text
        self.token = csrf_token(answer.text)
        return answer

    def post(self, path: str, **form) -> requests.Response:
        data = form | {"csrf_token": self.token}
        return self.http.post(self.url + path, data=data, allow_redirects=False, timeout=15)

    def buy_cushion(self) -> str:
        self.cushion_in_cart()
        return self.place_order()

    def cushion_in_cart(self) -> None:
        """The linen cushion in the cart, and the 주문서 open."""
        self.get("/products/linen-cushion")
        assert self.post("/cart/items/3", quantity=1).status_code == 302
        self.get("/checkout")

    def place_order(self) -> str:
        """Submit the open 주문서; the new order's merchant_uid."""
        placed = self.post("/checkout", **BUYER)
        assert placed.status_code == 302, re.findall(r"flash[^>]*>([^<]+)", placed.text)
        return re.fullmatch(r"/orders/(ord_\w+)/pay", placed.headers["Location"]).group(1)

    def pay(self, merchant_uid: str) -> dict:
        page = self.get(f"/orders/{merchant_uid}/pay").text
        config = json.loads(re.search(r'id="payment-config">(.*?)</script>', page, re.S)[1])
        window = {"merchant_code": config["impCode"], "params": json.dumps(config["request"])}
        opened = self.http.post(
            self.url + "/sandbox/window",
            data=window | {"mode": "iframe", "channel": "pc", "origin": self.url},
            allow_redirects=False,
            timeout=15,
        )
        imp_uid = opened.headers["Location"].rsplit("/", 1)[1]
        self.http.post(self.url + f"/sandbox/window/{imp_uid}/approve", timeout=15)
        return self.http.post(
            self.url + "/payments/complete",
            json={"imp_uid": imp_uid, "merchant_uid": merchant_uid},
            headers={"X-CSRFToken": self.token},
            timeout=15,
        ).json()
