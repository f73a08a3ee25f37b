"""versions of what people edit: a campaign's goals, placements (statuses, dates) and results, and each scenario

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 01:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CAMPAIGN = ("goals_version", "placements_version", "results_version")


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        for name in CAMPAIGN:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("campaign_scenario", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("campaign_scenario", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        for name in reversed(CAMPAIGN):
            batch_op.drop_column(name)
