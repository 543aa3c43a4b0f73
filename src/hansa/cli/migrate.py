"""``hansa migrate`` and ``hansa setup``: the database schema."""

from __future__ import annotations

import typer

from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, render_object
from hansa.db import migrate
from hansa.db.engine import probe
from hansa.schema import metadata

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
    st.runtime.initialise()
    _status(ctx, fmt)


@app.command("test")
def check_connection(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Check the database connection: backend, server version, round-trip time."""
    st = state(ctx)
    result = probe(st.runtime.engine)
    render_object({**result.__dict__, "tables_expected": len(metadata.tables)}, st.output(fmt))


def setup(
    ctx: typer.Context,
    init_db: bool = typer.Option(False, "--init-db", help="Create secrets and the schema."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Prepare this installation (with --init-db: secrets and schema, no users)."""
    st = state(ctx)
    if not init_db:
        raise typer.BadParameter("nothing to do: pass --init-db", param_hint="--init-db")
    st.runtime.initialise()
    _status(ctx, fmt)
