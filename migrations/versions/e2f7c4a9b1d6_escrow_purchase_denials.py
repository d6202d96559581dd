"""Escrow purchase denials: when the buyer refused an escrow order's goods (구매거절, reported by
the PG's escrow webhook), and the reason the PG gave, so the order waits in the admin's queue

Revision ID: e2f7c4a9b1d6
Revises: c6e1f9a3d2b7
Create Date: 2026-12-07 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e2f7c4a9b1d6"
down_revision = "c6e1f9a3d2b7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("order") as batch:
        batch.add_column(sa.Column("escrow_denied_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("escrow_denied_reason", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("order") as batch:
        batch.drop_column("escrow_denied_reason")
        batch.drop_column("escrow_denied_at")
