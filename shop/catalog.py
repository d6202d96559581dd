"""Browsing the products."""

from flask import Blueprint, current_app, render_template, send_from_directory
from sqlalchemy import select

from shop.extensions import db
from shop.forms import QuantityForm
from shop.models import Product

bp = Blueprint("catalog", __name__)


@bp.get("/")
def index():
    products = db.session.execute(select(Product).order_by(Product.id)).scalars()
    return render_template("catalog/index.html", products=products)


@bp.get("/products/<slug>")
def product(slug: str):
    item = db.one_or_404(select(Product).where(Product.slug == slug))
    return render_template("catalog/product.html", product=item, form=QuantityForm())


@bp.get("/favicon.ico")
def favicon():
    """Browsers and iPhones ask for /favicon.ico whatever a page links."""
    return send_from_directory(current_app.static_folder, "favicon.ico")
