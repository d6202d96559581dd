"""Phone first: the cart's − and + buttons post the next quantity without JavaScript, particles
fit the word before them, the cart shows 배송비, and /favicon.ico is there."""

import re

import pytest
from flask import render_template_string

from shop.core.extensions import db
from shop.core.formatting import josa
from shop.core.models import Product

CUSHION, TABLE, LAMP, CHAIR = 3, 2, 5, 1  # 19,800원 ×40, 89,000원 ×5, 45,500원 ×8, 64,900원
STEPPER = re.compile(r'<form[^>]*action="/cart/items/(\d+)/quantity".*?</form>', re.S)
STEP_BUTTON = re.compile(r'<button[^>]*value="(\d+)"\s+data-step="(-?1)"[^>]*?( disabled)?>')
COUNT = re.compile(r'<output class="stepper__count"[^>]*>(\d+)</output>')


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("무드 조명 스탠드", "을/를", "무드 조명 스탠드를"),
        ("린넨 쿠션", "을/를", "린넨 쿠션을"),
        ("리넨 쿠션 커버", "을/를", "리넨 쿠션 커버를"),
        ("노르웨이 회전 의자", "이/가", "노르웨이 회전 의자가"),
        ("원목 사이드 테이블", "이/가", "원목 사이드 테이블이"),
        ("소이 캔들 라벤더", "은/는", "소이 캔들 라벤더는"),
        ("세라믹 머그 2종 세트", "과/와", "세라믹 머그 2종 세트와"),
        ("쿠션", "과/와", "쿠션과"),
        ("머그", "으로/로", "머그로"),
        ("테이블", "으로/로", "테이블로"),  # ㄹ takes 로
        ("쿠션", "으로/로", "쿠션으로"),
    ],
)
def test_particles_follow_the_final_hangul_syllable(word, pair, expected):
    assert josa(word, pair) == expected


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("iPhone 13", "을/를", "iPhone 13을"),  # 십삼
        ("2", "이/가", "2가"),  # 이
        ("1", "으로/로", "1로"),  # 일: ㄹ
        ("6", "은/는", "6은"),  # 육
        ("10", "을/를", "10을"),  # 십
        ("100", "이/가", "100이"),  # 백
        ("3,000", "으로/로", "3,000으로"),  # 삼천
        ("50000", "은/는", "50000은"),  # 오만
        ("0", "을/를", "0을"),  # 영
        ("350ml", "을/를", "350ml를"),  # 밀리리터
        ("200g", "이/가", "200g이"),  # 그램
    ],
)
def test_numbers_are_read_in_korean(word, pair, expected):
    assert josa(word, pair) == expected


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("LED", "을/를", "LED를"),  # 엘이디
        ("HTML", "은/는", "HTML은"),  # 에이치티엠엘
        ("TV", "이/가", "TV가"),  # 티브이
        ("PortOne", "과/와", "PortOne과"),  # 포트원
        ("iPhone", "을/를", "iPhone을"),  # 아이폰
        ("Apple", "으로/로", "Apple로"),  # 애플
        ("desk", "이/가", "desk가"),  # 데스크
        ("black", "을/를", "black을"),  # 블랙
        ("ring", "이/가", "ring이"),  # 링
    ],
)
def test_latin_words_are_read_as_loanwords(word, pair, expected):
    assert josa(word, pair) == expected


def test_a_parenthesis_is_read_past():
    assert josa("쿠션 커버(45×45cm)", "을/를") == "쿠션 커버(45×45cm)를"


@pytest.mark.parametrize(("word", "expected"), [("東京", "東京을(를)"), ("★", "★을(를)")])
def test_an_ending_that_cannot_be_read_shows_both_particles(word, expected):
    assert josa(word, "을/를") == expected


def test_josa_is_a_template_filter(app):
    with app.test_request_context():
        rendered = render_template_string("{{ name|josa('을/를') }} 담았습니다", name="스탠드")
    assert rendered == "스탠드를 담았습니다"


def text_of(page: str) -> str:
    return re.sub(r"<[^>]+>", "", page)


def cart_page(shopper) -> str:
    return shopper.client.get("/cart").get_data(as_text=True)


def stepper(page: str, product_id: int) -> dict:
    """What a product's stepper shows and what its − and + would post (None: disabled)."""
    form = next(m.group(0) for m in STEPPER.finditer(page) if m.group(1) == str(product_id))
    buttons = {
        int(step): None if off else int(value) for value, step, off in STEP_BUTTON.findall(form)
    }
    return {"count": int(COUNT.search(form).group(1)), "down": buttons[-1], "up": buttons[1]}


def press(shopper, product_id: int, button: str):
    """Tap − ("down") or + ("up") as a browser without JavaScript does: post the button's value."""
    quantity = stepper(cart_page(shopper), product_id)[button]
    assert quantity is not None, f"the {button} button is disabled"
    return post_quantity(shopper, product_id, quantity)


def post_quantity(shopper, product_id: int, quantity: int):
    """What a stepper's form posts, whatever quantity a hand-made form puts in it."""
    return shopper.client.post(
        f"/cart/items/{product_id}/quantity",
        data={"quantity": quantity, "csrf_token": shopper.csrf_token()},
        follow_redirects=True,
    )


def set_stock(app, product_id: int, stock: int) -> None:
    with app.app_context():
        db.session.get(Product, product_id).stock = stock
        db.session.commit()


def test_the_stepper_posts_one_less_and_one_more(app, shopper):
    shopper.add_to_cart(CUSHION, 2)
    assert stepper(cart_page(shopper), CUSHION) == {"count": 2, "down": 1, "up": 3}

    page = press(shopper, CUSHION, "up").get_data(as_text=True)
    assert stepper(page, CUSHION) == {"count": 3, "down": 2, "up": 4}
    assert "리넨 쿠션 커버 수량을 3개로 바꿨습니다." in page
    assert "59,400원" in page  # 19,800원 × 3

    page = press(shopper, CUSHION, "down").get_data(as_text=True)
    assert stepper(page, CUSHION)["count"] == 2


def test_the_cart_needs_no_typing_and_no_change_button(app, shopper):
    shopper.add_to_cart(CUSHION)
    page = cart_page(shopper)
    assert 'type="number"' not in page
    assert "수량 변경" not in page


def test_minus_stops_at_one(app, shopper):
    shopper.add_to_cart(CUSHION, 1)
    assert stepper(cart_page(shopper), CUSHION)["down"] is None
    response = post_quantity(shopper, CUSHION, 0)
    assert stepper(response.get_data(as_text=True), CUSHION)["count"] == 1


def test_plus_stops_at_the_stock(app, shopper):
    shopper.add_to_cart(TABLE, 5)  # all 5 in stock
    assert stepper(cart_page(shopper), TABLE) == {"count": 5, "down": 4, "up": None}
    response = post_quantity(shopper, TABLE, 6)
    page = response.get_data(as_text=True)
    assert "재고가 부족합니다. 원목 사이드 테이블의 남은 수량은 5개입니다." in page
    assert stepper(page, TABLE)["count"] == 5


def test_plus_stops_at_99_even_with_more_in_stock(app, shopper):
    set_stock(app, CUSHION, 500)
    shopper.add_to_cart(CUSHION, 98)
    assert press(shopper, CUSHION, "up").status_code == 200
    assert stepper(cart_page(shopper), CUSHION) == {"count": 99, "down": 98, "up": None}
    response = post_quantity(shopper, CUSHION, 100)
    assert stepper(response.get_data(as_text=True), CUSHION)["count"] == 99


def test_a_stepper_post_needs_the_csrf_token(app, shopper):
    shopper.add_to_cart(CUSHION)
    response = shopper.client.post(f"/cart/items/{CUSHION}/quantity", data={"quantity": 2})
    assert response.status_code == 400
    assert stepper(cart_page(shopper), CUSHION)["count"] == 1


def test_remove_buttons_name_the_product(app, shopper):
    shopper.add_to_cart(CUSHION)
    assert 'aria-label="리넨 쿠션 커버 삭제"' in cart_page(shopper)


@pytest.mark.parametrize(
    ("product_id", "message"),
    [
        (LAMP, "무드 조명 스탠드를 장바구니에 담았습니다."),
        (CUSHION, "리넨 쿠션 커버를 장바구니에 담았습니다."),
        (TABLE, "원목 사이드 테이블을 장바구니에 담았습니다."),
    ],
)
def test_adding_says_what_was_added_with_the_right_particle(app, shopper, product_id, message):
    shopper.add_to_cart(product_id)
    page = cart_page(shopper)
    assert message in page
    assert "을(를)" not in page


def test_the_cart_adds_shipping_below_the_free_threshold(app, shopper):
    shopper.add_to_cart(CUSHION)  # 19,800원
    page = cart_page(shopper)
    assert re.search(r"<dt>상품 금액</dt><dd>19,800원</dd>", page)
    assert re.search(r"<dt>배송비</dt><dd>3,000원</dd>", page)
    assert re.search(r"<dt>결제 예정 금액</dt><dd>22,800원</dd>", page)
    assert "50,000원 이상 무료 배송 · 30,200원 더 담으면 무료" in text_of(page)


def test_the_cart_ships_free_from_the_threshold(app, shopper):
    shopper.add_to_cart(CHAIR)  # 64,900원
    page = cart_page(shopper)
    assert re.search(r"<dt>배송비</dt><dd>무료</dd>", page)
    assert re.search(r"<dt>결제 예정 금액</dt><dd>64,900원</dd>", page)
    assert "더 담으면 무료" not in page


def test_shipping_amounts_come_from_the_configuration(app, shopper):
    app.config.update(SHIPPING_FEE=2500, FREE_SHIPPING_FROM=30000)
    shopper.add_to_cart(CUSHION)
    assert "30,000원 이상 무료 배송 · 10,200원 더 담으면 무료" in text_of(cart_page(shopper))
    product = shopper.client.get("/products/linen-cushion").get_data(as_text=True)
    assert "2,500원 (30,000원 이상 무료)" in product
    assert "30,000원 이상 무료 배송" in shopper.client.get("/").get_data(as_text=True)


def test_the_product_page_states_the_shipping_fee(client):
    page = client.get("/products/mood-lamp").get_data(as_text=True)
    assert "<dt>배송비</dt><dd>3,000원 (50,000원 이상 무료)</dd>" in page


def test_favicon_ico_is_an_icon(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype.startswith("image/")
        assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header


@pytest.mark.parametrize(
    ("path", "start"),
    [("/static/favicon.svg", b"<svg"), ("/static/apple-touch-icon.png", b"\x89PNG")],
)
def test_the_brand_mark_is_served_for_tabs_and_home_screens(client, path, start):
    with client.get(path) as response:
        assert response.status_code == 200
        assert response.data.startswith(start)
