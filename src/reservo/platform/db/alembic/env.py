"""Alembic environment shared by the platform history and every service's; the caller (db/migrate.py)
passes connection, metadata, version table and the tables the history never touches."""

from alembic import context

from reservo.platform.db.migrate import autogenerate_filters

config = context.config
context.configure(
    connection=config.attributes["connection"],
    target_metadata=config.attributes["metadata"],
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    user_module_prefix="reservo.platform.db.base.",
    version_table=config.attributes["version_table"],
    **autogenerate_filters(config.attributes["metadata"], skip_tables=config.attributes["skip_tables"]),
)
with context.begin_transaction():
    context.run_migrations()
