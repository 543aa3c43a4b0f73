"""``hansa inventory abc``, ``hansa inventory count-sheet ...``, ``hansa inventory
reorder`` and ``hansa inventory purchase-unit``: cycle counting and replenishment."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from hansa import inventory
from hansa.cli.context import MAX_ID, FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import to_decimal

DATE = ["%Y-%m-%d"]
sheet_app = typer.Typer(
    help="Count sheets: what to count, the counts, and posting the variances.",
    no_args_is_help=True,
)
SHEET_ID = typer.Argument(..., min=1, max=MAX_ID, help="Count sheet number.")


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def abc(
    ctx: typer.Context,
    start: datetime | None = typer.Option(
        None, "--from", formats=DATE, help="First day of the period (default: 12 months back)."
    ),
    end: datetime | None = typer.Option(
        None, "--to", formats=DATE, help="Last day of the period (default: today)."
    ),
    thresholds: str = typer.Option(
        "80,15,5", "--thresholds", help="Cumulative shares of value of A, B and C in percent."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the classes, store nothing."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Classify products A, B or C by consumption value and store the classes.

    Consumption value: what left stock for customers, production or scrap in the
    period, net of returns, at its stock value."""
    st = state(ctx)
    done = inventory.classify_products(
        st.runtime.uow(readonly=dry_run),
        st.actor(),
        st.company,
        start=_day(start),
        end=_day(end),
        thresholds=inventory.parse_thresholds(thresholds),
        dry_run=dry_run,
    )
    out = st.output(fmt)
    rows = [
        {
            "sku": ln.sku,
            "name": ln.name,
            "consumption_value": ln.consumption_value,
            "cumulative_percent": ln.cumulative_percent,
            "class": ln.abc_class.value,
            "previous": ln.previous.value if ln.previous else None,
        }
        for ln in done.lines
    ]
    render_rows(
        rows,
        out,
        ["sku", "name", "consumption_value", "cumulative_percent", "class", "previous"],
        title=f"ABC classes {done.start} to {done.end} ({done.thresholds})",
    )
    counts = ", ".join(f"{k.value} {done.count(k)}" for k in inventory.AbcClass)
    verb = "stored" if done.stored else "not stored (dry run)"
    say(f"Classes {verb}: {counts}; consumption value {done.total}.", out)


def classes(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """The ABC class stored on each product, its purchase unit and last count."""
    st = state(ctx)
    found = inventory.list_classes(st.runtime.uow(readonly=True), st.actor(), st.company)
    rows = [{**c.__dict__, "abc_class": c.abc_class.value if c.abc_class else None} for c in found]
    render_rows(rows, st.output(fmt), title="ABC classes")


def sheet_row(line: inventory.CountLine) -> dict[str, Any]:
    return {
        "line": line.number,
        "sku": line.sku,
        "name": line.name,
        "class": line.abc_class,
        "location": line.location,
        "lot": line.lot,
        "expected": line.expected,
        "counted": line.counted,
        "variance": line.variance,
        "move": line.move_id,
    }


def sheet_summary(sheet: inventory.CountSheet) -> dict[str, Any]:
    return {
        "id": sheet.id,
        "date": sheet.count_date,
        "warehouse": sheet.warehouse or "all",
        "state": sheet.state.value,
        "lines": len(sheet.lines),
        "counted": sheet.counted_lines,
        "created_by": sheet.created_by,
        "posted_by": sheet.posted_by,
    }


def _show(sheet: inventory.CountSheet, out: OutputFormat) -> None:
    rows = [sheet_row(line) for line in sheet.lines]
    if out in (OutputFormat.json, OutputFormat.yaml):
        render_object({**sheet_summary(sheet), "lines": rows}, out)
        return
    s = sheet_summary(sheet)
    title = f"Count sheet {s['id']} ({s['state']}, {s['warehouse']}, {s['date']})"
    render_rows(rows, out, title=title)  # csv: fill in 'counted', read back with --file


@sheet_app.command("create")
def create(
    ctx: typer.Context,
    warehouse: str | None = typer.Option(None, "--warehouse", help="Only this warehouse."),
    day: datetime | None = typer.Option(
        None, "--date", formats=DATE, help="Count date (default today)."
    ),
    every: str = typer.Option(
        "A=1,B=3,C=12", "--every", help="Months between counts of each class."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Make a sheet of the products due for counting, with the expected on hand.

    One line per product, location and lot; a product never counted is due, one
    without an ABC class counts as C."""
    st = state(ctx)
    sheet = inventory.create_count_sheet(
        st.runtime.uow(),
        st.actor(),
        st.company,
        warehouse=warehouse,
        day=_day(day),
        frequency=inventory.parse_frequency(every),
    )
    _show(sheet, st.output(fmt))


@sheet_app.command("list")
def list_(
    ctx: typer.Context,
    status: str | None = typer.Option(None, "--state", help="open, posted or cancelled."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Count sheets, newest first, with how many lines are counted."""
    st = state(ctx)
    sheets = inventory.list_count_sheets(
        st.runtime.uow(readonly=True), st.actor(), st.company, state=status
    )
    render_rows([sheet_summary(s) for s in sheets], st.output(fmt), title="Count sheets")


@sheet_app.command("show")
def show(
    ctx: typer.Context, sheet_id: int = SHEET_ID, fmt: OutputFormat | None = FormatOption
) -> None:
    """One count sheet with its lines (csv: a file to fill in and read back)."""
    st = state(ctx)
    sheet = inventory.get_count_sheet(
        st.runtime.uow(readonly=True), st.actor(), st.company, sheet_id
    )
    _show(sheet, st.output(fmt))


def read_counts(path: Path) -> list[tuple[int, Any]]:
    """(line, counted) from a CSV file with the columns ``line`` and ``counted`` (other
    columns, like those of ``count-sheet show -f csv``, are ignored; so are rows
    without a count)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", code="cli.bad_file") from None
    if rows and not {"line", "counted"} <= set(rows[0]):
        raise InvalidInput(
            f"{path} needs the columns 'line' and 'counted'", code="cli.bad_counts_file"
        )
    try:
        return [
            (int(r["line"]), to_decimal(r["counted"]))
            for r in rows
            if (r.get("counted") or "").strip()
        ]
    except (ValueError, InvalidInput):
        raise InvalidInput(
            f"{path}: 'line' must be a number and 'counted' a quantity", code="cli.bad_counts_file"
        ) from None


@sheet_app.command("enter")
def enter(
    ctx: typer.Context,
    sheet_id: int = SHEET_ID,
    line: int | None = typer.Option(None, "--line", min=1, help="Line number."),
    counted: str | None = typer.Option(None, "--counted", help="Quantity counted on the line."),
    file: Path | None = typer.Option(
        None, "--file", help="CSV with the columns line and counted (many lines at once)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Enter counts: one line with --line and --counted, or many from --file."""
    st = state(ctx)
    if file is not None:
        counts = read_counts(file)
    elif line is not None and counted is not None:
        counts = [(line, to_decimal(counted))]
    else:
        raise InvalidInput(
            "give --line N --counted Q, or --file counts.csv", code="cli.counts_required"
        )
    sheet = inventory.enter_counts(st.runtime.uow(), st.actor(), st.company, sheet_id, counts)
    say(
        f"Count sheet {sheet.id}: {sheet.counted_lines} of {len(sheet.lines)} lines counted.",
        st.output(fmt),
    )


@sheet_app.command("post")
def post(
    ctx: typer.Context, sheet_id: int = SHEET_ID, fmt: OutputFormat | None = FormatOption
) -> None:
    """Post a counted sheet: each variance becomes a valued adjustment move.

    The moves post to the ledger; the sheet is then immutable."""
    st = state(ctx)
    sheet = inventory.post_count_sheet(st.runtime.uow(), st.actor(), st.company, sheet_id)
    _show(sheet, st.output(fmt))


@sheet_app.command("cancel")
def cancel(ctx: typer.Context, sheet_id: int = SHEET_ID) -> None:
    """Drop an open sheet; nothing moves and its products are due again."""
    st = state(ctx)
    inventory.cancel_count_sheet(st.runtime.uow(), st.actor(), st.company, sheet_id)
    say(f"Count sheet {sheet_id} is cancelled.", st.fmt)


def reorder(
    ctx: typer.Context,
    warehouse: str | None = typer.Option(
        None, "--warehouse", help="Only this warehouse's stock (default: all together)."
    ),
    category: str | None = typer.Option(None, "--category", help="Only this category."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Propose what to order for products under their reorder minimum.

    Projected stock is on hand - reserved + draft receipts due within the lead time;
    under the minimum, the proposal reaches the maximum in whole purchase units."""
    st = state(ctx)
    lines = inventory.reorder(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        category=category,
        warehouse=warehouse,
    )
    rows = [{**line.__dict__, "packs": line.packs} for line in lines]
    render_rows(rows, st.output(fmt), title="Reorder proposal")


def purchase_unit(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    unit: str | None = typer.Argument(None, help="One of the product's units (box)."),
    clear: bool = typer.Option(False, "--clear", help="Order in base units again."),
) -> None:
    """Order a product in whole units of one of its units (boxes of 12)."""
    st = state(ctx)
    if (unit is None) != clear:
        raise InvalidInput("give a unit, or --clear", code="cli.unit_required")
    item = inventory.set_purchase_unit(st.runtime.uow(), st.actor(), st.company, sku, unit)
    if unit is None:
        say(f"{sku} is ordered in base units ({item.unit}).", st.fmt)
    else:
        say(f"{sku} is ordered by the {unit}: 1 {unit} = {item.factor(unit)} base units.", st.fmt)


def register(inventory_app: typer.Typer) -> None:
    """Add the counting and replenishment commands to ``hansa inventory``."""
    inventory_app.add_typer(sheet_app, name="count-sheet")
    inventory_app.command("abc")(abc)
    inventory_app.command("classes")(classes)
    inventory_app.command("reorder")(reorder)
    inventory_app.command("purchase-unit")(purchase_unit)
