"""``hansa inventory receive|issue|transfer|adjust|scrap|on-hand|valuation|expiring|
pick|revalue|lot`` and ``hansa reports inventory-status``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import typer

from hansa import inventory
from hansa.cli.context import FormatOption, state
from hansa.cli.inventory import number, product_row
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import to_decimal

DATE = ["%Y-%m-%d"]
lot_app = typer.Typer(help="Lots and serial numbers.", no_args_is_help=True)


def move_row(m: inventory.Move) -> dict[str, Any]:
    return {
        "id": m.id,
        "date": m.date,
        "kind": m.kind.value,
        "state": m.state.value,
        "sku": m.product,
        "quantity": m.quantity,
        "from": m.source,
        "to": m.destination,
        "lot": m.lot,
        "unit_cost": m.unit_cost,
        "value": m.value,
        "entry": m.entry_id,
        "reserved": m.reserved,
        "counter_of": m.counter_of,
        "reason": m.reason,
    }


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _run(
    ctx: typer.Context, request: inventory.MoveRequest, draft: bool, fmt: OutputFormat | None
) -> None:
    st = state(ctx)
    move = inventory.move_stock(st.runtime.uow(), st.actor(), st.company, request, done=not draft)
    render_object(move_row(move), st.output(fmt))


QUANTITY = typer.Argument(..., help="Quantity, in the base unit unless --unit.")
UNIT = typer.Option(None, "--unit", help="Count in this unit of the product (box).")
LOT = typer.Option(None, "--lot", help="Lot or serial number.")
WHEN = typer.Option(None, "--date", formats=DATE, help="Move date (default today).")
REFERENCE = typer.Option(None, "--reference", help="Document reference.")
DRAFT = typer.Option(False, "--draft", help="Only plan it (a draft out of stock reserves).")


def receive(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    quantity: str = QUANTITY,
    cost: str | None = typer.Option(None, "--cost", help="Unit cost (default: catalog cost)."),
    to: str | None = typer.Option(None, "--to", help="Stock location (default WH/STOCK)."),
    lot: str | None = LOT,
    expiry: datetime | None = typer.Option(
        None, "--expiry", formats=DATE, help="A new lot's expiry."
    ),
    partner: str | None = typer.Option(None, "--partner", help="Supplier (ledger partner)."),
    unit: str | None = UNIT,
    day: datetime | None = WHEN,
    reference: str | None = REFERENCE,
    draft: bool = DRAFT,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Receive stock from a supplier: valued at the cost, posted against GRNI."""
    request = inventory.MoveRequest(
        "receipt",
        sku,
        to_decimal(quantity),
        destination=to,
        lot=lot,
        expiry=_day(expiry),
        unit_cost=number(cost),
        unit=unit,
        date=_day(day),
        reference=reference,
        partner=partner,
    )
    _run(ctx, request, draft, fmt)


def issue(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    quantity: str = QUANTITY,
    from_: str | None = typer.Option(None, "--from", help="Stock location (default WH/STOCK)."),
    lot: str | None = LOT,
    override_reason: str | None = typer.Option(
        None, "--override-reason", help="Why an expired lot may leave stock."
    ),
    partner: str | None = typer.Option(None, "--partner", help="Customer (ledger partner)."),
    unit: str | None = UNIT,
    day: datetime | None = WHEN,
    reference: str | None = REFERENCE,
    draft: bool = DRAFT,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Issue stock to a customer: valued FIFO or at average, posted to cost of sales."""
    request = inventory.MoveRequest(
        "issue",
        sku,
        to_decimal(quantity),
        source=from_,
        lot=lot,
        unit=unit,
        date=_day(day),
        reference=reference,
        partner=partner,
        reason=override_reason,
    )
    _run(ctx, request, draft, fmt)


def transfer(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    quantity: str = QUANTITY,
    from_: str = typer.Option(..., "--from", help="Stock location it leaves."),
    to: str = typer.Option(..., "--to", help="Stock location it goes to."),
    lot: str | None = LOT,
    override_reason: str | None = typer.Option(None, "--override-reason"),
    unit: str | None = UNIT,
    day: datetime | None = WHEN,
    draft: bool = DRAFT,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Move stock between two stock locations (no change of value)."""
    request = inventory.MoveRequest(
        "transfer",
        sku,
        to_decimal(quantity),
        source=from_,
        destination=to,
        lot=lot,
        unit=unit,
        date=_day(day),
        reason=override_reason,
    )
    _run(ctx, request, draft, fmt)


def adjust(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    counted: str = typer.Option(..., "--counted", help="The quantity counted there."),
    at: str | None = typer.Option(None, "--at", help="Stock location (default WH/STOCK)."),
    lot: str | None = LOT,
    cost: str | None = typer.Option(None, "--cost", help="Unit cost of a gain."),
    reason: str = typer.Option("stock count", "--reason", help="Why."),
    day: datetime | None = WHEN,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Set on hand to a count: the difference is a valued adjustment move."""
    st = state(ctx)
    move = inventory.count_stock(
        st.runtime.uow(),
        st.actor(),
        st.company,
        sku,
        to_decimal(counted),
        where=at,
        lot=lot,
        reason=reason,
        unit_cost=number(cost),
        day=_day(day),
    )
    if move is None:
        say(f"{sku}: the count matches on hand; nothing moved.", st.output(fmt))
    else:
        render_object(move_row(move), st.output(fmt))


def scrap(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    quantity: str = QUANTITY,
    from_: str | None = typer.Option(None, "--from", help="Stock location (default WH/STOCK)."),
    lot: str | None = LOT,
    reason: str | None = typer.Option(None, "--reason", help="Why (needed for an expired lot)."),
    unit: str | None = UNIT,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Scrap stock: valued like an issue, posted to the scrap account."""
    request = inventory.MoveRequest(
        "scrap", sku, to_decimal(quantity), source=from_, lot=lot, unit=unit, reason=reason
    )
    _run(ctx, request, False, fmt)


def on_hand(
    ctx: typer.Context,
    sku: str | None = typer.Argument(None, help="One product (default: all)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Stock on hand, reserved and available per product, location and lot."""
    st = state(ctx)
    lines = inventory.on_hand(st.runtime.uow(readonly=True), st.actor(), st.company, sku)
    rows = [{**line.__dict__, "available": line.available} for line in lines]
    columns = ["sku", "location", "lot", "expiry", "on_hand", "reserved", "available"]
    render_rows(rows, st.output(fmt), columns, title="Stock on hand")


def valuation(
    ctx: typer.Context,
    by_warehouse: bool = typer.Option(
        False, "--by-warehouse", help="Per product and warehouse (value split by quantity)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Stock value per product, and per inventory account beside its ledger balance."""
    st = state(ctx)
    report = inventory.valuation(st.runtime.uow(readonly=True), st.actor(), st.company)
    out = st.output(fmt)
    if by_warehouse:
        rows_by = [w.__dict__ for w in report.warehouses]
        render_rows(rows_by, out, ["sku", "warehouse", "quantity", "value"], title="By warehouse")
        return
    rows = [{**ln.__dict__, "unit_cost": ln.unit_cost} for ln in report.lines]
    columns = ["sku", "category", "account", "quantity", "unit_cost", "value"]
    accounts = [
        {"account": code, "stock_value": stock, "ledger_balance": books, "ties": stock == books}
        for code, (stock, books) in report.accounts.items()
    ]
    if out is OutputFormat.table:
        render_rows(rows, out, columns, title="Stock valuation")
        render_rows(accounts, out, title="Inventory accounts")
    elif out in (OutputFormat.csv, OutputFormat.xlsx):
        render_rows(rows, out, columns, title="Stock valuation")  # one sheet: the products
    else:
        products = [{c: r[c] for c in columns} for r in rows]
        render_object({"products": products, "accounts": accounts}, out)


def parse_days(text: str) -> int:
    """``30d``, ``2w``, ``3m`` (30-day months) or ``30`` -> days."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwm]?)\s*", text.lower())
    if not match:
        raise InvalidInput(
            f"cannot read {text!r}: use a number of days like 30d, 2w or 3m",
            code="cli.bad_duration",
        )
    return int(match.group(1)) * {"": 1, "d": 1, "w": 7, "m": 30}[match.group(2)]


def expiring(
    ctx: typer.Context,
    within: str = typer.Option("30d", "--within", help="Window: 30d, 2w, 3m."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Lots in stock that expire within the window (and those already expired)."""
    st = state(ctx)
    found = inventory.expiring(
        st.runtime.uow(readonly=True), st.actor(), st.company, within_days=parse_days(within)
    )
    rows = [
        {"sku": lot.product, "lot": lot.code, "expiry": lot.expiry, "on_hand": qty}
        for lot, qty in found
    ]
    render_rows(
        rows, st.output(fmt), ["sku", "lot", "expiry", "on_hand"], title=f"Expiring within {within}"
    )


def pick(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    quantity: str = QUANTITY,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Where to pick from: first expired, first out (expired lots never proposed)."""
    st = state(ctx)
    picks = inventory.pick(
        st.runtime.uow(readonly=True), st.actor(), st.company, sku, to_decimal(quantity)
    )
    render_rows(
        [p.__dict__ for p in picks],
        st.output(fmt),
        ["lot", "location", "quantity", "expiry"],
        title=f"Pick {quantity} {sku}",
    )


def revalue(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    unit_cost: str = typer.Option(..., "--unit-cost", help="The new cost of every unit held."),
    reason: str = typer.Option(..., "--reason", help="Why (a write-down, a landed cost)."),
    day: datetime | None = WHEN,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Value the stock of a product at a new unit cost; the difference is posted."""
    st = state(ctx)
    done = inventory.revalue_stock(
        st.runtime.uow(),
        st.actor(),
        st.company,
        sku,
        to_decimal(unit_cost),
        reason=reason,
        day=_day(day),
    )
    render_object({**done.__dict__, "difference": done.difference}, st.output(fmt))


@lot_app.command("add")
def lot_add(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    code: str = typer.Argument(..., help="Lot or serial number."),
    expiry: datetime | None = typer.Option(None, "--expiry", formats=DATE),
) -> None:
    """Register a lot before it is received."""
    st = state(ctx)
    inventory.add_lot(st.runtime.uow(), st.actor(), st.company, sku, code, _day(expiry))
    say(f"{sku}: lot {code} registered.", st.fmt)


def inventory_status(
    ctx: typer.Context,
    low_stock_only: bool = typer.Option(False, "--low-stock-only", help="Only low stock."),
    threshold: str | None = typer.Option(None, "--threshold", help="Low means at or under this."),
    category: str | None = typer.Option(None, "--category", help="Only this category."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Every product's stock, status and margin (low stock only with --low-stock-only)."""
    st = state(ctx)
    uow, actor = st.runtime.uow(readonly=True), st.actor()
    if low_stock_only:
        lines = inventory.low_stock(
            uow, actor, st.company, threshold=number(threshold), category=category
        )
    else:
        lines = inventory.list_products(uow, actor, st.company, category=category)
    render_rows([product_row(line) for line in lines], st.output(fmt), title="Inventory status")


def register(inventory_app: typer.Typer, reports_app: typer.Typer) -> None:
    """Add the stock commands to ``hansa inventory`` and ``inventory-status`` to
    ``hansa reports``."""
    inventory_app.add_typer(lot_app, name="lot")
    inventory_app.command("receive")(receive)
    inventory_app.command("issue")(issue)
    inventory_app.command("transfer")(transfer)
    inventory_app.command("adjust")(adjust)
    inventory_app.command("scrap")(scrap)
    inventory_app.command("on-hand")(on_hand)
    inventory_app.command("valuation")(valuation)
    inventory_app.command("expiring")(expiring)
    inventory_app.command("pick")(pick)
    inventory_app.command("revalue")(revalue)
    reports_app.command("inventory-status")(inventory_status)
