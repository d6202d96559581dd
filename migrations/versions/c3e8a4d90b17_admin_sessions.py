"""The operator's sessions, kept on the server so that a logout ends every copy

Revision ID: c3e8a4d90b17
Revises: b7d20c0f1a22
Create Date: 2026-12-07 02:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c3e8a4d90b17"
down_revision = "b7d20c0f1a22"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "admin_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("password_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_session")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_admin_session_token_digest")),
    )


def downgrade():
    op.drop_table("admin_session")
