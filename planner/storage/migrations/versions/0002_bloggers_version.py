"""workspace.bloggers_version: a counter bumped on every write of bloggers (cheap cache key)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:55:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bloggers_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("bloggers_version")
