"""``hansa events``: the transactional outbox."""

from __future__ import annotations

import typer

from hansa import events
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows

app = typer.Typer(
    help="Domain events waiting in, or delivered from, the outbox.", no_args_is_help=True
)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", "-n"),
    status: str | None = typer.Option(None, "--status", help="pending, delivered or dead."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List outbox events, newest first."""
    st = state(ctx)
    rows = events.list_events(st.runtime.uow(readonly=True), st.actor(), limit=limit, status=status)
    render_rows(
        [
            {
                "seq": r.seq,
                "id": r.event.id,
                "topic": r.event.topic,
                "occurred_at": r.event.occurred_at,
                "status": r.status,
                "attempts": r.attempts,
                "last_error": r.last_error,
            }
            for r in rows
        ],
        st.output(fmt),
        title="Outbox",
    )


@app.command("dispatch")
def dispatch(
    ctx: typer.Context,
    limit: int = typer.Option(100, "--limit", "-n"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Deliver due events to their subscribers now."""
    st = state(ctx)
    report = events.dispatch_pending(st.runtime.uow(), st.actor(), limit)
    render_object(report.__dict__, st.output(fmt))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="events")
