"""Returns (반품): when the goods were delivered and came back, the customer's 반품 신청 with its
reason and deducted return shipping, and the products that cannot be returned once opened

Revision ID: d9a4b2e7c1f3
Revises: e2f7c4a9b1d6
Create Date: 2026-12-23 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d9a4b2e7c1f3"
down_revision = "e2f7c4a9b1d6"
branch_labels = None
depends_on = None

REASON = sa.Enum(
    "changed_mind",
    "defective",
    "not_as_described",
    "wrong_item",
    name="returnreason",
    native_enum=False,
    length=20,
)

order = sa.table(
    "order",
    sa.column("id", sa.Integer),
    sa.column("fulfilment", sa.String),
    sa.column("delivered_at", sa.DateTime(timezone=True)),
)
event = sa.table(
    "payment_event",
    sa.column("order_id", sa.Integer),
    sa.column("outcome", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade():
    with op.batch_alter_table("order") as batch:
        batch.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("product") as batch:
        batch.add_column(sa.Column("withdrawal_note", sa.String(length=300), nullable=True))
    op.create_table(
        "return_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reason", REASON, nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("shipping_deduction", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refusal", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "shipping_deduction >= 0", name=op.f("ck_return_request_deduction_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_return_request_order_id_order")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_request")),
        sa.UniqueConstraint("order_id", name="one_return_per_order"),
    )
    # Marked 배송완료 before the moment was kept: the timeline's record of that move has it.
    delivered = (
        sa.select(sa.func.max(event.c.created_at))
        .where(event.c.order_id == order.c.id, event.c.outcome == "fulfilment_delivered")
        .scalar_subquery()
    )
    op.execute(order.update().where(order.c.fulfilment != "ordered").values(delivered_at=delivered))


def downgrade():
    op.drop_table("return_request")
    with op.batch_alter_table("product") as batch:
        batch.drop_column("withdrawal_note")
    with op.batch_alter_table("order") as batch:
        batch.drop_column("returned_at")
        batch.drop_column("delivered_at")
