"""The order's page after a virtual account is issued, on a desktop and on an iPhone 13: the
steps with 입금대기 current, the account number grouped for reading, and 복사 putting its
digits on the clipboard, with a status a screen reader announces."""

import pytest
from playwright.sync_api import expect

from shop.core.formatting import account_groups
from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.conftest import order

TAP = 44  # CSS pixels: the smallest comfortable tap target
# As a browser without the permission, or outside a secure context, answers the script.
REFUSE_CLIPBOARD_API = """() => {
  navigator.clipboard.writeText = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
}"""


@pytest.fixture(params=["page", "phone"])
def customer(request):
    """The desktop's or the iPhone 13's browser (tests/browser/conftest.py)."""
    return request.getfixturevalue(request.param)


def is_phone(page) -> bool:
    return page.viewport_size["width"] < 600


def issue_account(page, base_url: str) -> str:
    """Buy one 리넨 쿠션 커버 by 가상계좌 and have the sandbox's window issue the account."""
    page.goto(base_url + "/products/linen-cushion")
    page.get_by_role("button", name="바로 구매").click()
    fill_checkout(page, "가상계좌 (무통장입금)")
    merchant_uid = pay_from_checkout(page, "22,800원 결제하기")
    window = page if is_phone(page) else page.frame_locator("iframe")  # phones: a full page
    window.get_by_role("button", name="가상계좌 발급").click()
    expect(page.get_by_role("heading", name="가상계좌가 발급되었습니다")).to_be_visible()
    return merchant_uid


def test_the_issued_account_reads_in_groups_and_copies_as_digits(live_shop, customer):
    customer.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_shop.url)
    merchant_uid = issue_account(customer, live_shop.url)
    number = order(live_shop, merchant_uid).vbank_payment.vbank_num
    device = "phone" if is_phone(customer) else "desktop"

    steps = customer.get_by_role("list", name="주문 진행 단계")
    expect(steps.locator('[aria-current="step"]')).to_have_text("입금대기")
    expect(customer.locator(".account__number")).to_have_text(account_groups(number))
    copy = customer.get_by_role("button", name="계좌번호 복사")
    box = copy.bounding_box()
    assert box["width"] >= TAP and box["height"] >= TAP, box
    screenshot(customer, f"{device}-order-story-vbank")

    copy.click()

    expect(customer.get_by_role("status").filter(has_text="복사")).to_have_text("복사되었습니다")
    assert customer.evaluate("navigator.clipboard.readText()") == number
    assert customer.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    screenshot(customer, f"{device}-order-story-copied")


def test_the_number_is_copied_where_the_clipboard_api_refuses(live_shop, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_shop.url)
    merchant_uid = issue_account(page, live_shop.url)
    page.evaluate(REFUSE_CLIPBOARD_API)

    page.get_by_role("button", name="계좌번호 복사").click()

    expect(page.locator("#account-copied")).to_have_text("복사되었습니다")
    assert page.evaluate("navigator.clipboard.readText()") == (
        order(live_shop, merchant_uid).vbank_payment.vbank_num
    )
