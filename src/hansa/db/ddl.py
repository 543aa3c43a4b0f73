"""DDL that migrations share: triggers that make a table (or some rows) immutable."""

from __future__ import annotations

from typing import Any


def immutable_trigger_names(table: str, dialect: str) -> set[str]:
    """The triggers :func:`create_immutable_trigger` makes on *table*."""
    name = f"{table}_immutable"
    if dialect == "sqlite":
        return {f"{name}_update", f"{name}_delete"}
    return {name, f"{name}_truncate"}


def create_immutable_trigger(table: str, message: str, when: str | None = None) -> None:
    """Refuse UPDATE and DELETE on *table* in the database itself.

    *when* is an optional SQL condition on ``OLD`` (``OLD.state = 'posted'``) that limits
    the protection to some rows. The error text names *message* on both engines.
    """
    op = _op()
    dialect = op.get_bind().dialect.name
    name = f"{table}_immutable"
    if dialect == "sqlite":
        condition = f" WHEN {when}" if when else ""
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {name}_{verb.lower()} BEFORE {verb} ON {table}{condition} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        return
    guard = f"IF {when} THEN " if when else ""
    end_guard = " END IF;" if when else ""
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{guard}RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';{end_guard} "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()"
    )
    # TRUNCATE fires no row trigger: refuse it with a statement trigger of its own.
    op.execute(
        f"CREATE FUNCTION {name}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_truncate()"
    )


def drop_immutable_trigger(table: str) -> None:
    op = _op()
    dialect = op.get_bind().dialect.name
    name = f"{table}_immutable"
    if dialect == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {name}_update")
        op.execute(f"DROP TRIGGER IF EXISTS {name}_delete")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}_truncate()")
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _op() -> Any:
    from alembic import op  # only migrations run DDL; importing Alembic is slow

    return op
