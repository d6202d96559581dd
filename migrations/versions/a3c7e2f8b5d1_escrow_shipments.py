"""Escrow shipments: whether a payment is an escrow payment, and whether its order's parcel is
registered with PortOne (or what PortOne said when it was not)

Revision ID: a3c7e2f8b5d1
Revises: f2b9d6e1a7c4
Create Date: 2026-12-16 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a3c7e2f8b5d1"
down_revision = "f2b9d6e1a7c4"
branch_labels = None
depends_on = None


def upgrade():
    # Payments fetched before this are taken as not escrow: none was asked for until now.
    with op.batch_alter_table("payment") as batch:
        batch.add_column(
            sa.Column("escrow", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("order") as batch:
        batch.add_column(
            sa.Column("escrow_registered_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("escrow_error", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("order") as batch:
        batch.drop_column("escrow_error")
        batch.drop_column("escrow_registered_at")
    with op.batch_alter_table("payment") as batch:
        batch.drop_column("escrow")
