"""The 주문서 as a Korean shopper uses it, on a desktop and on an iPhone 13: itemised consent
under 전체 동의, errors that go once the field is right, the 결제하기 bar a phone keeps at the
thumb, a double click that opens one window, and a decline paid again as the same order."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from shop.core.extensions import db
from shop.core.ledger import Payment
from shop.core.models import Order, OrderStatus, Product
from tests.browser.conftest import fill_checkout, pay_from_checkout, screenshot
from tests.conftest import order_status

CONSENTS = (
    "구매조건 확인 및 결제진행 동의",
    "개인정보 수집·이용 동의",
    "개인정보 제3자 제공 동의",
    "전자금융거래 이용약관 동의",
)


def to_checkout(page, base_url: str) -> None:
    page.goto(base_url + "/products/linen-cushion")
    page.get_by_role("button", name="바로 구매").click()
    expect(page.get_by_role("heading", name="주문서 작성")).to_be_visible()


def orders_made(shop) -> int:
    with shop.app_context():
        return db.session.scalar(select(func.count(Order.id)))


def test_all_agrees_to_each_item_and_each_item_to_all(live_shop, device):
    page = device()
    to_checkout(page, live_shop.url)
    everything = page.get_by_label("전체 동의")
    everything.check()
    for label in CONSENTS:
        expect(page.get_by_label(re.compile(label))).to_be_checked()
    page.get_by_label(re.compile(CONSENTS[2])).uncheck()
    expect(everything).not_to_be_checked()
    page.get_by_label(re.compile(CONSENTS[2])).check()
    expect(everything).to_be_checked()

    page.locator(".consent__doc summary").nth(1).click()
    expect(page.get_by_text("수집 항목")).to_be_visible()  # read in place, no new tab
    screenshot(page, f"{device.name}-checkout-consent-open")


def test_an_error_goes_as_soon_as_its_field_is_right_and_nothing_typed_is_lost(live_shop, device):
    page = device()
    to_checkout(page, live_shop.url)
    fill_checkout(page, "신용·체크카드", tel="12345")
    page.get_by_label(re.compile(CONSENTS[3])).uncheck()
    page.get_by_role("button", name="22,800원 결제하기").click()

    expect(page.locator("#checkout-message")).to_be_focused()
    tel_error = page.get_by_text("예: 010-1234-5678 형식으로 입력해 주세요.").last
    expect(tel_error).to_be_visible()
    expect(page.get_by_text("전자금융거래 이용약관 동의가 필요합니다.").last).to_be_visible()
    expect(page.get_by_label("이름", exact=True)).to_have_value("홍길동")  # kept as typed
    screenshot(page, f"{device.name}-checkout-errors-inline")

    page.get_by_label("휴대폰 번호", exact=True).fill("010-4242-4242")
    expect(page.locator("#buyer_tel-error")).to_have_count(0)
    page.get_by_label(re.compile(CONSENTS[3])).check()
    expect(page.locator("#agree_electronic_finance-error")).to_have_count(0)
    assert orders_made(live_shop) == 0


def test_a_phone_keeps_the_pay_button_at_the_bottom_of_the_screen(live_shop, phone):
    to_checkout(phone, live_shop.url)
    button = phone.get_by_role("button", name="22,800원 결제하기")
    height = phone.viewport_size["height"]
    for scrolled in (0, 600):
        phone.mouse.wheel(0, scrolled)
        box = button.bounding_box()
        assert height - 120 < box["y"] and box["y"] + box["height"] <= height, box
        assert box["height"] >= 44
    screenshot(phone, "phone-checkout-bar", full_page=False)  # what the screen shows
    for control in ("#buyer_tel", "#buyer_postcode"):
        assert phone.locator(control).get_attribute("inputmode") in ("tel", "numeric")


def test_the_recipient_and_a_typed_memo_reach_the_order(live_shop, page):
    to_checkout(page, live_shop.url)
    fill_checkout(page, "신용·체크카드")
    expect(page.get_by_label("받는 분", exact=True)).to_be_hidden()
    page.get_by_label("주문자 정보와 동일").uncheck()
    page.get_by_label("받는 분", exact=True).fill("김영희")
    page.get_by_label("받는 분 휴대폰 번호").fill("010-9876-5432")
    page.get_by_label("상세주소").fill("4층 401호")
    expect(page.get_by_label("배송 메모 직접 입력")).to_be_hidden()
    page.get_by_label("배송 메모", exact=True).select_option(label="직접 입력")
    page.get_by_label("배송 메모 직접 입력").fill("공동현관 #1234")
    merchant_uid = pay_from_checkout(page, "22,800원 결제하기")
    page.frame_locator("iframe").get_by_role("button", name="결제 승인").click()

    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    with live_shop.app_context():
        placed = db.session.scalar(select(Order).where(Order.merchant_uid == merchant_uid))
        assert (placed.recipient_name, placed.recipient_tel) == ("김영희", "010-9876-5432")
        assert placed.address_detail == "4층 401호"
        assert placed.delivery_memo == "공동현관 #1234"


def test_a_double_click_makes_one_order_and_one_window(live_shop, page):
    to_checkout(page, live_shop.url)
    fill_checkout(page, "신용·체크카드")
    page.get_by_role("button", name="22,800원 결제하기").dblclick()
    window = page.frame_locator("iframe")
    expect(window.get_by_role("button", name="결제 승인")).to_be_visible()
    expect(page.locator("iframe")).to_have_count(1)
    assert orders_made(live_shop) == 1


def test_a_declined_card_paid_again_is_one_order_with_two_attempts(live_shop, device):
    page = device()
    to_checkout(page, live_shop.url)
    fill_checkout(page, "신용·체크카드")
    merchant_uid = pay_from_checkout(page, "22,800원 결제하기", tap=device.name == "iphone")
    window = page if device.name == "iphone" else page.frame_locator("iframe")
    window.get_by_label(re.compile("거절 사유")).select_option(label="잔액부족")
    window.get_by_role("button", name="결제 거절").click()
    expect(page.get_by_role("heading", name="잔액이 부족합니다")).to_be_visible()
    expect(page.get_by_text("자동으로 바뀝니다")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("주문 취소"))).to_have_count(0)

    to_checkout(page, live_shop.url)  # the 주문서 again, as from the cart: the same order
    fill_checkout(page, "신용·체크카드")
    again = pay_from_checkout(page, "22,800원 결제하기", tap=device.name == "iphone")
    assert again == merchant_uid
    window = page if device.name == "iphone" else page.frame_locator("iframe")
    window.get_by_role("button", name="결제 승인").click()

    expect(page.get_by_role("heading", name="결제가 완료되었습니다")).to_be_visible()
    assert order_status(live_shop, merchant_uid) == OrderStatus.PAID
    with live_shop.app_context():
        assert orders_made(live_shop) == 1
        attempts = select(func.count(Payment.id)).where(Payment.merchant_uid == merchant_uid)
        assert db.session.scalar(attempts) == 2


def test_stock_sold_meanwhile_is_said_on_the_checkout_page(live_shop, page):
    to_checkout(page, live_shop.url)
    fill_checkout(page, "신용·체크카드")
    with live_shop.app_context():
        db.session.execute(
            Product.__table__.update().where(Product.slug == "linen-cushion").values(stock=0)
        )
        db.session.commit()
    page.get_by_role("button", name="22,800원 결제하기").click()
    expect(page.locator("#checkout-message")).to_contain_text("재고가 부족합니다")
    expect(page.get_by_label("이메일", exact=True)).to_have_value("gildong@example.com")
    expect(page.locator("iframe")).to_have_count(0)
