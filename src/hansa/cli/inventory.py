"""``hansa inventory``: products (add, list, update, remove, low stock) and units.

Stock moves, lots and reports are in :mod:`hansa.cli.inventory_stock`; warehouses,
locations and categories in :mod:`hansa.cli.inventory_sites`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

import typer

from hansa import inventory
from hansa.cli.context import FormatOption, choose_company, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import to_decimal

app = typer.Typer(
    help="Products, stock moves, lots, warehouses and stock valuation.", no_args_is_help=True
)
app.callback()(choose_company)


class SortBy(StrEnum):
    sku = "sku"
    name = "name"
    price = "price"
    cost = "cost"
    quantity = "quantity"


class Order(StrEnum):
    asc = "asc"
    desc = "desc"


def number(value: str | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def product_row(line: inventory.ProductLine) -> dict[str, Any]:
    p = line.product
    return {
        "sku": p.sku,
        "name": p.name,
        "category": p.category,
        "price": p.price,
        "cost": p.cost,
        "quantity": line.on_hand,
        "available": line.available,
        "status": line.status,
        "margin_percent": p.margin_percent,
    }


def product_detail(p: inventory.Product) -> dict[str, Any]:
    return {
        "sku": p.sku,
        "name": p.name,
        "description": p.description,
        "category": p.category,
        "unit": p.unit,
        "units": {u.name: u.factor for u in p.units},
        "price": p.price,
        "cost": p.cost,
        "margin_percent": p.margin_percent,
        "tracking": p.tracking.value,
        "shelf_life_days": p.shelf_life_days,
        "reorder_min": p.reorder_min,
        "reorder_max": p.reorder_max,
        "lead_time_days": p.lead_time_days,
        "allow_negative": p.allow_negative,
        "active": p.active,
        "version": p.version,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Product name."),
    sku: str = typer.Option(..., "--sku", help="Stock keeping unit, unique per company."),
    price: str = typer.Option(..., "--price", help="Sale price."),
    cost: str | None = typer.Option(
        None, "--cost", help="Unit cost (default: the category's percent of the price)."
    ),
    category: str | None = typer.Option(None, "--category", help="Category code (GENERAL)."),
    quantity: str | None = typer.Option(
        None, "--quantity", help="Opening stock, brought in by a valued adjustment move."
    ),
    description: str = typer.Option("", "--description", help="Free text."),
    unit: str = typer.Option("unit", "--unit", help="Base unit of measure."),
    tracking: str = typer.Option("none", "--tracking", help="none, lot or serial."),
    shelf_life: int | None = typer.Option(None, "--shelf-life", help="Days a new lot keeps."),
    reorder_min: str | None = typer.Option(None, "--reorder-min", help="Reorder point."),
    reorder_max: str | None = typer.Option(None, "--reorder-max", help="Order up to."),
    lead_time: int | None = typer.Option(None, "--lead-time", help="Days to replenish."),
    allow_negative: bool = typer.Option(False, "--allow-negative", help="Let stock go below zero."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a product; without --cost, says which rule gave its cost."""
    st = state(ctx)
    added = inventory.add_product(
        st.runtime.uow(),
        st.actor(),
        st.company,
        sku=sku,
        name=name,
        price=to_decimal(price),
        cost=number(cost),
        category_code=category,
        description=description,
        unit=unit,
        tracking=tracking,
        shelf_life_days=shelf_life,
        reorder_min=number(reorder_min),
        reorder_max=number(reorder_max),
        lead_time_days=lead_time,
        allow_negative=allow_negative,
        quantity=number(quantity),
    )
    render_object(product_detail(added.product), st.output(fmt))
    if added.cost_rule != "given":
        say(f"Cost {added.product.cost}: {added.cost_rule}.", st.output(fmt))


@app.command("list")
def list_(
    ctx: typer.Context,
    category: str | None = typer.Option(None, "--category", help="Only this category."),
    search: str | None = typer.Option(None, "--search", help="Text in SKU, name, description."),
    sort_by: SortBy = typer.Option(SortBy.sku, "--sort-by", help="Sort column."),
    order: Order = typer.Option(Order.asc, "--order", help="asc or desc."),
    page: int = typer.Option(1, "--page", min=1, help="Page number, from 1."),
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="Rows per page."),
    all_: bool = typer.Option(False, "--all", help="Include archived products."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List products: SKU, name, category, price, cost, quantity, status, margin %."""
    st = state(ctx)
    lines = inventory.list_products(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        category=category,
        search=search,
        sort_by=sort_by.value,
        descending=order is Order.desc,
        include_archived=all_,
    )
    shown = lines[(page - 1) * limit : page * limit]
    pages = max(1, -(-len(lines) // limit))
    render_rows(
        [product_row(line) for line in shown],
        st.output(fmt),
        title=f"Products (page {page} of {pages}, {len(lines)} in all)",
    )


@app.command("low-stock")
def low_stock(
    ctx: typer.Context,
    threshold: str | None = typer.Option(
        None, "--threshold", help="At or under this on hand (default: each reorder minimum)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Products at or under a threshold, or under their reorder minimum."""
    st = state(ctx)
    lines = inventory.low_stock(
        st.runtime.uow(readonly=True), st.actor(), st.company, threshold=number(threshold)
    )
    render_rows([product_row(line) for line in lines], st.output(fmt), title="Low stock")


@app.command("update")
def update(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    price: str | None = typer.Option(None, "--price"),
    cost: str | None = typer.Option(None, "--cost", help="Catalog cost (new stock's default)."),
    quantity: str | None = typer.Option(
        None, "--quantity", help="Counted quantity in the main stock: the difference is moved."
    ),
    description: str | None = typer.Option(None, "--description"),
    name: str | None = typer.Option(None, "--name"),
    reorder_min: str | None = typer.Option(None, "--reorder-min"),
    reorder_max: str | None = typer.Option(None, "--reorder-max"),
    lead_time: int | None = typer.Option(None, "--lead-time"),
    allow_negative: bool | None = typer.Option(
        None, "--allow-negative/--no-negative", help="Let stock go below zero, or not."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Change a product's price, cost, description, reorder rule or stock count."""
    st = state(ctx)
    product = inventory.update_product(
        st.runtime.uow(),
        st.actor(),
        st.company,
        sku,
        name=name,
        description=description,
        price=number(price),
        cost=number(cost),
        quantity=number(quantity),
        reorder_min=number(reorder_min),
        reorder_max=number(reorder_max),
        lead_time_days=lead_time,
        allow_negative=allow_negative,
    )
    render_object(product_detail(product), st.output(fmt))


@app.command("remove")
def remove(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    force: bool = typer.Option(False, "--force", help="Do not ask for confirmation."),
) -> None:
    """Delete a product that never moved (one with history must be archived)."""
    st = state(ctx)
    st.confirm(f"Delete product {sku}?", force)
    inventory.remove_product(st.runtime.uow(), st.actor(), st.company, sku)
    say(f"Product {sku} is deleted.", st.fmt)


@app.command("archive")
def archive(ctx: typer.Context, sku: str = typer.Argument(...)) -> None:
    """Archive a product: it leaves lists and cannot move; its history stays."""
    st = state(ctx)
    inventory.update_product(st.runtime.uow(), st.actor(), st.company, sku, active=False)
    say(f"Product {sku} is archived.", st.fmt)


@app.command("restore")
def restore(ctx: typer.Context, sku: str = typer.Argument(...)) -> None:
    """Make an archived product active again."""
    st = state(ctx)
    inventory.update_product(st.runtime.uow(), st.actor(), st.company, sku, active=True)
    say(f"Product {sku} is active again.", st.fmt)


@app.command("show")
def show(
    ctx: typer.Context, sku: str = typer.Argument(...), fmt: OutputFormat | None = FormatOption
) -> None:
    """One product in full."""
    st = state(ctx)
    product = inventory.get_product(st.runtime.uow(readonly=True), st.actor(), st.company, sku)
    render_object(product_detail(product), st.output(fmt))


@app.command("unit")
def unit(
    ctx: typer.Context,
    sku: str = typer.Argument(...),
    name: str = typer.Argument(..., help="Unit name, e.g. box."),
    factor: str = typer.Argument(..., help="Base units in one, e.g. 12."),
) -> None:
    """Add a unit a product can be counted in (a box of 12)."""
    st = state(ctx)
    value = to_decimal(factor)
    if value <= 0:
        raise InvalidInput("a unit holds a positive number of base units", code="cli.bad_unit")
    inventory.add_unit(st.runtime.uow(), st.actor(), st.company, sku, name, value)
    say(f"{sku}: 1 {name} = {value} base units.", st.fmt)
