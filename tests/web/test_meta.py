"""Every page a customer sees says what it is to search engines and tabs: a <title> with its own
name before the shop's, and a meta description (on a product's page, the product's own)."""

import html
import re

import pytest

from shop.core.extensions import db
from shop.core.models import Product
from shop.storefront.demo import DEMO_PRODUCTS
from shop.web.meta import DEFAULT

PAGES = {
    "home": "/",
    "product": "/products/swivel-chair",
    "cart": "/cart",
    "checkout": "/checkout",
    "pay": "/orders/{order}/pay",
    "order": "/orders/{order}",
    "cancel": "/orders/{order}/cancel",
    "lookup": "/orders/lookup",
    "terms": "/terms",
    "privacy": "/privacy",
    "not found": "/nowhere",
}


def head(page: str) -> tuple[str, str]:
    """The page's title and meta description, unescaped."""
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)">', page).group(1)
    return html.unescape(title), html.unescape(description)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_page_has_its_own_title_and_description(shopper, path):
    merchant_uid = shopper.buy()  # a pending order; its item stays in the cart until paid
    response = shopper.client.get(path.format(order=merchant_uid))
    assert response.status_code == (404 if path == "/nowhere" else 200)
    title, description = head(response.get_data(as_text=True))
    assert title.endswith(" · 온담 리빙")
    assert title.removesuffix(" · 온담 리빙").strip()
    assert description.strip()
    assert description != DEFAULT.format(shop="온담 리빙")


def test_product_page_describes_its_product(client):
    cushion = next(product for product in DEMO_PRODUCTS if product["slug"] == "linen-cushion")
    _, description = head(client.get("/products/linen-cushion").get_data(as_text=True))
    assert description == cushion["description"]


def test_long_product_description_is_cut_to_one_plain_line(app, client):
    long_text = 'A "quoted" <b>line</b>\nthen   more ' + "아주 긴 설명입니다. " * 30
    with app.app_context():
        db.session.get(Product, 1).description = long_text
        db.session.commit()
    _, description = head(client.get("/products/swivel-chair").get_data(as_text=True))
    assert len(description) <= 150
    assert description.startswith('A "quoted" <b>line</b> then more 아주 긴 설명입니다.')
    assert description.endswith("…")


@pytest.mark.parametrize("path", ["/admin/", "/sandbox/"])
def test_pages_not_for_customers_ask_not_to_be_indexed(client, path):
    page = client.get(path).get_data(as_text=True)
    assert re.search(r'<meta name="robots" content="noindex\b', page)
