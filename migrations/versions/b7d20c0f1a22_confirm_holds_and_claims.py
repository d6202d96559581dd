"""Confirm-process holds expire; events keep a sender's claim apart from the shop's detail

Revision ID: b7d20c0f1a22
Revises: 6536a5ead327
Create Date: 2026-12-07 01:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7d20c0f1a22"
down_revision = "6536a5ead327"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("order") as order:
        order.add_column(sa.Column("stock_held_until", sa.DateTime(timezone=True), nullable=True))
        order.create_index("ix_order_stock_held_until", ["stock_held_until"])
    with op.batch_alter_table("payment_event") as event:
        event.add_column(sa.Column("claim", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("payment_event") as event:
        event.drop_column("claim")
    with op.batch_alter_table("order") as order:
        order.drop_index("ix_order_stock_held_until")
        order.drop_column("stock_held_until")
