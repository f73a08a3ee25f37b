"""pitch files built ahead, shared by every app replica: one row per file by the digest of what it depends on, claimed
by one replica at a time for building (a lease on the database's clock), its bytes once built

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pitch_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("builder", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("lease_until", sa.Float(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("built_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "key", name="uq_pitch_file_key"),
    )
    with op.batch_alter_table("pitch_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pitch_file_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pitch_file_campaign_id"), ["campaign_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pitch_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pitch_file_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_pitch_file_workspace_id"))
    op.drop_table("pitch_file")
