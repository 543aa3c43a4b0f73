"""``hansa inventory move list|show|done|cancel|counter|import``: the movement
history, drafts and corrections, and moves from a CSV file."""

from __future__ import annotations

from datetime import datetime

import typer

from hansa import inventory
from hansa.cli.context import MAX_ID, FormatOption, state
from hansa.cli.inventory_import import import_moves
from hansa.cli.inventory_stock import move_row
from hansa.cli.render import OutputFormat, render_object, render_rows, say

move_app = typer.Typer(
    help="Stock moves: list, show, complete, cancel, counter, import.", no_args_is_help=True
)


@move_app.command("list")
def move_list(
    ctx: typer.Context,
    sku: str | None = typer.Option(None, "--sku", help="Moves of one product."),
    state_: str | None = typer.Option(None, "--state", help="draft, done or cancelled."),
    limit: int = typer.Option(100, "--limit", min=1, max=100000),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Stock moves, newest first: the movement history of a product with --sku."""
    st = state(ctx)
    moves = inventory.list_moves(
        st.runtime.uow(readonly=True), st.actor(), st.company, sku=sku, state=state_, limit=limit
    )
    render_rows([move_row(m) for m in moves], st.output(fmt), title="Stock moves")


MOVE_ID = typer.Argument(..., min=1, max=MAX_ID, help="Move id.")


@move_app.command("show")
def move_show(
    ctx: typer.Context, move_id: int = MOVE_ID, fmt: OutputFormat | None = FormatOption
) -> None:
    """One stock move."""
    st = state(ctx)
    move = inventory.get_move(st.runtime.uow(readonly=True), st.actor(), st.company, move_id)
    render_object(move_row(move), st.output(fmt))


@move_app.command("done")
def move_done(
    ctx: typer.Context,
    move_id: int = MOVE_ID,
    override_reason: str | None = typer.Option(None, "--override-reason"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Complete a draft move (what it reserved leaves stock)."""
    st = state(ctx)
    move = inventory.complete_move(
        st.runtime.uow(), st.actor(), st.company, move_id, reason=override_reason
    )
    render_object(move_row(move), st.output(fmt))


@move_app.command("cancel")
def move_cancel(ctx: typer.Context, move_id: int = MOVE_ID) -> None:
    """Cancel a draft move and release its reservation."""
    st = state(ctx)
    inventory.cancel_move(st.runtime.uow(), st.actor(), st.company, move_id)
    say(f"Stock move {move_id} is cancelled.", st.fmt)


@move_app.command("counter")
def move_counter(
    ctx: typer.Context,
    move_id: int = MOVE_ID,
    reason: str = typer.Option(..., "--reason", help="Why the move is corrected."),
    day: datetime | None = typer.Option(
        None, "--date", formats=["%Y-%m-%d"], help="Date of the counter-move (default today)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Correct a done move with the same move backwards, at its value."""
    st = state(ctx)
    move = inventory.counter_move(
        st.runtime.uow(),
        st.actor(),
        st.company,
        move_id,
        reason=reason,
        day=day.date() if day else None,
    )
    render_object(move_row(move), st.output(fmt))


def register(inventory_app: typer.Typer) -> None:
    """Add ``hansa inventory move``."""
    move_app.command("import")(import_moves)
    inventory_app.add_typer(move_app, name="move")
