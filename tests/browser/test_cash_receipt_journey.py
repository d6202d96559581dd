"""A 계좌이체 of 120,000원 with 소득공제, on a desktop and on an iPhone: the receipt appears on the
order page; the operator refunds it all, and the page shows the receipt cancelled."""

import re

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.browser.test_admin_journey import PASSWORD
from tests.browser.test_customer_journeys import pay


def test_a_transfer_receipt_is_shown_then_cancelled_by_a_full_refund(live_shop, device):
    live_shop.config["ADMIN_PASSWORD_HASH"] = generate_password_hash(PASSWORD)
    page = device()
    page.goto(live_shop.url + "/products/ceramic-mug-set")
    page.get_by_role("spinbutton", name="수량").fill("5")
    page.get_by_role("button", name="장바구니 담기").click()
    page.get_by_role("link", name="주문하기").click()
    expect(page.locator("#cash-receipt")).to_be_hidden()  # 카드 is the default method
    fill_checkout(page, "실시간 계좌이체")
    page.get_by_label("소득공제용").check()
    page.get_by_label("현금영수증 휴대폰 번호").fill("010-9876-5432")
    screenshot(page, f"{device.name}-cash-receipt-01-checkout")
    merchant_uid = pay_from_checkout(page, "120,000원 결제하기")
    pay(page)

    expect(page).to_have_url(re.compile(f"/orders/{merchant_uid}|/payments/complete/mobile"))
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    receipt = page.locator("#cash-receipt-info")
    expect(receipt.locator(".cash-receipt-state")).to_have_text("발급")
    expect(receipt).to_contain_text("소득공제용")
    expect(receipt).to_contain_text("010-****-5432")
    expect(receipt).to_contain_text(re.compile(r"승인번호\s*\d{9}"))
    expect(receipt.get_by_role("link", name="현금영수증 보기")).to_be_visible()
    screenshot(page, f"{device.name}-cash-receipt-02-order-page")

    admin = device()  # the operator's own browser: a login starts a new session
    admin.goto(live_shop.url + f"/admin/orders/{merchant_uid}")
    admin.get_by_label("관리자 비밀번호").fill(PASSWORD)
    admin.get_by_role("button", name="로그인").click()
    admin.goto(live_shop.url + f"/admin/orders/{merchant_uid}")
    admin.get_by_label("환불 금액 (원)").fill("120,000")
    admin.get_by_label(re.compile("전액 환불합니다")).check()
    admin.get_by_label("환불 사유").fill("고객 변심")
    admin.get_by_label("환불 금액과 사유를 확인했습니다").check()
    admin.get_by_role("button", name="환불하기").click()
    expect(admin.get_by_text("120,000원을 환불했습니다. 주문 상태: 환불 완료")).to_be_visible()
    expect(admin.locator("#cash-receipt-info .cash-receipt-state")).to_have_text("발급 취소")
    screenshot(admin, f"{device.name}-cash-receipt-03-admin-refunded")

    page.goto(live_shop.url + f"/orders/{merchant_uid}")
    expect(page.locator("#cash-receipt-info .cash-receipt-state")).to_have_text("발급 취소")
    screenshot(page, f"{device.name}-cash-receipt-04-order-cancelled")
