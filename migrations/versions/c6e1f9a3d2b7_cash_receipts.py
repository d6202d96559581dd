"""현금영수증: what the buyer asked for on the 주문서, whether PortOne reports a receipt in
force for a payment, and each cash payment's receipt as the shop asked PortOne for it

Revision ID: c6e1f9a3d2b7
Revises: a3c7e2f8b5d1
Create Date: 2026-12-07 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c6e1f9a3d2b7"
down_revision = "a3c7e2f8b5d1"
branch_labels = None
depends_on = None

PURPOSE = sa.Enum(
    "income_deduction",
    "expense_proof",
    "none",
    name="receiptpurpose",
    native_enum=False,
    length=20,
)


def upgrade():
    # Payments fetched before this are taken as without a receipt until fetched again.
    with op.batch_alter_table("payment") as batch:
        batch.add_column(
            sa.Column(
                "cash_receipt_issued", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("order") as batch:
        batch.add_column(sa.Column("cash_receipt_purpose", PURPOSE, nullable=True))
        batch.add_column(sa.Column("cash_receipt_number", sa.String(length=20), nullable=True))
    op.create_table(
        "cash_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("imp_uid", sa.String(length=40), nullable=False),
        sa.Column("purpose", PURPOSE, nullable=False),
        sa.Column("identifier", sa.String(length=20), nullable=False),
        sa.Column("in_force", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("apply_num", sa.String(length=30), nullable=True),
        sa.Column("receipt_url", sa.String(length=500), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_cash_receipt_order_id_order")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_receipt")),
        sa.UniqueConstraint("imp_uid", name=op.f("uq_cash_receipt_imp_uid")),
    )
    op.create_index(op.f("ix_cash_receipt_order_id"), "cash_receipt", ["order_id"])


def downgrade():
    op.drop_index(op.f("ix_cash_receipt_order_id"), table_name="cash_receipt")
    op.drop_table("cash_receipt")
    with op.batch_alter_table("order") as batch:
        batch.drop_column("cash_receipt_number")
        batch.drop_column("cash_receipt_purpose")
    with op.batch_alter_table("payment") as batch:
        batch.drop_column("cash_receipt_issued")
