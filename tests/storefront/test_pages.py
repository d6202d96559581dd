"""Pages render in Korean, KRW reads as 64,900원, and bad addresses get friendly pages."""

import pytest


def test_product_list_shows_names_and_prices(client):
    page = client.get("/").get_data(as_text=True)
    assert "노르웨이 회전 의자" in page
    assert "64,900원" in page
    assert '<html lang="ko">' in page


def test_product_page_offers_cart_and_buy_now(client):
    page = client.get("/products/swivel-chair").get_data(as_text=True)
    assert "장바구니 담기" in page
    assert "바로 구매" in page


@pytest.mark.parametrize(
    "path", ["/products/nope", "/orders/ord_missing", "/orders/ord_missing/pay", "/nowhere"]
)
def test_unknown_addresses_get_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "찾으시는 페이지가 없습니다" in response.get_data(as_text=True)


def test_state_changes_refuse_get(client):
    assert client.get("/cart/items/1").status_code == 405


def test_jquery_is_served_locally(client):
    with client.get("/vendor/jquery/jquery.min.js") as response:
        assert response.status_code == 200
        assert b"jQuery" in response.data


def test_product_images_are_local_svg_files(client):
    with client.get("/static/img/products/swivel-chair.svg") as response:
        assert response.status_code == 200
        assert b"<svg" in response.data
