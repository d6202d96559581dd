"""Commands next to what they manage: `flask --app shop init-db`, `seed` and `reconcile`."""

import sys
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from shop.demo import DEMO_PRODUCTS
from shop.extensions import db
from shop.models import Product
from shop.reconcile import reconcile


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(seed)
    app.cli.add_command(reconcile_command)


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


@click.command("reconcile")
@click.option(
    "--older-than",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="이 시간(분)보다 오래된 미완료 주문만 확인합니다.",
)
@with_appcontext
def reconcile_command(older_than: int) -> None:
    """Sync unsettled orders with PortOne (for cron); prints what changed."""
    checked = reconcile(current_app.extensions["portone"], timedelta(minutes=older_than))
    for item in checked:
        if item.after is None:
            click.echo(f"{item.merchant_uid}: PortOne에 확인하지 못했습니다 ({item.before.label})")
        elif item.changed:
            click.echo(f"{item.merchant_uid}: {item.before.label} → {item.after.label}")
    failed = sum(item.after is None for item in checked)
    changed = sum(item.changed for item in checked)
    click.echo(f"미완료 주문 {len(checked)}건 확인, {changed}건 변경, {failed}건 확인 실패.")
    if failed:
        sys.exit(1)
