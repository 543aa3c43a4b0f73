"""``hansa inventory`` with the commands of every area of inventory, and ``hansa
reports``, the business reports (inventory status, and later sales and customers;
``hansa report`` stays the ledger's financial statements). The areas add their
commands once, when this module is imported."""

from __future__ import annotations

import typer

from hansa.cli import (
    inventory,
    inventory_counting,
    inventory_moves,
    inventory_sites,
    inventory_stock,
)

reports_app = typer.Typer(help="Business reports: inventory status.", no_args_is_help=True)
inventory_stock.register(inventory.app, reports_app)
inventory_sites.register(inventory.app)
inventory_moves.register(inventory.app)
inventory_counting.register(inventory.app)


def register(app: typer.Typer) -> None:
    app.add_typer(inventory.app, name="inventory")
    app.add_typer(reports_app, name="reports")
