"""Browsing the products."""

import re

from flask import Blueprint, abort, current_app, render_template, request, send_from_directory
from sqlalchemy import select

from shop.extensions import db
from shop.forms import QuantityForm
from shop.inputs import MAX_ROW_ID
from shop.models import Product

bp = Blueprint("catalog", __name__)

PER_PAGE = 24
# The last page a table of MAX_ROW_ID products could fill: past it, no page can exist.
LAST_POSSIBLE_PAGE = -(-MAX_ROW_ID // PER_PAGE)
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


@bp.get("/")
def index():
    page = db.paginate(
        select(Product).order_by(Product.id),
        page=requested_page(),
        per_page=PER_PAGE,
        error_out=False,
    )
    # Counted before the check, so a missing page costs the same statements as a real one.
    if page.page > 1 and not page.items:
        abort(404)
    return render_template("catalog/index.html", page=page)


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
