"""``hansa status``, ``hansa check``, ``hansa serve`` and the sub-apps for settings and
the schema."""

from __future__ import annotations

from typing import Any

import typer

from hansa import __version__, system
from hansa.cli import config, credentials, migrate
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, err_console, render_object, render_rows
from hansa.db import migrate as schema
from hansa.kernel.errors import HansaError
from hansa.settings import config_path

server_app = typer.Typer(help="The REST API server.", no_args_is_help=True)


def status(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Where the data lives, the schema state and who is logged in."""
    st = state(ctx)
    rt = st.runtime
    info: dict[str, Any] = {
        "version": __version__,
        "data_directory": str(rt.settings.home),
        "config_file": str(config_path()),
        "database": rt.engine.url.render_as_string(hide_password=True),
        "backend": rt.engine.dialect.name,
    }
    try:
        result = schema.status(rt.engine)
        info.update(
            schema_revision=result.current,
            schema_head=result.head,
            schema_up_to_date=result.is_current,
        )
    except HansaError as exc:
        info.update(schema_revision=None, database_problem=f"[{exc.code}] {exc.message}")
    cached = credentials.load(rt.settings.home, rt.database_url)
    info["logged_in_as"] = cached.get("username") if cached else None
    render_object(info, st.output(fmt))


def check(
    ctx: typer.Context,
    only: list[str] | None = typer.Option(None, "--only", help="Run only this check."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Run every integrity check; exit 1 if any finds a problem."""
    st = state(ctx)
    outcomes = system.run_checks(st.runtime.uow(readonly=True), st.actor(), only)
    rows = [
        {
            "check": o.name,
            "ok": o.ok,
            "problems": len(o.problems),
            "detail": o.error or "; ".join(p.message for p in o.problems[:3]) or o.description,
        }
        for o in outcomes
    ]
    render_rows(rows, st.output(fmt), ["check", "ok", "problems", "detail"], title="Checks")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        err_console.print(f"[red]{len(failed)} check(s) found problems[/red]")
        raise typer.Exit(1)


def serve(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", "-p", min=1, max=65535),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64),
) -> None:
    """Run the REST API (docs at /api/docs)."""
    from hansa.api.server import run_server

    st = state(ctx)
    st.runtime.ensure_schema()
    run_server(st.runtime.settings, host=host, port=port, workers=workers)


@server_app.command("start")
def server_start(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host"),
    port: int | None = typer.Option(None, "--port", "-p", min=1, max=65535),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64),
) -> None:
    """Same as 'hansa serve'."""
    serve(ctx, host=host, port=port, workers=workers)


def register(app: typer.Typer) -> None:
    app.command("status")(status)
    app.command("check")(check)
    app.command("serve")(serve)
    app.command("setup")(migrate.setup)
    app.add_typer(server_app, name="server")
    app.add_typer(config.app, name="config")
    app.add_typer(migrate.app, name="migrate")
