"""campaign_scenario: named what-if scenarios of a campaign (brief, assumptions, sweep) with the plan they gave

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        sa.Column("placements", sa.JSON(), nullable=False),
        sa.Column("curve", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "name", name="uq_campaign_scenario_name"),
    )
    with op.batch_alter_table("campaign_scenario", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_scenario_campaign_id"), ["campaign_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("campaign_scenario", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_scenario_campaign_id"))
    op.drop_table("campaign_scenario")
