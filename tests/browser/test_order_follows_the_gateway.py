"""The customer's order page follows the gateway by itself: a deposit made at the bank, or an
approval that comes after the window said it failed, shows up without a click."""

import re

from playwright.sync_api import expect

from iamport_sandbox import switchboard
from shop.core.models import OrderStatus
from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.browser.test_desktop_journey import checkout_one_chair, open_window
from tests.conftest import order_status


def test_a_deposit_turns_the_waiting_page_into_the_paid_page(live_shop, page, browser):
    page.goto(live_shop.url + "/")
    page.get_by_role("link", name=re.compile("노르웨이 회전 의자")).click()
    page.get_by_role("button", name="바로 구매").click()
    fill_checkout(page, "가상계좌")
    pay_from_checkout(page, "64,900원 결제하기")
    page.frame_locator("iframe").get_by_role("button", name="가상계좌 발급").click()
    expect(page.get_by_role("heading", name="가상계좌가 발급되었습니다")).to_be_visible()
    expect(page.get_by_text("자동으로 바뀝니다")).to_be_visible()
    screenshot(page, "desktop-06-vbank-waiting")
    merchant_uid = page.url.rsplit("/", 1)[1]

    bank = browser.new_page()  # the PG console, where the deposit arrives
    bank.goto(live_shop.url + "/sandbox/")
    bank.get_by_role("row").filter(has_text=merchant_uid).get_by_role("link").click()
    bank.get_by_role("button", name="입금 처리").click()
    bank.close()

    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible(timeout=15_000)
    screenshot(page, "desktop-07-deposit-arrived")
    assert order_status(live_shop, merchant_uid) == OrderStatus.PAID


def test_a_late_approval_replaces_the_failure_on_the_page(live_shop, page):
    sandbox = live_shop.extensions["sandbox_app"].extensions["sandbox"]
    switchboard.set(sandbox, "window_late_approval_seconds", 2)
    merchant_uid = checkout_one_chair(page, live_shop.url)
    open_window(page).get_by_role("button", name="결제 승인").click()
    expect(page.get_by_role("heading", name="결제에 실패했습니다")).to_be_visible()

    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible(timeout=15_000)
    assert order_status(live_shop, merchant_uid) == OrderStatus.PAID
