"""Storage: SQLModel tables, the engine (SQLite by default, PostgreSQL through DATABASE_URL), Alembic
migrations and the bulk upsert of bloggers. Stands on planner.core only."""
