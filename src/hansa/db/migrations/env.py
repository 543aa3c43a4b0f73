"""Alembic environment: runs on the connection Hansa hands it (see hansa.db.migrate)."""

from __future__ import annotations

import importlib

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through 'hansa migrate', which supplies the connection")

# The full metadata is only needed to autogenerate a new revision during development.
target_metadata = importlib.import_module("hansa.schema").metadata

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
