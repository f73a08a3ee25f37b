"""placement.planned_date: when a placement is due, so a report knows what is still pending

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 01:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_column("planned_date")
