"""The 주문서's delivery fields (상세주소, 받는 분, 배송 메모), the card's 할부, and the
consents each order was placed under

Revision ID: d4f1b2c7e9a3
Revises: c3e8a4d90b17
Create Date: 2026-12-07 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "d4f1b2c7e9a3"
down_revision = "c3e8a4d90b17"
branch_labels = None
depends_on = None

ORDER_TEXTS = (
    ("address_detail", 100),
    ("recipient_name", 50),
    ("recipient_tel", 20),
    ("delivery_memo", 100),
)


def upgrade():
    with op.batch_alter_table("order") as order:
        for name, length in ORDER_TEXTS:
            order.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
    with op.batch_alter_table("payment") as payment:
        payment.add_column(
            sa.Column("card_quota", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=30), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"], name=op.f("fk_consent_order_id_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
        sa.UniqueConstraint("order_id", "item", name="one_consent_per_item"),
    )
    op.create_index(op.f("ix_consent_order_id"), "consent", ["order_id"])


def downgrade():
    op.drop_index(op.f("ix_consent_order_id"), table_name="consent")
    op.drop_table("consent")
    with op.batch_alter_table("payment") as payment:
        payment.drop_column("card_quota")
    with op.batch_alter_table("order") as order:
        for name, _ in reversed(ORDER_TEXTS):
            order.drop_column(name)
