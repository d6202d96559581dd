"""The catalogue in pages of 12: `/` is the first page and `/?page=N` the others, with 이전 and
다음 between them; any other page number is the friendly 404, never an empty page or a database
error, except that a shop with no products yet still says so on `/`."""

import re

import pytest
from sqlalchemy import delete

from shop.core.extensions import db
from shop.core.models import Product
from tests.conftest import checked, make_app
from tests.helpers import page_of

CARD_NAME = re.compile(r'<h2 class="product-card__name">([^<]+)</h2>')
PREV = re.compile(r'<a class="[^"]*pager__prev" rel="prev"\s+href="([^"]+)">이전</a>')
NEXT = re.compile(r'<a class="[^"]*pager__next" rel="next"\s+href="([^"]+)">다음</a>')


@pytest.fixture
def big_shop(tmp_path):
    """63 products: the six demo ones (ids 1-6), then 상품 7 to 상품 63: five full pages and three."""
    app = make_app(tmp_path)
    with app.app_context():
        db.session.add_all(
            Product(
                slug=f"item-{number}",
                name=f"상품 {number}",
                description="",
                price=1000 + number,
                stock=3,
                image="img/products/mood-lamp.svg",
            )
            for number in range(7, 64)
        )
        db.session.commit()
    yield from checked(app)


def test_the_first_page_shows_12_products_and_links_to_the_next(big_shop):
    page = page_of(big_shop.test_client().get("/"), 200)
    names = CARD_NAME.findall(page)
    assert len(names) == 12
    assert names[0] == "노르웨이 회전 의자" and names[-1] == "상품 12"
    assert NEXT.findall(page) == ["/?page=2"]
    assert not PREV.search(page)
    assert "1 페이지</p>" in page


def test_the_second_page_links_back_to_plain_slash(big_shop):
    page = page_of(big_shop.test_client().get("/?page=2"), 200)
    names = CARD_NAME.findall(page)
    assert (len(names), names[0], names[-1]) == (12, "상품 13", "상품 24")
    assert PREV.findall(page) == ["/"]
    assert NEXT.findall(page) == ["/?page=3"]
    assert "2 페이지</p>" in page


def test_the_last_page_shows_the_rest_and_no_next_link(big_shop):
    page = page_of(big_shop.test_client().get("/?page=6"), 200)
    assert CARD_NAME.findall(page) == [f"상품 {number}" for number in range(61, 64)]
    assert PREV.findall(page) == ["/?page=5"]
    assert not NEXT.search(page)
    assert "6 페이지</p>" in page


def test_a_shop_that_fits_one_page_shows_no_pager(client):
    page = page_of(client.get("/"), 200)
    assert len(CARD_NAME.findall(page)) == 6
    assert 'class="pager"' not in page and "페이지</p>" not in page


@pytest.mark.parametrize(
    "number", ["7", "0", "-1", "abc", "", "1.5", " 2", "٢", "99999999999", str(10**30)]
)
def test_a_page_that_cannot_exist_is_a_friendly_404(big_shop, number):
    response = big_shop.test_client().get("/", query_string={"page": number})
    assert response.status_code == 404
    assert "찾으시는 페이지가 없습니다" in response.get_data(as_text=True)


def test_an_empty_shop_says_so_on_its_first_page_only(app, client):
    with app.app_context():
        db.session.execute(delete(Product))
        db.session.commit()
    for url in ("/", "/?page=1"):
        page = page_of(client.get(url), 200)
        assert "아직 상품이 없습니다" in page
        assert 'class="pager"' not in page
    assert client.get("/?page=2").status_code == 404
