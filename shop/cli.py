"""Commands next to what they manage: `flask --app shop seed`, `reconcile`, `refund`,
`send-notices` and `preflight` (shop.preflight; the schema is Flask-Migrate's:
`flask --app shop db upgrade`)."""

import sys
from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask.globals import app_ctx
from sqlalchemy import select

from shop.admin.auth import admin_password_command
from shop.core.extensions import db
from shop.core.ledger import RefundCause
from shop.core.models import Product
from shop.notices.outbox import send_due_notices
from shop.payments import cash_receipts, escrow
from shop.payments.cancellation import refund
from shop.payments.reconcile import reconcile
from shop.payments.refunds import RefundRefused
from shop.preflight import preflight_command
from shop.storefront.demo import DEMO_PRODUCTS


def register(app: Flask) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(reconcile_command)
    app.cli.add_command(refund_command)
    app.cli.add_command(send_notices_command)
    app.cli.add_command(admin_password_command)
    app.cli.add_command(preflight_command)


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
            click.echo(f"{item.merchant_uid}: PortOne에 확인하지 못했습니다")
        elif item.changed:
            before = item.before.label if item.before is not None else "?"
            click.echo(f"{item.merchant_uid}: {before} → {item.after.label}")
        if item.released_stock:
            click.echo(f"{item.merchant_uid}: 결제되지 않은 재고 확보를 풀었습니다")
        for attempt in (item.escrow, *item.receipts):
            if attempt is not None:
                click.echo(f"{item.merchant_uid}: {attempt_line(attempt)}")
    failed = sum(item.failed for item in checked)
    changed = sum(item.changed for item in checked)
    click.echo(f"주문 {len(checked)}건 확인, {changed}건 변경, {failed}건 확인 실패.")
    if failed:
        sys.exit(1)


def attempt_line(attempt: escrow.Attempt | cash_receipts.Attempt) -> str:
    if attempt.error:
        return f"{attempt.outcome.label} ({attempt.error})"
    return attempt.outcome.label


@click.command("refund")
@click.argument("merchant_uid")
@click.option("--amount", type=click.IntRange(min=1), help="환불 금액(원). 없으면 남은 금액 전부.")
@click.option(
    "--reason", default="운영자 환불", show_default=True, help="PortOne에 보낼 취소 사유."
)
@with_appcontext
def refund_command(merchant_uid: str, amount: int | None, reason: str) -> None:
    """Refund an order's payment through PortOne, once (checksum from our ledger)."""
    try:
        result = refund(
            current_app.extensions["portone"], merchant_uid, reason, RefundCause.OPERATOR, amount
        )
    except RefundRefused as refusal:
        db.session.rollback()
        click.echo(f"환불하지 못했습니다: {refusal.message}", err=True)
        sys.exit(1)
    order = result.order
    click.echo(f"{merchant_uid}: 환불했습니다. 주문 상태 {order.status.label if order else '?'}.")


@click.command("send-notices")
@with_appcontext
def send_notices_command() -> None:
    """Send the notices that are due (for cron, with NOTICE_SENDER = "off")."""
    tally = send_due_notices(app_ctx.app)
    if not tally.configured:
        click.echo("MAIL_SERVER가 설정되지 않아 알림을 보내지 않았습니다.", err=True)
        sys.exit(1)
    click.echo(f"알림 {tally.sent}건 보냄, {tally.failed}건 실패.")
