"""Product categories, products and their units of measure.

A category decides how its products are valued (FIFO layers or moving average) and
which ledger accounts a valued move posts to. A product counts in its base unit; other
units convert by a factor (a box of 12 is 12 base units).

>>> from decimal import Decimal as D
>>> margin_percent(D("10.00"), D("7.00"))
Decimal('30.0')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from hansa.inventory.errors import BadInventoryInput

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$")


class ValuationMethod(StrEnum):
    fifo = "fifo"
    average = "average"


class Tracking(StrEnum):
    none = "none"
    lot = "lot"
    serial = "serial"


@dataclass(frozen=True)
class CategoryAccounts:
    """Ledger account codes a category's valued moves post to."""

    inventory: str
    received: str  # goods received not invoiced: the counterpart of receipts
    cost_of_sales: str
    adjustment: str
    scrap: str


DEFAULT_ACCOUNTS = CategoryAccounts("1200", "2050", "5000", "5100", "5200")
DEFAULT_CATEGORY = "GENERAL"
DEFAULT_COST_PERCENT = Decimal(70)


@dataclass(frozen=True)
class Category:
    id: int
    company_id: int
    code: str
    name: str
    valuation: ValuationMethod
    accounts: CategoryAccounts
    cost_percent: Decimal | None  # default cost of a new product, in % of its price
    version: int = 1


@dataclass(frozen=True)
class Unit:
    name: str
    factor: Decimal  # base units in one of this unit


@dataclass(frozen=True)
class Product:
    id: int
    company_id: int
    sku: str
    name: str
    description: str
    category: str
    unit: str
    price: Decimal
    cost: Decimal
    tracking: Tracking
    shelf_life_days: int | None
    reorder_min: Decimal | None
    reorder_max: Decimal | None
    lead_time_days: int | None
    allow_negative: bool
    active: bool
    version: int = 1
    units: tuple[Unit, ...] = ()

    @property
    def margin_percent(self) -> Decimal | None:
        return margin_percent(self.price, self.cost)

    def factor(self, unit: str | None) -> Decimal:
        """Base units in one *unit* (the base unit itself when None)."""
        if unit is None or unit == self.unit:
            return Decimal(1)
        for known in self.units:
            if known.name == unit:
                return known.factor
        names = ", ".join([self.unit, *(u.name for u in self.units)])
        raise BadInventoryInput(
            f"{self.sku} has no unit {unit!r}: use {names}", code="inventory.unknown_unit"
        )


def check_code(value: str, what: str) -> str:
    """A SKU, category, warehouse or location code: 1-64 characters, no spaces."""
    value = value.strip()
    if not _CODE.match(value):
        raise BadInventoryInput(
            f"{what} {value!r} must be 1-64 letters, digits or _ . - /",
            code="inventory.bad_code",
        )
    return value


def check_name(value: str, what: str) -> str:
    if not value.strip():
        raise BadInventoryInput(f"a {what} needs a name", code="inventory.bad_name")
    return value.strip()


def check_amount(value: Decimal, what: str) -> Decimal:
    if value < 0:
        raise BadInventoryInput(f"{what} cannot be negative ({value})", code="inventory.negative")
    return value


def check_quantity(value: Decimal) -> Decimal:
    if value <= 0:
        raise BadInventoryInput(
            f"a quantity must be positive, not {value}", code="inventory.bad_quantity"
        )
    return value


def margin_percent(price: Decimal, cost: Decimal) -> Decimal | None:
    """The margin on the sale price in percent, one decimal (None for a free product)."""
    if price == 0:
        return None
    return ((price - cost) * 100 / price).quantize(Decimal("0.1"))


def parse_valuation(value: str) -> ValuationMethod:
    try:
        return ValuationMethod(value.strip().lower())
    except ValueError:
        raise BadInventoryInput(
            f"unknown valuation {value!r}: use fifo or average", code="inventory.bad_valuation"
        ) from None


def parse_tracking(value: str) -> Tracking:
    try:
        return Tracking(value.strip().lower())
    except ValueError:
        raise BadInventoryInput(
            f"unknown tracking {value!r}: use none, lot or serial", code="inventory.bad_tracking"
        ) from None


def plain(quantity: Decimal) -> Decimal:
    """A stored quantity without its storage scale's trailing zeros: 3.000000 -> 3,
    2.500000 -> 2.5 (never in exponent notation)."""
    if quantity == quantity.to_integral_value():
        return quantity.quantize(Decimal(1))
    return quantity.normalize()


def price_shown(value: Decimal) -> Decimal:
    """A stored price or cost with at least two decimals and no storage zeros beyond:
    10.000000 -> 10.00, 0.125000 -> 0.125."""
    trimmed = plain(value)
    exponent = trimmed.as_tuple().exponent
    return (
        trimmed.quantize(Decimal("0.01"))
        if isinstance(exponent, int) and exponent > -2
        else trimmed
    )
