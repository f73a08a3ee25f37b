"""stored_list and stored_brief: the uploaded lists briefs plan on, and briefs stored by fingerprint for links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 22:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stored_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "digest", name="uq_stored_list_digest"),
    )
    with op.batch_alter_table("stored_list", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_list_workspace_id"), ["workspace_id"], unique=False)
    op.create_table(
        "stored_brief",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("brief", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "fingerprint", name="uq_stored_brief_fingerprint"),
    )
    with op.batch_alter_table("stored_brief", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_brief_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stored_brief", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_brief_workspace_id"))
    op.drop_table("stored_brief")
    with op.batch_alter_table("stored_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_list_workspace_id"))
    op.drop_table("stored_list")
