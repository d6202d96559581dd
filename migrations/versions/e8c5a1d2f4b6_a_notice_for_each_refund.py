"""A notice for each refund

Notices are one per (order, key) instead of one per (order, kind): the key is the kind for what
an order is told once, "refund:<id>" for a refund's notice, which also names its refund.

Revision ID: e8c5a1d2f4b6
Revises: d4f1b2c7e9a3
Create Date: 2026-12-08 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e8c5a1d2f4b6"
down_revision = "d4f1b2c7e9a3"
branch_labels = None
depends_on = None

notice = sa.table(
    "notice",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("key", sa.String),
)


def upgrade():
    with op.batch_alter_table("notice") as batch:
        batch.add_column(sa.Column("key", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("refund_id", sa.Integer(), nullable=True))
    op.execute(notice.update().values(key=notice.c.kind))  # each was the one of its kind
    with op.batch_alter_table("notice") as batch:
        batch.alter_column("key", existing_type=sa.String(length=40), nullable=False)
        batch.drop_constraint("uq_notice_order_id", type_="unique")
        batch.create_unique_constraint("one_notice_per_key", ["order_id", "key"])
        batch.create_foreign_key(
            op.f("fk_notice_refund_id_refund"), "refund", ["refund_id"], ["id"]
        )


def downgrade():
    # One notice of each kind per order again: the first of each kind is kept.
    first = sa.select(sa.func.min(notice.c.id)).group_by(notice.c.order_id, notice.c.kind)
    op.execute(notice.delete().where(notice.c.id.not_in(first)))
    with op.batch_alter_table("notice") as batch:
        batch.drop_constraint(op.f("fk_notice_refund_id_refund"), type_="foreignkey")
        batch.drop_constraint("one_notice_per_key", type_="unique")
        batch.create_unique_constraint(op.f("uq_notice_order_id"), ["order_id", "kind"])
        batch.drop_column("refund_id")
        batch.drop_column("key")
