"""placement.pool, placement.format and column_mapping.source_header without a length: a pool's label names every
country of its brief (129 characters for 40 countries, over VARCHAR(100)), a package's format every format
("post+story+short+video", over VARCHAR(20)) and a remembered header is a cell (over VARCHAR(300)). SQLite never
checked the lengths; PostgreSQL refused the save.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 05:00:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# (table, column, the old length, nullable)
COLUMNS = (("placement", "pool", 100, True), ("placement", "format", 20, False),
           ("column_mapping", "source_header", 300, False))


def upgrade() -> None:
    for table, column, length, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sqlmodel.sql.sqltypes.AutoString(length=length),
                                  type_=sqlmodel.sql.sqltypes.AutoString(), existing_nullable=nullable)


def downgrade() -> None:  # values longer than the old lengths are cut to fit
    for table, column, length, nullable in reversed(COLUMNS):
        op.execute(sa.text(f"UPDATE {table} SET {column} = substr({column}, 1, {length}) "
                           f"WHERE length({column}) > {length}"))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sqlmodel.sql.sqltypes.AutoString(),
                                  type_=sqlmodel.sql.sqltypes.AutoString(length=length), existing_nullable=nullable)
