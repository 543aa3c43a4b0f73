"""The quickstart's trade: a vendor and a customer, a product, goods received and
shipped — the stock moves post their own ledger entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hansa import inventory, parties
from hansa.cli.render import OutputFormat, console, render_rows
from hansa.kernel.actor import Actor
from hansa.runtime import Runtime

SKU = "WID-100"


def trade_partners(rt: Runtime, actor: Actor) -> tuple[parties.Party, parties.Party]:
    """A vendor and a customer; their personal data is stored encrypted."""
    vendor = parties.add_party(
        rt.uow(),
        actor,
        rt.field_keys,
        name="Nordic Supplies AB",
        customer=False,
        vendor=True,
        email="orders@nordic.example",
        payment_terms_days=30,
    )
    customer = parties.add_party(
        rt.uow(),
        actor,
        rt.field_keys,
        name="Globex Corporation",
        email="ap@globex.example",
        billing_address="1 Globex Way, Springfield",
        payment_terms_days=14,
        credit_limit=Decimal("20000"),
    )
    render_rows(
        [
            {"code": p.code, "name": p.name, "customer": p.is_customer, "vendor": p.is_vendor}
            for p in (vendor, customer)
        ],
        OutputFormat.table,
        title="Parties (e-mail and address encrypted at rest)",
    )
    return vendor, customer


def receive_goods(rt: Runtime, actor: Actor, vendor: str, day: date) -> Decimal:
    """A product and 800 of it received from *vendor*; returns the value received."""
    added = inventory.add_product(
        rt.uow(), actor, None, sku=SKU, name="Widget", price=Decimal("25.00"), cost=Decimal("10")
    )
    move = inventory.move_stock(
        rt.uow(),
        actor,
        None,
        inventory.MoveRequest(
            "receipt", SKU, Decimal(800), unit_cost=Decimal("10.00"), date=day, partner=vendor
        ),
    )
    console.print(
        f"Product {added.product.sku} ({added.product.name}), price 25.00; received "
        f"{move.quantity} @ 10.00 from {vendor}: stock {move.value} EUR, posted as entry "
        f"{move.entry_id} (inventory 1200 / goods received not invoiced 2050)"
    )
    assert move.value is not None
    return move.value


def ship_goods(rt: Runtime, actor: Actor, customer: str, day: date) -> None:
    """Ship 600 to *customer*: the issue is valued FIFO and posts the cost of sales."""
    move = inventory.move_stock(
        rt.uow(),
        actor,
        None,
        inventory.MoveRequest("issue", SKU, Decimal(600), date=day, partner=customer),
    )
    console.print(
        f"Shipped {move.quantity} to {customer}: valued {move.value} EUR (FIFO), posted as "
        f"entry {move.entry_id} (cost of goods sold 5000 / inventory 1200)"
    )


def stock_report(rt: Runtime, actor: Actor) -> None:
    """What is in stock, and its value beside the inventory account."""
    value = inventory.valuation(rt.uow(readonly=True), actor, None)
    render_rows(
        [
            {"sku": ln.sku, "quantity": ln.quantity, "value": ln.value, "account": ln.account}
            for ln in value.lines
        ],
        OutputFormat.table,
        title="Stock valuation",
    )
    for account, (stock, books) in value.accounts.items():
        verdict = "tie" if stock == books else "DO NOT TIE"
        console.print(
            f"Inventory account {account}: stock {stock} EUR, ledger {books} EUR ({verdict})"
        )
