"""Warehouses, their hierarchical locations, and the virtual locations stock comes
from and goes to.

Internal locations hold stock; virtual ones (supplier, customer, adjustment, scrap,
production) are the other side of a move, so every change of stock is a move between
two locations and on hand is the sum of the moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LocationKind(StrEnum):
    internal = "internal"
    supplier = "supplier"
    customer = "customer"
    adjustment = "adjustment"
    scrap = "scrap"
    production = "production"

    @property
    def holds_stock(self) -> bool:
        return self is LocationKind.internal


# The virtual locations every company has, by code.
VIRTUAL: dict[str, LocationKind] = {
    "SUPPLIER": LocationKind.supplier,
    "CUSTOMER": LocationKind.customer,
    "ADJUSTMENT": LocationKind.adjustment,
    "SCRAP": LocationKind.scrap,
    "PRODUCTION": LocationKind.production,
}
DEFAULT_WAREHOUSE = "WH"
STOCK = "STOCK"  # the first location of a warehouse: WH/STOCK


@dataclass(frozen=True)
class Warehouse:
    id: int
    company_id: int
    code: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class Location:
    id: int
    company_id: int
    code: str  # full path for internal locations: WH/STOCK/A1
    name: str
    kind: LocationKind
    warehouse: str | None
    parent_id: int | None
    active: bool = True

    @property
    def internal(self) -> bool:
        return self.kind.holds_stock


def child_code(parent: str, code: str) -> str:
    """The full code of location *code* under *parent*: WH/STOCK + A1 -> WH/STOCK/A1."""
    return f"{parent}/{code}"
