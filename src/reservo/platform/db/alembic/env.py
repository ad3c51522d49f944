"""Alembic environment shared by every service; the caller passes connection and metadata."""

from alembic import context

from reservo.platform.db.migrate import autogenerate_filters

config = context.config
context.configure(
    connection=config.attributes["connection"],
    target_metadata=config.attributes["metadata"],
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    user_module_prefix="reservo.platform.db.base.",
    **autogenerate_filters(config.attributes["metadata"]),
)
with context.begin_transaction():
    context.run_migrations()
