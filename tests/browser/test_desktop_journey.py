"""A customer on a desktop browser: browse, cart, checkout, pay in the window, see the result."""

import re

from playwright.sync_api import expect

from shop.core.models import OrderStatus
from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.conftest import order_status

COUNT_IMP_INIT = """
Object.defineProperty(window, "IMP", {
  configurable: true,
  get() { return this.__imp; },
  set(value) {
    const init = value.init;
    window.__impInitCalls = 0;
    value.init = function () { window.__impInitCalls += 1; return init.apply(this, arguments); };
    this.__imp = value;
  },
});
"""


def checkout_one_chair(page, base_url: str, shots: bool = False) -> str:
    page.goto(base_url + "/")
    expect(page.get_by_role("heading", name="노르웨이 회전 의자")).to_be_visible()
    if shots:
        screenshot(page, "desktop-01-products")
    page.get_by_role("link", name=re.compile("노르웨이 회전 의자")).click()
    page.get_by_role("button", name="장바구니 담기").click()
    expect(page.get_by_text("64,900원").first).to_be_visible()
    page.get_by_role("link", name="주문하기").click()
    fill_checkout(page, "신용·체크카드")
    if shots:
        screenshot(page, "desktop-02-checkout")
    merchant_uid = pay_from_checkout(page, "64,900원 결제하기")
    expect(page.locator("#checkout-pay")).to_be_disabled()
    return merchant_uid


def open_window(page):
    return page.frame_locator("iframe")


def test_a_desktop_purchase_is_verified_and_shown_paid(live_shop, page):
    page.add_init_script(COUNT_IMP_INIT)
    merchant_uid = checkout_one_chair(page, live_shop.url, shots=True)
    window = open_window(page)
    expect(window.get_by_text("64,900원").first).to_be_visible()
    screenshot(page, "desktop-03-payment-window")

    window.get_by_role("button", name="결제 승인").click()

    expect(page).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    expect(page.get_by_text("결제 완료", exact=True)).to_be_visible()
    screenshot(page, "desktop-04-result-paid")
    assert order_status(live_shop, merchant_uid) == OrderStatus.PAID


def test_imp_init_is_called_exactly_once(live_shop, page):
    page.add_init_script(COUNT_IMP_INIT)
    checkout_one_chair(page, live_shop.url)
    open_window(page)
    assert page.evaluate("window.__impInitCalls") == 1


def test_a_declined_card_shows_the_failure_and_leaves_the_order_unpaid(live_shop, page):
    merchant_uid = checkout_one_chair(page, live_shop.url)
    window = open_window(page)

    window.get_by_label(re.compile("거절 사유")).select_option(label="한도초과")
    window.get_by_role("button", name="결제 거절").click()

    expect(page).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    expect(page.get_by_role("heading", name="카드 한도를 넘었습니다")).to_be_visible()
    expect(page.get_by_text("결제사 메시지: [F1006] 카드 한도초과")).to_be_visible()
    expect(page.get_by_role("link", name="다시 결제하기")).to_be_visible()
    screenshot(page, "desktop-05-result-declined")
    assert order_status(live_shop, merchant_uid) == OrderStatus.FAILED
