"""users, their roles in workspaces (membership) and the audit trail; workspace names unique; the default workspace
is called "Local" and the local user (the app without sign-in) owns every workspace there is

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 09:00:00
"""
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LOCAL_USER = {"id": 1, "email": "local@localhost", "name": "Local user"}


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email", name="uq_app_user_email"),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "workspace_id", name="uq_membership_user_workspace"),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_workspace_id"), ["workspace_id"], unique=False)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("object", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_workspace_id"), ["workspace_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_campaign_id"), ["campaign_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
    # a unique index, not a constraint: SQLite adds it without rebuilding the table (which other tables reference)
    op.create_index("uq_workspace_name", "workspace", ["name"], unique=True)
    op.execute(sa.text("UPDATE workspace SET name = 'Local' WHERE id = 1 AND name = 'Default'"))
    # the local user owns every workspace there is: the app and the command line behave as before (one user)
    bind = op.get_bind()
    user = sa.table("app_user", sa.column("id", sa.Integer()), sa.column("email", sa.String()),
                    sa.column("name", sa.String()), sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()))
    op.execute(user.insert().values(**LOCAL_USER, created_at=datetime.now(UTC)))
    op.execute(sa.text("INSERT INTO membership (user_id, workspace_id, role, created_at) "
                       f"SELECT {LOCAL_USER['id']}, id, 'owner', created_at FROM workspace"))
    if bind.dialect.name == "postgresql":  # an id given by hand does not move the sequence: the next user gets 2
        op.execute(sa.text("SELECT setval(pg_get_serial_sequence('app_user', 'id'), "
                           "(SELECT MAX(id) FROM app_user))"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE workspace SET name = 'Default' WHERE id = 1 AND name = 'Local'"))
    op.drop_index("uq_workspace_name", table_name="workspace")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_workspace_id"))
    op.drop_table("audit_event")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_membership_user_id"))
    op.drop_table("membership")
    op.drop_table("app_user")
