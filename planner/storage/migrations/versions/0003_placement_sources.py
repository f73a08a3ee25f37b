"""placement.price_source / reach_source: where a planned placement's price and reach come from

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 06:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("price_source", sa.String(length=10), nullable=False, server_default="quote"))
        batch_op.add_column(sa.Column("reach_source", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_column("reach_source")
        batch_op.drop_column("price_source")
