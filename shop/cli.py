"""Commands next to what they manage: `flask --app shop init-db` and `flask --app shop seed`."""

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from shop.demo import DEMO_PRODUCTS
from shop.extensions import db
from shop.models import Product


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(seed)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the tables that do not exist yet (existing data is kept)."""
    db.create_all()
    click.echo("데이터베이스 테이블을 준비했습니다.")


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Add the demo products that are missing; running it again changes nothing."""
    existing = set(db.session.execute(select(Product.slug)).scalars())
    added = [Product(**item) for item in DEMO_PRODUCTS if item["slug"] not in existing]
    db.session.add_all(added)
    db.session.commit()
    click.echo(f"데모 상품 {len(added)}개를 추가했습니다 (이미 있던 상품 {len(existing)}개).")
