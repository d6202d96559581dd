"""The sandbox's console in a real browser: a paid order is partly cancelled from the dashboard."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_desktop_journey import checkout_one_chair, open_window


def test_a_partial_cancel_from_the_dashboard_shows_on_the_payment(live_shop, page):
    merchant_uid = checkout_one_chair(page, live_shop.url)
    open_window(page).get_by_role("button", name="결제 승인").click()
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()

    page.goto(live_shop.url + "/sandbox/")
    row = page.get_by_role("row").filter(has_text=merchant_uid)
    expect(row).to_contain_text("64,900원")
    expect(row).to_contain_text("결제완료")
    row.get_by_role("link").click()
    page.get_by_label("취소 금액").fill("10,000")
    page.get_by_label("취소 사유").fill("부분 반품")
    page.get_by_role("button", name="취소하기").click()

    expect(page).to_have_url(re.compile(r"/sandbox/dashboard/payments/imp_\d{12}\?done=cancelled$"))
    expect(page.get_by_role("status")).to_contain_text("취소했습니다")
    expect(page.locator(".payment-head .status")).to_have_text("부분취소")
    expect(page.get_by_text("54,900원")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("10,000원 · 부분 반품")
    screenshot(page, "sandbox-dashboard")
