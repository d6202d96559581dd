"""A customer on a phone: the payment window is a full page and comes back to m_redirect_url."""

import re

from playwright.sync_api import expect

from shop.core.models import OrderStatus
from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.conftest import order_status

RETURN_PAGE = re.compile(r"/payments/complete/mobile\?imp_uid=imp_\d+&merchant_uid=ord_\w+")


def checkout_on_phone(phone, base_url: str, method: str, shots: bool = False) -> str:
    phone.goto(base_url + "/products/linen-cushion")
    if shots:
        screenshot(phone, "phone-01-product")
    phone.get_by_role("button", name="바로 구매").tap()
    fill_checkout(
        phone,
        method,
        "이영희",
        "younghee@example.com",
        "010-9876-5432",
        "48058",
        "부산광역시 해운대구 센텀중앙로 97",
    )
    if shots:
        screenshot(phone, "phone-02-checkout")
    merchant_uid = pay_from_checkout(phone, "22,800원 결제하기", tap=True)
    expect(phone).to_have_url(re.compile(r"/sandbox/window/imp_\d+$"))  # a full page, no overlay
    if shots:
        screenshot(phone, "phone-03-payment-window")
    return merchant_uid


def test_a_phone_purchase_comes_back_paid(live_shop, phone):
    merchant_uid = checkout_on_phone(phone, live_shop.url, "신용·체크카드", shots=True)
    phone.get_by_role("button", name="결제 승인").tap()

    expect(phone).to_have_url(RETURN_PAGE)
    expect(phone.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    screenshot(phone, "phone-04-result-paid")
    assert order_status(live_shop, merchant_uid) == OrderStatus.PAID
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll


def test_a_declined_phone_payment_shows_the_reason(live_shop, phone):
    merchant_uid = checkout_on_phone(phone, live_shop.url, "신용·체크카드")
    phone.get_by_label(re.compile("거절 사유")).select_option(label="잔액부족")
    phone.get_by_role("button", name="결제 거절").tap()

    expect(phone).to_have_url(re.compile(RETURN_PAGE.pattern + ".*error_code=F1007"))
    expect(phone.get_by_role("heading", name="잔액이 부족합니다")).to_be_visible()
    expect(phone.get_by_text("결제사 메시지: [F1007] 잔액부족")).to_be_visible()
    screenshot(phone, "phone-05-result-declined")
    assert order_status(live_shop, merchant_uid) == OrderStatus.FAILED


def test_closing_the_phone_window_says_it_was_cancelled(live_shop, phone):
    merchant_uid = checkout_on_phone(phone, live_shop.url, "카카오페이")
    phone.get_by_role("button", name="결제창 닫기").tap()

    expect(phone.get_by_role("heading", name="결제를 취소하셨습니다")).to_be_visible()
    screenshot(phone, "phone-06-result-closed")
    phone.get_by_role("link", name="다시 결제하기").tap()
    expect(phone.get_by_role("button", name="22,800원 결제하기")).to_be_enabled()
    assert order_status(live_shop, merchant_uid) == OrderStatus.FAILED


def test_a_virtual_account_on_a_phone_shows_the_account(live_shop, phone):
    merchant_uid = checkout_on_phone(phone, live_shop.url, "가상계좌 (무통장입금)")
    phone.get_by_role("button", name="가상계좌 발급").tap()

    expect(phone.get_by_role("heading", name="가상계좌가 발급되었습니다")).to_be_visible()
    expect(phone.get_by_text("신한은행")).to_be_visible()
    expect(phone.get_by_text("22,800원").first).to_be_visible()
    screenshot(phone, "phone-07-result-vbank")
    assert order_status(live_shop, merchant_uid) == OrderStatus.VBANK_ISSUED


def test_paypal_redirects_on_a_desktop_too(live_shop, page):
    page.goto(live_shop.url + "/products/mood-lamp")
    page.get_by_role("button", name="바로 구매").click()
    fill_checkout(page, "PayPal", name="John Kim", email="john@example.com")
    pay_from_checkout(page, "48,500원 결제하기")

    expect(page).to_have_url(re.compile(r"/sandbox/window/imp_\d+$"))
    expect(page.locator("iframe")).to_have_count(0)
    page.get_by_role("button", name="결제 승인").click()

    expect(page).to_have_url(RETURN_PAGE)
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    screenshot(page, "desktop-06-paypal-paid")
