"""``hansa audit``: read and verify the hash-chained audit trail."""

from __future__ import annotations

from datetime import datetime

import typer

from hansa import audit
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, err_console, render_object, render_rows

app = typer.Typer(
    help="The audit trail: who changed what, and proof it is unaltered.", no_args_is_help=True
)

COLUMNS = ["id", "at", "actor", "action", "entity_type", "entity_id"]


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n", help="How many records, newest first."),
    user: str | None = typer.Option(None, "--user", help="Only this user's actions."),
    action: str | None = typer.Option(
        None, "--action", help="Only this action (a trailing * matches a prefix)."
    ),
    since: datetime | None = typer.Option(
        None, "--since", formats=["%Y-%m-%d"], help="From this day (YYYY-MM-DD, UTC)."
    ),
    until: datetime | None = typer.Option(
        None, "--until", formats=["%Y-%m-%d"], help="Up to and including this day."
    ),
    details: bool = typer.Option(False, "--details", help="Include before/after values."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List audit records, newest first."""
    st = state(ctx)
    records = audit.list_records(
        st.runtime.uow(readonly=True),
        st.actor(),
        limit=limit,
        user=user,
        action=action,
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    columns = [*COLUMNS, "request_id", "before", "after"] if details else COLUMNS
    render_rows([r.__dict__ for r in records], st.output(fmt), columns, title="Audit trail")


@app.command("verify")
def verify(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Recompute the hash chain; exit 1 and name the first altered record if broken."""
    st = state(ctx)
    result = audit.verify(st.runtime.uow(readonly=True), st.actor())
    broken = result.broken
    render_object(
        {
            "checked": result.checked,
            "ok": result.ok,
            "first_broken_record": broken.record_id if broken else None,
            "reason": broken.reason if broken else None,
        },
        st.output(fmt),
    )
    if broken:
        err_console.print(
            f"[red]audit chain broken[/red] at record {broken.record_id}: {broken.reason}",
            highlight=False,
        )
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="audit")
