"""Storage: SQLModel tables, the engine (SQLite by default, PostgreSQL through DATABASE_URL), Alembic
migrations, the bulk upsert of bloggers, and every other read and write (campaigns, goals, results, scenarios,
lists): the only package that opens a database session. Stands on planner.core only."""
