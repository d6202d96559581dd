"""Money shown right in a real browser: the operator gives back 5,000원 of a 48,500원 order,
the customer's cancel page says what was paid, what went back and what the cancel gives back,
the customer cancels, and each refund's notice reaches the mailbox once with its amounts."""

import re

from playwright.sync_api import expect
from werkzeug.security import generate_password_hash

from shop.core.models import OrderStatus
from tests.browser.conftest import (
    SCREENSHOTS,
    fill_checkout,
    new_page,
    pay_from_checkout,
    screenshot,
)
from tests.conftest import order, order_status

PASSWORD = "correct horse battery staple"


def buy_the_lamp(page, base_url: str) -> str:
    """무드 조명 스탠드 (45,500원) and 3,000원 shipping, paid by card in the window."""
    page.goto(base_url + "/")
    page.get_by_role("link", name=re.compile("무드 조명 스탠드")).click()
    page.get_by_role("button", name="장바구니 담기").click()
    page.get_by_role("link", name="주문하기").click()
    fill_checkout(page, "신용·체크카드")
    merchant_uid = pay_from_checkout(page, "48,500원 결제하기")
    page.frame_locator("iframe").get_by_role("button", name="결제 승인").click()
    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    return merchant_uid


def operator_refunds(browser, base_url: str, number: str, amount: str) -> None:
    admin = new_page(browser, viewport={"width": 1280, "height": 860})
    admin.goto(base_url + "/admin/")
    admin.get_by_label("관리자 비밀번호").fill(PASSWORD)
    admin.get_by_role("button", name="로그인").click()
    admin.get_by_role("link", name=number).click()
    expect(admin.get_by_label("환불 금액 (원)")).to_have_value("")
    admin.get_by_label("환불 금액 (원)").fill(amount)
    admin.get_by_label("환불 사유").fill("색상 교환 대신 부분 환불")
    admin.get_by_label("환불 금액과 사유를 확인했습니다").check()
    admin.get_by_role("button", name="환불하기").click()
    expect(admin.get_by_text(f"{amount}원을 환불했습니다. 주문 상태: 부분 환불")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    admin.locator("#refund").screenshot(path=str(SCREENSHOTS / "refund-admin-form.png"))
    admin.context.close()


def mails(page, base_url: str, count: int) -> list[tuple[str, str]]:
    """The sandbox's mailbox, oldest first, once `count` notices have been sent to it."""
    page.goto(base_url + "/sandbox/mailbox")
    for _ in range(50):
        if page.locator("article.mail").count() >= count:
            break
        page.wait_for_timeout(200)
        page.reload()
    titles = page.locator("article.mail h2").all_inner_texts()
    bodies = page.locator("article.mail pre").all_inner_texts()
    return list(zip(titles, bodies, strict=True))[::-1]


def test_a_partial_refund_then_the_customers_cancel_show_and_tell_the_right_amounts(
    live_shop, page, browser
):
    live_shop.config["ADMIN_PASSWORD_HASH"] = generate_password_hash(PASSWORD)
    merchant_uid = buy_the_lamp(page, live_shop.url)
    number = order(live_shop, merchant_uid).number

    operator_refunds(browser, live_shop.url, number, "5,000")

    page.goto(live_shop.url + f"/orders/{merchant_uid}")
    page.get_by_role("link", name="주문 취소").click()
    facts = page.locator("dl.facts")
    for label, amount in (
        ("결제 금액", "48,500원"),
        ("환불된 금액", "5,000원"),
        ("환불될 금액", "43,500원"),
    ):
        expect(facts.locator(f"dt:text-is('{label}') + dd")).to_have_text(amount)
    expect(page.get_by_text("전액 환불")).to_have_count(0)
    expect(page.get_by_text("남은 결제 금액 43,500원이 환불됩니다")).to_be_visible()
    screenshot(page, "refund-cancel-page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "refund-cancel-page-phone")
    page.get_by_label("주문 취소 내용을 확인했습니다").check()
    page.get_by_role("button", name="주문 취소하기").click()
    expect(page.get_by_text("주문을 취소했습니다.")).to_be_visible()
    assert order_status(live_shop, merchant_uid) == OrderStatus.REFUNDED

    confirmed, partial, full = mails(page, live_shop.url, 3)
    screenshot(page, "refund-mailbox")
    assert confirmed[0].startswith("[주문 확인]")
    assert partial[0].startswith("[부분 환불]") and "5,000원이 환불되었습니다" in partial[0]
    assert "남은 결제 금액: 43,500원" in partial[1]
    assert full[0].startswith("[환불 완료]")
    assert "43,500원이 환불되어 결제하신 48,500원이 모두 환불되었습니다." in full[1]
    page.wait_for_timeout(500)  # nothing more arrives: each refund is told once
    assert len(mails(page, live_shop.url, 3)) == 3
