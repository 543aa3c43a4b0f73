"""``hansa inventory move import FILE.csv``: many stock moves from a CSV file, all or
nothing (see docs/inventory.md, "Batch moves")."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from hansa import inventory
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, err_console, render_object, render_rows
from hansa.kernel.errors import HansaError, InvalidInput
from hansa.kernel.money import to_decimal

COLUMNS = ("sku", "quantity", "from", "to", "lot", "unit_cost", "kind")
OPTIONAL = ("date", "reference", "reason")
KINDS = {kind.value for kind in inventory.MoveKind}


def _request(row: dict[str, str]) -> inventory.MoveRequest:
    """One CSV row as a move request; a bad value raises InvalidInput."""

    def text(name: str) -> str | None:
        return (row.get(name) or "").strip() or None

    sku, kind = text("sku"), (text("kind") or "").lower()
    cost, day = text("unit_cost"), text("date")
    if not sku:
        raise InvalidInput("sku is empty")
    if kind not in KINDS:
        raise InvalidInput(f"kind {row.get('kind')!r} is not one of {', '.join(sorted(KINDS))}")
    try:
        when = date.fromisoformat(day) if day else None
    except ValueError:
        raise InvalidInput(f"date {day!r} is not YYYY-MM-DD") from None
    return inventory.MoveRequest(
        kind,
        sku,
        to_decimal(row.get("quantity") or ""),
        source=text("from"),
        destination=text("to"),
        lot=text("lot"),
        unit_cost=to_decimal(cost) if cost else None,
        date=when,
        reference=text("reference"),
        reason=text("reason"),
    )


def read_moves(file: Path) -> tuple[list[inventory.MoveRequest], list[dict[str, Any]]]:
    """The requests of *file*, and every bad row (its line and why)."""
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("sku", "quantity", "kind") if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    f"{file} has no column {', '.join(missing)}: the header is "
                    f"{','.join(COLUMNS)} (and optionally {','.join(OPTIONAL)})",
                    code="inventory.bad_import_file",
                )
            requests, bad = [], []
            for row in reader:
                try:
                    requests.append(_request(row))
                except HansaError as exc:
                    bad.append({"line": reader.line_num, "reason": exc.message})
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"cannot read {file}: {exc}", code="inventory.bad_import_file") from None
    return requests, bad


def import_moves(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file."),
    chunk: int = typer.Option(
        500, "--chunk", min=1, max=100_000, help="Moves per ledger entry and audit record."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Make the moves of a CSV file done (header: sku,quantity,from,to,lot,unit_cost,kind;
    optional date,reference,reason), in one transaction: all or nothing. Every bad row
    is listed; a move the stock rules refuse is named by its place in the file. Each
    chunk of moves posts one ledger entry per day and one audit record."""
    st = state(ctx)
    out = st.output(fmt)
    requests, bad = read_moves(file)
    if bad:
        render_rows(bad, out, ["line", "reason"], "Rejected rows")
        raise InvalidInput(
            f"{len(bad)} bad row{'' if len(bad) == 1 else 's'} in {file.name}: nothing was moved",
            code="inventory.bad_import_file",
        )
    if not requests:
        raise InvalidInput(f"{file.name} has no moves", code="inventory.bad_import_file")

    def run(progress: Callable[[int], None] | None) -> list[inventory.Move]:
        try:
            return inventory.move_stock_many(
                st.runtime.uow(), st.actor(), st.company, requests, chunk=chunk, progress=progress
            )
        except HansaError as exc:  # "move 3 (SKU): ..." is on line 4 of the file
            if isinstance(index := exc.details.get("index"), int):
                exc.message = f"{file.name} line {index + 1}: {exc.message}"
                exc.args = (exc.message,)
            raise

    if sys.stdout.isatty() and sys.stderr.isatty():
        columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeRemainingColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task("Moving stock", total=len(requests))
            moves = run(lambda done: bar.update(task, completed=done))
    else:
        moves = run(None)
    entries = {m.entry_id for m in moves if m.entry_id is not None}
    render_object(
        {
            "file": file.name,
            "moves": len(moves),
            "first_id": moves[0].id,
            "last_id": moves[-1].id,
            "ledger_entries": len(entries),
        },
        out,
    )
