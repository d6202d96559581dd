"""Browsing the products."""

import re
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.models import Product
from shop.storefront.forms import QuantityForm
from shop.web.inputs import MAX_ROW_ID

bp = Blueprint("catalog", __name__)

PER_PAGE = 12  # three rows of four on a desktop, six of two on a phone
# The last page a table of MAX_ROW_ID products could fill: past it, no page can exist.
LAST_POSSIBLE_PAGE = -(-MAX_ROW_ID // PER_PAGE)
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True)
class Page:
    number: int
    products: list[Product]
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.number > 1


@bp.get("/")
def index():
    page = products_page(requested_page())
    if page.number > 1 and not page.products:
        abort(404)
    return render_template("catalog/index.html", page=page)


def products_page(number: int) -> Page:
    """One more than a page is read to know whether another follows: no count of the whole
    catalogue, so the first page costs the same with ten products or ten thousand."""
    query = select(Product).order_by(Product.id).offset((number - 1) * PER_PAGE)
    found = list(db.session.execute(query.limit(PER_PAGE + 1)).scalars())
    return Page(number, found[:PER_PAGE], has_next=len(found) > PER_PAGE)


def requested_page() -> int:
    """?page=N as written by the pager; anything else (0, -1, 1.5, a number no table could
    reach) is a 404 before the database sees it."""
    text = request.args.get("page", "1")
    if not PAGE_NUMBER.fullmatch(text) or int(text) > LAST_POSSIBLE_PAGE:
        abort(404)
    return int(text)


@bp.get("/products/<slug>")
def product(slug: str):
    item = db.one_or_404(select(Product).where(Product.slug == slug))
    return render_template("catalog/product.html", product=item, form=QuantityForm())


@bp.get("/favicon.ico")
def favicon():
    """Browsers and iPhones ask for /favicon.ico whatever a page links."""
    return send_from_directory(current_app.static_folder, "favicon.ico")
