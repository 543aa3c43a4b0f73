"""``hansa inventory warehouse|location|category``."""

from __future__ import annotations

from typing import Any

import typer

from hansa import inventory
from hansa.cli.context import FormatOption, state
from hansa.cli.inventory import number
from hansa.cli.render import OutputFormat, render_object, render_rows

warehouse_app = typer.Typer(help="Warehouses.", no_args_is_help=True)
location_app = typer.Typer(help="Stock and virtual locations.", no_args_is_help=True)
category_app = typer.Typer(help="Product categories: valuation and accounts.", no_args_is_help=True)


def location_row(loc: inventory.Location) -> dict[str, Any]:
    return {"code": loc.code, "name": loc.name, "kind": loc.kind.value, "warehouse": loc.warehouse}


def category_row(c: inventory.Category) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "valuation": c.valuation.value,
        "inventory": c.accounts.inventory,
        "received": c.accounts.received,
        "cost_of_sales": c.accounts.cost_of_sales,
        "adjustment": c.accounts.adjustment,
        "scrap": c.accounts.scrap,
        "cost_percent": c.cost_percent,
    }


@warehouse_app.command("add")
def warehouse_add(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Short code, e.g. WH2."),
    name: str = typer.Argument(...),
) -> None:
    """Add a warehouse (with its location CODE/STOCK)."""
    st = state(ctx)
    inventory.add_warehouse(st.runtime.uow(), st.actor(), st.company, code=code, name=name)
    typer.echo(f"Warehouse {code} added, with location {code}/STOCK.")


@warehouse_app.command("list")
def warehouse_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List the warehouses."""
    st = state(ctx)
    found = inventory.list_warehouses(st.runtime.uow(readonly=True), st.actor(), st.company)
    render_rows(
        [{"code": w.code, "name": w.name} for w in found],
        st.output(fmt),
        ["code", "name"],
        title="Warehouses",
    )


@location_app.command("add")
def location_add(
    ctx: typer.Context,
    parent: str = typer.Argument(..., help="Parent location, e.g. WH/STOCK."),
    code: str = typer.Argument(..., help="Code under it, e.g. A1."),
    name: str | None = typer.Option(None, "--name"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a stock location under another (WH/STOCK + A1 -> WH/STOCK/A1)."""
    st = state(ctx)
    made = inventory.add_location(
        st.runtime.uow(), st.actor(), st.company, parent=parent, code=code, name=name
    )
    render_object(location_row(made), st.output(fmt))


@location_app.command("list")
def location_list(
    ctx: typer.Context,
    warehouse: str | None = typer.Option(None, "--warehouse", help="Only this warehouse."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List stock and virtual locations."""
    st = state(ctx)
    found = inventory.list_locations(
        st.runtime.uow(readonly=True), st.actor(), st.company, warehouse=warehouse
    )
    render_rows([location_row(loc) for loc in found], st.output(fmt), title="Locations")


@category_app.command("add")
def category_add(
    ctx: typer.Context,
    code: str = typer.Argument(...),
    name: str = typer.Argument(...),
    valuation: str = typer.Option("fifo", "--valuation", help="fifo or average (fixed)."),
    inventory_account: str = typer.Option("1200", "--inventory-account"),
    received_account: str = typer.Option("2050", "--received-account", help="GRNI."),
    cost_of_sales_account: str = typer.Option("5000", "--cost-of-sales-account"),
    adjustment_account: str = typer.Option("5100", "--adjustment-account"),
    scrap_account: str = typer.Option("5200", "--scrap-account"),
    cost_percent: str | None = typer.Option(
        None, "--cost-percent", help="Default cost of a new product, in % of its price."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a product category: its valuation method and the accounts it posts to."""
    st = state(ctx)
    made = inventory.add_category(
        st.runtime.uow(),
        st.actor(),
        st.company,
        code=code,
        name=name,
        valuation=valuation,
        accounts=inventory.CategoryAccounts(
            inventory_account,
            received_account,
            cost_of_sales_account,
            adjustment_account,
            scrap_account,
        ),
        cost_percent=number(cost_percent),
    )
    render_object(category_row(made), st.output(fmt))


@category_app.command("list")
def category_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List the product categories."""
    st = state(ctx)
    found = inventory.list_categories(st.runtime.uow(readonly=True), st.actor(), st.company)
    render_rows([category_row(c) for c in found], st.output(fmt), title="Categories")


def register(inventory_app: typer.Typer) -> None:
    """Add warehouses, locations and categories to ``hansa inventory``."""
    inventory_app.add_typer(warehouse_app, name="warehouse")
    inventory_app.add_typer(location_app, name="location")
    inventory_app.add_typer(category_app, name="category")
