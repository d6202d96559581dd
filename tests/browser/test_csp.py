"""The Content-Security-Policy breaks nothing: a blocked script, style, frame or form post
breaks a page silently, so Chromium reports every violation here (`securitypolicyviolation`
events in every frame, and its console's CSP errors) while a customer walks the main pages and
pays, in the desktop window's frame and in the phone's full-page window, and while a tester
uses the sandbox's console."""

import logging
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_desktop_journey import checkout_one_chair, open_window
from tests.browser.test_mobile_journey import RETURN_PAGE, checkout_on_phone

REPORT_PATIENCE = 30  # seconds; Chromium sends a report-uri report at once (tried: under 1 s)
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`
  );
});
"""


def watched(page) -> list[str]:
    """Every CSP violation the page and its frames meet from now on."""
    violations = []
    page.context.expose_binding("reportCspViolation", lambda source, text: violations.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append(f"console: {message.text}")
        ),
    )
    return violations


@pytest.fixture
def violations(page):
    return watched(page)


def test_the_main_pages_and_a_desktop_payment_meet_no_violation(live_shop, page, violations):
    for path in ("/", "/products/linen-cushion", "/orders/lookup", "/terms", "/privacy"):
        page.goto(live_shop.url + path)
    page.goto(live_shop.url + "/nowhere")  # an error page
    merchant_uid = checkout_one_chair(page, live_shop.url)
    window = open_window(page)
    window.get_by_role("button", name="결제 승인").click()
    expect(page).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    page.goto(live_shop.url + "/cart")
    assert violations == []


def test_a_declined_payment_and_its_watching_order_page_meet_no_violation(
    live_shop, page, violations
):
    merchant_uid = checkout_one_chair(page, live_shop.url)
    window = open_window(page)
    window.get_by_role("button", name="결제 거절").click()
    expect(page).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    page.wait_for_timeout(5500)  # order-status.js asks the shop for the status once
    page.goto(live_shop.url + f"/orders/{merchant_uid}/cancel")
    assert violations == []


def test_a_phone_payment_in_the_full_page_window_meets_no_violation(live_shop, phone):
    violations = watched(phone)
    checkout_on_phone(phone, live_shop.url, "신용·체크카드")
    phone.get_by_role("button", name="결제 승인").tap()
    expect(phone).to_have_url(RETURN_PAGE)
    expect(phone.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    assert violations == []


def test_the_sandbox_console_meets_no_violation(live_shop, page, violations):
    merchant_uid = checkout_one_chair(page, live_shop.url)
    open_window(page).get_by_role("button", name="결제 승인").click()
    expect(page).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    page.goto(live_shop.url + "/sandbox/")
    page.get_by_role("link", name=re.compile(r"imp_\d+")).first.click()
    expect(page).to_have_url(re.compile(r"/sandbox/dashboard/payments/imp_\d+$"))
    for path in ("/sandbox/dashboard/webhooks", "/sandbox/dashboard/switches", "/sandbox/mailbox"):
        page.goto(live_shop.url + path)
    assert violations == []


def test_the_watch_sees_a_violation_when_there_is_one(live_shop, page, violations):
    """The control: an inline style and a foreign image are reported."""
    page.goto(live_shop.url + "/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("new Image().src = 'https://example.invalid/pixel.png'")
    for _ in range(50):
        if len(violations) >= 2:
            break
        page.wait_for_timeout(100)
    assert any("style-src" in text for text in violations), violations
    assert any("img-src" in text for text in violations), violations


def test_chromium_reports_a_blocked_host_and_the_shop_logs_it(live_shop, page, caplog):
    caplog.set_level(logging.WARNING, logger="shop.web.csp_reports")
    page.goto(live_shop.url + "/")

    page.evaluate(
        """() => {
          const image = document.createElement("img");
          image.src = "https://pg.not-listed.example/logo.png?order=secret";
          document.body.appendChild(image);
        }"""
    )

    expected = "CSP blocked https://pg.not-listed.example (img-src) on /"
    deadline = time.monotonic() + REPORT_PATIENCE
    while expected not in logged(caplog) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert logged(caplog) == [expected]


def logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "shop.web.csp_reports"]
