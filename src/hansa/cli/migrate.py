"""``hansa migrate`` and ``hansa setup``: the database schema."""

from __future__ import annotations

import time

import sqlalchemy as sa
import typer

from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, render_object
from hansa.db import migrate
from hansa.db.uow import translate
from hansa.schema import metadata
from hansa.secretfiles import ensure_secrets

app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)


def _status(ctx: typer.Context, fmt: OutputFormat | None) -> None:
    st = state(ctx)
    result = migrate.status(st.runtime.engine)
    render_object(
        {
            "current": result.current,
            "head": result.head,
            "pending": result.pending,
            "up_to_date": result.is_current,
        },
        st.output(fmt),
    )


@app.command("status")
def status(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Show the schema revision and the migrations not yet applied."""
    _status(ctx, fmt)


@app.command("up")
def up(
    ctx: typer.Context,
    steps: int | None = typer.Option(None, "--steps", help="Apply only this many."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Apply pending migrations (all, or --steps N)."""
    migrate.upgrade(state(ctx).runtime.engine, steps)
    _status(ctx, fmt)


@app.command("down")
def down(
    ctx: typer.Context,
    steps: int = typer.Option(1, "--steps", help="How many migrations to undo."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Undo migrations. Destructive: data in dropped tables is lost."""
    st = state(ctx)
    st.confirm(f"Undo {steps} migration(s)? Data in dropped tables is lost.")
    migrate.downgrade(st.runtime.engine, steps)
    _status(ctx, fmt)


@app.command("init")
def init(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Drop every Hansa table first."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Create the schema on an empty database (--force: start again from nothing)."""
    st = state(ctx)
    engine = st.runtime.engine
    if force:
        st.confirm("Drop every Hansa table and all their data?")
        migrate.downgrade(engine, len(migrate.history()))
    ensure_secrets(st.settings)
    migrate.upgrade(engine)
    _status(ctx, fmt)


@app.command("test")
def check_connection(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Check the database connection: backend, server version, round-trip time."""
    st = state(ctx)
    engine = st.runtime.engine
    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            version = conn.dialect.server_version_info
    except sa.exc.DBAPIError as exc:
        raise translate(exc) from None
    render_object(
        {
            "database": engine.url.render_as_string(hide_password=True),
            "backend": engine.dialect.name,
            "server_version": ".".join(str(v) for v in version or ()),
            "round_trip_ms": round((time.perf_counter() - started) * 1000, 2),
            "tables_expected": len(metadata.tables),
        },
        st.output(fmt),
    )


def setup(
    ctx: typer.Context,
    init_db: bool = typer.Option(False, "--init-db", help="Create secrets and the schema."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Prepare this installation (with --init-db: secrets and schema, no users)."""
    st = state(ctx)
    if not init_db:
        raise typer.BadParameter("nothing to do: pass --init-db", param_hint="--init-db")
    ensure_secrets(st.settings)
    migrate.upgrade(st.runtime.engine)
    _status(ctx, fmt)
