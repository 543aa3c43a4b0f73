"""Reading the schema as the database holds it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def schema_differences(conn: sa.Connection, metadata: sa.MetaData) -> list[Any]:
    """What Alembic would change to make the database match the models."""
    from alembic.autogenerate import compare_metadata  # slow to import; only checks need it
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))
