"""Real-browser journeys: the shop served on a local port, Debian's Chromium driven by Playwright."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from shop import create_app
from shop.core.extensions import db
from shop.core.models import Product
from shop.storefront.demo import DEMO_PRODUCTS
from tests.live_server import LiveServer
from tests.spec_check import spec_checked

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_shop(tmp_path):
    """The whole shop (sandbox included) on 127.0.0.1 with a port of its own; the port comes
    first, as the shop must know its own URL (SHOP_URL)."""
    with LiveServer() as server:
        app = create_app(
            {
                "SECRET_KEY": "browser-tests",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'shop.sqlite3'}",
                "SANDBOX_DATABASE": str(tmp_path / "sandbox.sqlite3"),
                "SHOP_URL": server.url,
                # The sandbox answers in this process too, its webhooks racing the page's own
                # verification for the budget; tests/payments/test_gateway_budget.py tests it.
                "PORTONE_CONCURRENCY": 0,
            }
        )
        with app.app_context():
            db.create_all()
            db.session.add_all(Product(**item) for item in DEMO_PRODUCTS)
            db.session.commit()
        server.app = app
        app.url = server.url
        yield from spec_checked(app, app.extensions.get("sandbox_app"))


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()


def new_page(browser, **options):
    context = browser.new_context(locale="ko-KR", **options)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser):
    desktop = new_page(browser, viewport={"width": 1280, "height": 860})
    yield desktop
    desktop.context.close()


DEVICES = ("desktop", "iphone")


@pytest.fixture(params=DEVICES)
def device(request, browser, playwright):
    """A factory of fresh browsers (contexts) of one kind: closing one is closing the tab."""
    if request.param == "iphone":
        options = dict(playwright.devices["iPhone 13"])
        options.pop("default_browser_type")
    else:
        options = {"viewport": {"width": 1280, "height": 860}}
    opened = []

    def open_browser():
        opened.append(new_page(browser, **options))
        return opened[-1]

    open_browser.name = request.param
    yield open_browser
    for page in opened:
        page.context.close()


@pytest.fixture
def phone(browser, playwright):
    """Chromium emulating an iPhone: its user agent, viewport, touch and pixel ratio."""
    iphone = dict(playwright.devices["iPhone 13"])
    iphone.pop("default_browser_type")
    mobile = new_page(browser, **iphone)
    yield mobile
    mobile.context.close()


def fill_checkout(
    page,
    method: str,
    name="홍길동",
    email="gildong@example.com",
    tel="010-4242-4242",
    postcode="06236",
    address="서울특별시 강남구 테헤란로 123",
):
    """Fill the 주문서 as a customer would, by the labels they read (the address typed, as
    without 우편번호 찾기), and tick 전체 동의."""
    page.get_by_label("이름", exact=True).fill(name)
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("휴대폰 번호", exact=True).fill(tel)
    page.get_by_label("우편번호", exact=True).fill(postcode)
    page.get_by_label("주소", exact=True).fill(address)
    page.get_by_label(method).check()
    page.get_by_label("전체 동의").check()


def pay_from_checkout(page, button: str, tap: bool = False) -> str:
    """Press the 주문서's 결제하기: the order is placed and its window opens; returns the
    order's merchant_uid, read from the checkout's answer on its way to the page (a phone
    leaves the page for the window before the answer could be read afterwards)."""
    placed: dict = {}

    def keep(route):
        answer = route.fetch()
        placed.update(answer.json() if answer.ok else {})
        route.fulfill(response=answer)

    page.route(re.compile(r"/checkout$"), keep)
    with page.expect_request_finished(lambda request: request.url.endswith("/checkout")):
        pressed = page.get_by_role("button", name=button)
        pressed.tap() if tap else pressed.click()
    page.unroute(re.compile(r"/checkout$"), keep)
    return placed["request"]["merchant_uid"]


def screenshot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
