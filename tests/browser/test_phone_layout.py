"""On an iPhone 13: two products a row, nothing wider than the screen, and a cart whose − and +
a thumb can hit, with JavaScript and without it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_page, screenshot

TAP = 44  # Apple's smallest comfortable tap target, in CSS pixels
FITS_THE_SCREEN = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def phone_without_javascript(browser, playwright):
    iphone = dict(playwright.devices["iPhone 13"])
    iphone.pop("default_browser_type")
    mobile = new_page(browser, java_script_enabled=False, **iphone)
    yield mobile
    mobile.context.close()


def add_to_cart(phone, base_url: str, slug: str = "linen-cushion") -> None:
    phone.goto(f"{base_url}/products/{slug}")
    phone.get_by_role("button", name="장바구니 담기").tap()
    expect(phone).to_have_url(base_url + "/cart")


def boxes(locator) -> list[dict]:
    return [locator.nth(i).bounding_box() for i in range(locator.count())]


def assert_thumb_sized(locator) -> None:
    for box in boxes(locator):
        assert box["width"] >= TAP and box["height"] >= TAP, box


def stepper(phone, name: str = "리넨 쿠션 커버"):
    return phone.get_by_role("form", name=f"{name} 수량")


def test_the_home_page_shows_two_products_a_row(live_shop, phone):
    phone.goto(live_shop.url + "/")
    first, second, third, *_, last = boxes(phone.locator(".product-card"))
    screenshot(phone, "phone-home")

    assert abs(first["y"] - second["y"]) < 1  # side by side
    assert second["x"] >= first["x"] + first["width"]
    assert third["y"] >= first["y"] + first["height"]  # the third starts the next row
    assert last["y"] + last["height"] <= 1.6 * phone.viewport_size["height"]
    assert phone.evaluate(FITS_THE_SCREEN)


def test_a_desktop_shows_more_columns(live_shop, page):
    page.goto(live_shop.url + "/")
    screenshot(page, "desktop-home-grid")
    tops = [box["y"] for box in boxes(page.locator(".product-card"))]
    assert tops.count(tops[0]) >= 3


@pytest.mark.parametrize("path", ["/", "/products/linen-cushion", "/cart"])
def test_nothing_scrolls_sideways(live_shop, phone, path):
    add_to_cart(phone, live_shop.url, "ceramic-mug-set")
    phone.goto(live_shop.url + path)
    assert phone.evaluate(FITS_THE_SCREEN)


def test_the_product_page_fits_a_phone(live_shop, phone):
    phone.goto(live_shop.url + "/products/mood-lamp")
    screenshot(phone, "phone-product")
    assert_thumb_sized(phone.locator("main button:visible"))
    expect(phone.get_by_text("3,000원 (50,000원 이상 무료)")).to_be_visible()
    font_size = phone.get_by_role("spinbutton", name="수량").evaluate(
        "field => getComputedStyle(field).fontSize"
    )
    assert float(font_size.removesuffix("px")) >= 16  # smaller and iOS zooms in on focus


def test_the_product_page_quantity_needs_no_typing(live_shop, phone):
    phone.goto(live_shop.url + "/products/mood-lamp")
    phone.get_by_role("button", name="수량 늘리기").tap()
    phone.get_by_role("button", name="수량 늘리기").tap()
    expect(phone.get_by_role("spinbutton", name="수량")).to_have_value("3")
    phone.get_by_role("button", name="장바구니 담기").tap()
    expect(stepper(phone, "무드 조명 스탠드").locator("output")).to_have_text("3")


def test_cart_buttons_are_thumb_sized(live_shop, phone):
    add_to_cart(phone, live_shop.url)
    add_to_cart(phone, live_shop.url, "ceramic-mug-set")  # 43,800원: 배송비 3,000원
    screenshot(phone, "phone-cart")
    assert_thumb_sized(stepper(phone).get_by_role("button"))
    for box in boxes(phone.get_by_role("button", name=re.compile("삭제$"))):
        assert box["height"] >= TAP, box
    for box in boxes(phone.locator("main a:visible, .site-header__inner a:visible")):
        assert box["height"] >= TAP, box


def test_plus_and_minus_change_the_cart_in_place(live_shop, phone):
    add_to_cart(phone, live_shop.url)
    phone.evaluate("window.samePage = true")
    count = stepper(phone).locator("output")

    stepper(phone).get_by_role("button", name="수량 늘리기").tap()
    expect(count).to_have_text("2")
    expect(phone.get_by_text("39,600원").first).to_be_visible()
    assert phone.evaluate("window.samePage") is True  # no page load, no jump to the top
    phone.reload()
    expect(count).to_have_text("2")  # the server's cart

    stepper(phone).get_by_role("button", name="수량 줄이기").tap()
    expect(count).to_have_text("1")
    expect(stepper(phone).get_by_role("button", name="수량 줄이기")).to_be_disabled()
    phone.reload()
    expect(count).to_have_text("1")


def test_plus_and_minus_work_without_javascript(live_shop, phone_without_javascript):
    phone = phone_without_javascript
    add_to_cart(phone, live_shop.url)
    stepper(phone).get_by_role("button", name="수량 늘리기").tap()
    expect(stepper(phone).locator("output")).to_have_text("2")
    expect(phone.get_by_text("리넨 쿠션 커버 수량을 2개로 바꿨습니다.")).to_be_visible()
    stepper(phone).get_by_role("button", name="수량 줄이기").tap()
    expect(stepper(phone).locator("output")).to_have_text("1")
    screenshot(phone, "phone-cart-without-javascript")
