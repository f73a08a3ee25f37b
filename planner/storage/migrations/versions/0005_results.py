"""campaign goals, placement results and the sales series: campaign.primary_goal / margin_pct / uplift_pct /
roi_definition / window_start / window_end / brand_lift_pp / sales_unit, campaign_goal, sales_day, and the
fields of placement_result (one row per placement)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("primary_goal", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True))
        batch_op.add_column(sa.Column("margin_pct", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("uplift_pct", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("roi_definition", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default="romi"))
        batch_op.add_column(sa.Column("window_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("window_end", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("brand_lift_pp", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("sales_unit", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))

    with op.batch_alter_table("placement_result", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_at", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
        batch_op.add_column(sa.Column("saves", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("new_followers", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("positive_mentions", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("negative_mentions", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("cash_cost", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("product_cost", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.create_unique_constraint("uq_placement_result_placement", ["placement_id"])

    op.create_table(
        "campaign_goal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "kind", name="uq_campaign_goal_kind"),
    )
    with op.batch_alter_table("campaign_goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaign_goal_campaign_id"), ["campaign_id"], unique=False)

    op.create_table(
        "sales_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default=""),
        sa.Column("control", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("sales", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "region", "day", name="uq_sales_day"),
    )
    with op.batch_alter_table("sales_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_day_campaign_id"), ["campaign_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sales_day", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_day_campaign_id"))
    op.drop_table("sales_day")
    with op.batch_alter_table("campaign_goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_goal_campaign_id"))
    op.drop_table("campaign_goal")

    with op.batch_alter_table("placement_result", schema=None) as batch_op:
        batch_op.drop_constraint("uq_placement_result_placement", type_="unique")
        for name in ("source", "product_cost", "cash_cost", "negative_mentions", "positive_mentions",
                     "new_followers", "saves", "link", "published_at"):
            batch_op.drop_column(name)

    with op.batch_alter_table("campaign", schema=None) as batch_op:
        for name in ("sales_unit", "brand_lift_pp", "window_end", "window_start", "roi_definition", "uplift_pct",
                     "margin_pct", "primary_goal"):
            batch_op.drop_column(name)
