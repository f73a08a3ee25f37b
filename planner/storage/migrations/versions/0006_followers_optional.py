"""blogger.followers may be blank: only identity (handle, platform) is required of a row

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blogger", schema=None) as batch_op:
        batch_op.alter_column("followers", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE blogger SET followers = 0 WHERE followers IS NULL")
    with op.batch_alter_table("blogger", schema=None) as batch_op:
        batch_op.alter_column("followers", existing_type=sa.Integer(), nullable=False)
