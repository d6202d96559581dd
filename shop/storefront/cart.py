"""The session cart: product ids and quantities; prices are always read from the database."""

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, session, url_for
from sqlalchemy import select

from shop.core.extensions import db
from shop.core.formatting import josa
from shop.core.models import Product
from shop.core.shipping import totals_for
from shop.storefront.forms import QuantityForm
from shop.web.inputs import flash_errors

bp = Blueprint("cart", __name__, url_prefix="/cart")


@dataclass(frozen=True)
class Item:
    product: Product
    quantity: int

    @property
    def subtotal(self) -> int:
        return self.product.price * self.quantity


def items_in(quantities: dict[str, int]) -> list[Item]:
    """Turn {product id: quantity} into items, dropping products that no longer exist."""
    ids = [int(key) for key in quantities if key.isdigit()]
    products = db.session.execute(select(Product).where(Product.id.in_(ids))).scalars()
    return [Item(p, quantities[str(p.id)]) for p in sorted(products, key=lambda p: p.id)]


def total(items: list[Item]) -> int:
    return sum(item.subtotal for item in items)


def cart_quantities() -> dict[str, int]:
    return dict(session.get("cart", {}))


def save_cart(quantities: dict[str, int]) -> None:
    session["cart"] = quantities


def count() -> int:
    return sum(cart_quantities().values())


@bp.app_context_processor
def cart_count():
    return {"cart_count": count}


@bp.get("")
def show():
    items = items_in(cart_quantities())
    return render_template("cart/show.html", items=items, totals=totals_for(total(items)))


@bp.post("/items/<row_id:product_id>")
def add(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = QuantityForm()
    if not form.validate():
        flash_errors(form)
        return redirect(url_for("catalog.product", slug=product.slug))
    quantities = cart_quantities()
    wanted = quantities.get(str(product_id), 0) + form.quantity.data
    if wanted > product.stock:
        flash(f"재고가 부족합니다. 남은 수량은 {product.stock}개입니다.", "error")
        return redirect(url_for("catalog.product", slug=product.slug))
    quantities[str(product_id)] = wanted
    save_cart(quantities)
    flash(f"{josa(product.name, '을/를')} 장바구니에 담았습니다.", "success")
    return redirect(url_for("cart.show"))


@bp.post("/items/<row_id:product_id>/quantity")
def change(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = QuantityForm()
    if not form.validate():
        flash_errors(form)
    elif form.quantity.data > product.stock:
        flash(f"재고가 부족합니다. {product.name}의 남은 수량은 {product.stock}개입니다.", "error")
    elif str(product_id) in cart_quantities():
        save_cart(cart_quantities() | {str(product_id): form.quantity.data})
        flash(f"{product.name} 수량을 {form.quantity.data}개로 바꿨습니다.", "success")
    return redirect(url_for("cart.show"))


@bp.post("/items/<row_id:product_id>/remove")
def remove(product_id: int):
    quantities = cart_quantities()
    if quantities.pop(str(product_id), None) is not None:
        save_cart(quantities)
        flash("장바구니에서 뺐습니다.", "success")
    return redirect(url_for("cart.show"))
