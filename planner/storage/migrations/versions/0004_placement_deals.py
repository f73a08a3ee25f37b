"""placement.product_units / acceptance / post_rate / expected_posts: barter and hybrid deals in a saved plan

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product_units", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("acceptance", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("post_rate", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("expected_posts", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_column("expected_posts")
        batch_op.drop_column("post_rate")
        batch_op.drop_column("acceptance")
        batch_op.drop_column("product_units")
