"""Reading the schema as the database holds it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext


def schema_differences(conn: sa.Connection, metadata: sa.MetaData) -> list[Any]:
    """What Alembic would change to make the database match the models."""
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))
