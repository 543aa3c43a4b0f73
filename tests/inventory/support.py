"""Small stock books for the inventory tests (plain helpers, not fixtures)."""

from __future__ import annotations

from decimal import Decimal

from hansa import inventory, ledger
from hansa.kernel.actor import SYSTEM
from hansa.system import run_checks
from tests.ledger.fx_support import Uows, company

D = Decimal
__all__ = [
    "D",
    "Uows",
    "books",
    "company",
    "failing_checks",
    "inventory_balance",
    "issue",
    "receive",
]


def books(uows: Uows, valuation: str = "fifo", chart_company: str = "ACME") -> str:
    """A company with a category WIDGETS valued by *valuation* and a product W1 in it."""
    company(uows, code=chart_company)
    inventory.add_category(
        uows(), SYSTEM, None, code="WIDGETS", name="Widgets", valuation=valuation
    )
    inventory.add_product(
        uows(),
        SYSTEM,
        None,
        sku="W1",
        name="Widget",
        price=D(10),
        cost=D(5),
        category_code="WIDGETS",
    )
    return chart_company


def receive(
    uows: Uows, quantity: str, cost: str, sku: str = "W1", **extra: object
) -> inventory.Move:
    request = inventory.MoveRequest("receipt", sku, D(quantity), unit_cost=D(cost), **extra)  # type: ignore[arg-type]
    return inventory.move_stock(uows(), SYSTEM, None, request)


def issue(uows: Uows, quantity: str, sku: str = "W1", **extra: object) -> inventory.Move:
    request = inventory.MoveRequest("issue", sku, D(quantity), **extra)  # type: ignore[arg-type]
    return inventory.move_stock(uows(), SYSTEM, None, request)


def inventory_balance(uows: Uows, account: str = "1200") -> Decimal:
    rows = ledger.trial_balance(uows(readonly=True), SYSTEM, None, None)
    return sum((r.balance for r in rows if r.account == account), D(0))


def failing_checks(uows: Uows) -> list[str]:
    """Every inventory or ledger check that found a problem (empty when all tie out)."""
    return [
        f"{o.name}: {[p.message for p in o.problems]}"
        for o in run_checks(uows(readonly=True), SYSTEM)
        if o.name.startswith(("inventory.", "ledger.")) and (o.problems or o.error)
    ]
