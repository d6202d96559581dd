"""PortOne's own Python client against the sandbox, served on a real local socket, and against
PortOne's real API when the environment provides credentials for it."""

import json
import os
from dataclasses import dataclass

import pytest
import requests
from iamport import Iamport

from iamport_sandbox import create_sandbox_app
from iamport_sandbox.store import SandboxStore
from tests.live_server import serving
from tests.spec_check import spec_checked

REAL_API_URL = "https://api.iamport.kr/"


@dataclass
class Target:
    """Where the client talks to: `store` is the sandbox's, None for the real API."""

    name: str
    url: str
    client: Iamport
    store: SandboxStore | None


@pytest.fixture
def sandbox_app(tmp_path):
    app = create_sandbox_app(
        {"TESTING": True, "SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite")}
    )
    yield from spec_checked(app, app)


@pytest.fixture
def sandbox_url(sandbox_app):
    """The sandbox on 127.0.0.1 with a port of its own; the client adds paths to this URL."""
    with serving(sandbox_app) as url:
        yield url + "/"


def real_api() -> tuple[str, str, str]:
    key = os.environ.get("PORTONE_CONFORMANCE_IMP_KEY")
    secret = os.environ.get("PORTONE_CONFORMANCE_IMP_SECRET")
    if not (key and secret):
        pytest.skip(
            "PortOne's real API runs only with PORTONE_CONFORMANCE_IMP_KEY and"
            " PORTONE_CONFORMANCE_IMP_SECRET set (optionally PORTONE_CONFORMANCE_URL)"
        )
    url = os.environ.get("PORTONE_CONFORMANCE_URL") or REAL_API_URL
    return url.rstrip("/") + "/", key, secret


@pytest.fixture(params=["sandbox", "portone"])
def target(request):
    if request.param == "sandbox":
        app = request.getfixturevalue("sandbox_app")
        url = request.getfixturevalue("sandbox_url")
        key, secret = app.config["SANDBOX_IMP_KEY"], app.config["SANDBOX_IMP_SECRET"]
        store = app.extensions["sandbox"]
    else:
        (url, key, secret), store = real_api(), None
    client = Iamport(key, secret, imp_url=url)
    yield Target(request.param, url, client, store)
    client.requests_session.close()


@pytest.fixture
def store(target):
    """The sandbox's store, to arrange what only a buyer could do (pay); skips the real API."""
    if target.store is None:
        pytest.skip("needs a paid payment, which only a buyer can make on PortOne's real API")
    return target.store


def pay_in_the_window(
    base_url: str, merchant_uid: str, amount: int, merchant_code: str, **params
) -> str:
    """What a buyer's browser does with iamport.payment.js: open the window, approve."""
    request = {"pg": "html5_inicis", "pay_method": "card", "merchant_uid": merchant_uid}
    form = {
        "merchant_code": merchant_code,
        "params": json.dumps(request | {"amount": amount, "name": "머그컵"} | params),
        "mode": "iframe",
        "origin": "http://shop.example",
    }
    with requests.Session() as browser:
        opened = browser.post(base_url + "window", data=form, allow_redirects=False, timeout=10)
        assert opened.status_code == 303, opened.text
        imp_uid = opened.headers["Location"].rsplit("/", 1)[1]
        assert browser.post(f"{base_url}window/{imp_uid}/approve", timeout=10).ok
    return imp_uid
