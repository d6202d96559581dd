"""What a customer does besides paying, on a desktop and on an iPhone: find the order again
from the header and cancel it, come back to a full cart after a declined card, press Back
after paying, and read the notice that was sent."""

import re

from playwright.sync_api import expect

from iamport_sandbox import switchboard
from shop.core.models import OrderStatus
from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.conftest import order_status


def order_cushion(page, base_url: str) -> str:
    """Cart → 주문서 → the window, for one 리넨 쿠션 커버 (19,800원 + 배송비 3,000원)."""
    page.goto(base_url + "/products/linen-cushion")
    page.get_by_role("button", name="장바구니 담기").click()
    page.get_by_role("link", name="주문하기").click()
    fill_checkout(page, "신용·체크카드")
    return pay_from_checkout(page, "22,800원 결제하기")


def pay(page, outcome_button: str = "결제 승인") -> None:
    """Decide in the window: an overlay on a desktop, a full page on a phone."""
    page.wait_for_url(re.compile(r"/sandbox/window/"), timeout=2_000) if is_phone(page) else None
    window = page if is_phone(page) else page.frame_locator("iframe")
    if outcome_button == "결제 거절":
        window.get_by_label(re.compile("거절 사유")).select_option(label="잔액부족")
    window.get_by_role("button", name=outcome_button).click()


def is_phone(page) -> bool:
    return page.viewport_size["width"] < 600


def test_a_customer_finds_the_order_from_the_header_and_cancels_it(live_shop, device):
    first = device()
    merchant_uid = order_cushion(first, live_shop.url)
    pay(first)
    expect(first.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    number = first.locator(".order-number").inner_text()
    first.context.close()  # the tab is gone, and with it the session

    later = device()
    later.goto(live_shop.url + "/")
    later.get_by_role("navigation", name="주요 메뉴").get_by_role("link", name="주문조회").click()
    later.get_by_label("주문번호").fill(number)
    later.get_by_label("휴대폰 번호").fill("01042424242")
    screenshot(later, f"{device.name}-lookup-form")
    later.get_by_role("button", name="주문 찾기").click()

    expect(later).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    expect(later.get_by_text("홍길동").first).to_be_visible()
    screenshot(later, f"{device.name}-lookup-found")
    later.get_by_role("link", name="주문 취소").click()
    later.get_by_label("주문 취소 내용을 확인했습니다").check()
    later.get_by_role("button", name="주문 취소하기").click()

    expect(later.get_by_role("heading", name="결제가 취소되었습니다")).to_be_visible()
    screenshot(later, f"{device.name}-lookup-cancelled")
    assert order_status(live_shop, merchant_uid) == OrderStatus.REFUNDED


def test_a_wrong_phone_gets_the_neutral_answer(live_shop, device):
    page = device()
    page.goto(live_shop.url + "/orders/lookup")
    page.get_by_label("주문번호").fill("20260101-123456")
    page.get_by_label("휴대폰 번호").fill("010-0000-0000")
    page.get_by_role("button", name="주문 찾기").click()
    expect(page.get_by_text("일치하는 주문이 없습니다")).to_be_visible()
    screenshot(page, f"{device.name}-lookup-not-found")


def test_a_declined_card_returns_to_a_full_cart(live_shop, device):
    page = device()
    merchant_uid = order_cushion(page, live_shop.url)
    pay(page, "결제 거절")

    expect(page.get_by_role("heading", name="잔액이 부족합니다")).to_be_visible()
    screenshot(page, f"{device.name}-declined-keeps-cart")
    page.get_by_role("link", name="장바구니로 돌아가기").click()

    expect(page.get_by_role("link", name="리넨 쿠션 커버")).to_be_visible()
    expect(page.locator(".cart-link .badge")).to_have_text("1")
    assert order_status(live_shop, merchant_uid) == OrderStatus.FAILED


def test_back_after_paying_shows_the_paid_order_not_a_pay_button(live_shop, device):
    page = device()
    merchant_uid = order_cushion(page, live_shop.url)
    pay(page)
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    expect(page.locator(".cart-link .badge")).to_have_count(0)  # paid: the cart is empty

    visited = []
    for _ in range(3):  # a phone went through the window's full pages first
        page.go_back()
        visited.append(page.url)
        if page.url.endswith(f"/orders/{merchant_uid}"):
            break
    assert not any(url.endswith("/pay") for url in visited), visited

    expect(page).to_have_url(live_shop.url + f"/orders/{merchant_uid}")
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("결제하기"))).to_have_count(0)
    screenshot(page, f"{device.name}-back-after-paying")


def test_the_payment_notice_arrives_and_its_link_opens_the_order_elsewhere(live_shop, device):
    page = device()
    order_cushion(page, live_shop.url)
    pay(page)
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    number = page.locator(".order-number").inner_text()

    page.goto(live_shop.url + "/sandbox/mailbox")
    mail = page.locator("article.mail").filter(has_text=number)
    for _ in range(20):  # the sender thread works in the background, never in the request
        if mail.count():
            break
        page.wait_for_timeout(250)
        page.reload()

    expect(mail.get_by_role("heading", name=re.compile(r"\[주문 확인\]"))).to_be_visible()
    expect(mail).to_contain_text("22,800원")
    expect(mail).to_contain_text("배송비")
    screenshot(page, f"{device.name}-mailbox")

    # The mail read on another device: its link opens the order with the buyer's details.
    link = re.search(r"주문 내역 보기: (\S+)", mail.inner_text()).group(1)
    elsewhere = device()
    elsewhere.goto(link)
    expect(elsewhere.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    expect(elsewhere.get_by_text("gildong@example.com")).to_be_visible()
    expect(elsewhere.get_by_text(number).first).to_be_visible()
    screenshot(elsewhere, f"{device.name}-order-from-the-mail-link")
    expect(elsewhere.get_by_role("link", name="주문 취소")).to_have_count(0)
    elsewhere.get_by_role("main").get_by_role("link", name="주문조회").last.click()  # first
    expect(elsewhere.get_by_role("heading", name="주문조회")).to_be_visible()


def test_every_other_page_is_saved_for_a_look(live_shop, device):
    """Screenshots of the pages no journey above passes through (test-artifacts/screenshots)."""
    page = device()
    pages = {
        "terms": "/terms",
        "privacy": "/privacy",
        "not-found": "/nowhere",
        "cart-empty": "/cart",
    }
    for name, path in pages.items():
        page.goto(live_shop.url + path)
        expect(page.locator("footer")).to_contain_text("사업자등록번호")
        screenshot(page, f"{device.name}-page-{name}")

    page.goto(live_shop.url + "/products/linen-cushion")
    page.get_by_role("button", name="장바구니 담기").click()
    page.get_by_role("link", name="주문하기").click()
    page.get_by_role("button", name="22,800원 결제하기").click()
    expect(page.locator("#checkout-message")).to_be_focused()
    screenshot(page, f"{device.name}-page-checkout-errors")


def test_a_hanging_gateway_shows_progress_then_the_checking_page(live_shop, page):
    sandbox = live_shop.extensions["sandbox_app"].extensions["sandbox"]
    merchant_uid = order_cushion(page, live_shop.url)
    switchboard.set(sandbox, "api_hang_seconds", 30)
    page.frame_locator("iframe").get_by_role("button", name="결제 승인").click()

    expect(page.locator("#pay-progress")).to_be_visible()
    screenshot(page, "desktop-verifying")
    # Two waits of PORTONE_CUSTOMER_WAIT (3 s): the callback's, then the return page's.
    expect(page.get_by_role("heading", name="결제 결과를 확인하고 있습니다")).to_be_visible(
        timeout=9_000
    )
    screenshot(page, "desktop-checking")
    switchboard.set(sandbox, "api_hang_seconds", 0)

    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible(timeout=15_000)
    assert order_status(live_shop, merchant_uid) == OrderStatus.PAID
