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


def triggers_of(conn: sa.Connection, table: str) -> dict[str, bool]:
    """The user triggers on *table* and whether each is enabled."""
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table},
        )
        return {str(r[0]): True for r in rows}
    rows = conn.execute(
        sa.text(
            "SELECT tgname, tgenabled <> 'D' FROM pg_trigger "
            "WHERE tgrelid = to_regclass(:t) AND NOT tgisinternal"
        ),
        {"t": table},
    )
    return {str(r[0]): bool(r[1]) for r in rows}
