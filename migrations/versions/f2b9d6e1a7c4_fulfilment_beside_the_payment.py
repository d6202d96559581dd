"""Fulfilment beside the payment: where the goods are (배송 상태), the courier and the invoice
number; an order marked shipped before is 배송중

Revision ID: f2b9d6e1a7c4
Revises: e8c5a1d2f4b6
Create Date: 2026-12-09 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f2b9d6e1a7c4"
down_revision = "e8c5a1d2f4b6"
branch_labels = None
depends_on = None

FULFILMENT = sa.Enum(
    "ordered",
    "preparing",
    "shipping",
    "delivered",
    "confirmed",
    "return_requested",
    "return_approved",
    "returned",
    "return_refunded",
    name="fulfilment",
    native_enum=False,
    length=20,
)
COURIER = sa.Enum(
    "CJGLS", "HANJIN", "HYUNDAI", "EPOST", "KGB", name="courier", native_enum=False, length=20
)

order = sa.table(
    "order",
    sa.column("fulfilment", sa.String),
    sa.column("shipped_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table("order") as batch:
        batch.add_column(
            sa.Column("fulfilment", FULFILMENT, nullable=False, server_default="ordered")
        )
        batch.add_column(sa.Column("courier", COURIER, nullable=True))
        batch.add_column(sa.Column("invoice_number", sa.String(length=20), nullable=True))
    # Marked 배송 시작 by the admin before there were states: on its way, courier unknown.
    op.execute(order.update().where(order.c.shipped_at.is_not(None)).values(fulfilment="shipping"))


def downgrade():
    # shipped_at still says which orders left; the later states and the invoices are lost.
    with op.batch_alter_table("order") as batch:
        batch.drop_column("invoice_number")
        batch.drop_column("courier")
        batch.drop_column("fulfilment")
