"""ABC analysis and the cycle-count schedule.

Products are ranked by consumption value (the value of the stock that left for
customers, production or scrap over a period), highest first. With the default
thresholds 80/15/5, class A is the products that make up the first 80 % of the total
value, B the next 15 %, C the rest; a product with no consumption is always C.

The product that crosses a boundary belongs to the class it starts in, so A's share of
the value is at least the A threshold (and A without its last product is under it):

>>> from decimal import Decimal as D
>>> [(c.sku, c.cumulative_percent, c.abc_class.value) for c in classify(
...     [Consumption("X", D(50)), Consumption("Y", D(40)), Consumption("Z", D(10)),
...      Consumption("Q", D(0))], DEFAULT_THRESHOLDS)]
[('X', Decimal('50.00'), 'A'), ('Y', Decimal('90.00'), 'A'), ('Z', Decimal('100.00'), 'B'), \
('Q', Decimal('100.00'), 'C')]

A class is counted every so many months (A monthly, B quarterly, C yearly by default);
a product never counted is due at once.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from hansa.inventory.errors import BadInventoryInput

HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.01")


class AbcClass(StrEnum):
    A = "A"
    B = "B"
    C = "C"


@dataclass(frozen=True)
class Thresholds:
    """Shares of the total consumption value, in percent, of classes A, B and C."""

    a: Decimal
    b: Decimal
    c: Decimal

    def __post_init__(self) -> None:
        shares = (self.a, self.b, self.c)
        if any(share < 0 for share in shares) or sum(shares) != HUNDRED:
            raise BadInventoryInput(
                f"ABC thresholds must be three shares that add up to 100, not "
                f"{self.a},{self.b},{self.c}",
                code="inventory.bad_thresholds",
            )

    def __str__(self) -> str:
        return f"{self.a},{self.b},{self.c}"


DEFAULT_THRESHOLDS = Thresholds(Decimal(80), Decimal(15), Decimal(5))


def parse_thresholds(text: str) -> Thresholds:
    """``80,15,5`` -> Thresholds(80, 15, 5)."""
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) != 3:
            raise InvalidOperation
        return Thresholds(*(Decimal(p) for p in parts))
    except InvalidOperation:
        raise BadInventoryInput(
            f"cannot read thresholds {text!r}: give three percents like 80,15,5",
            code="inventory.bad_thresholds",
        ) from None


@dataclass(frozen=True)
class Consumption:
    sku: str
    value: Decimal


@dataclass(frozen=True)
class Classified:
    sku: str
    value: Decimal
    cumulative_percent: Decimal  # of the total value, this product included
    abc_class: AbcClass


def classify(items: Iterable[Consumption], thresholds: Thresholds) -> list[Classified]:
    """Rank *items* by value (highest first, then by SKU) and give each its class.

    Exact: a boundary is compared as ``value before * 100 < threshold * total``, never
    on a rounded percent. Negative values (more returned than issued) count as 0.
    """
    ranked = sorted(
        (Consumption(i.sku, max(i.value, Decimal(0))) for i in items),
        key=lambda i: (-i.value, i.sku),
    )
    total = sum((i.value for i in ranked), Decimal(0))
    a_edge = thresholds.a * total
    b_edge = (thresholds.a + thresholds.b) * total
    result, before = [], Decimal(0)
    for item in ranked:
        if item.value == 0:
            abc = AbcClass.C
        elif before * HUNDRED < a_edge:
            abc = AbcClass.A
        elif before * HUNDRED < b_edge:
            abc = AbcClass.B
        else:
            abc = AbcClass.C
        before += item.value
        share = before * HUNDRED / total if total else Decimal(0)
        result.append(
            Classified(item.sku, item.value, share.quantize(PERCENT_PLACES, ROUND_HALF_UP), abc)
        )
    return result


# Months between two counts of a product of each class.
Frequency = Mapping[AbcClass, int]
DEFAULT_FREQUENCY: Frequency = {AbcClass.A: 1, AbcClass.B: 3, AbcClass.C: 12}


def parse_frequency(text: str) -> dict[AbcClass, int]:
    """``A=1,B=3,C=12`` (months) -> a frequency; classes left out keep their default."""
    found = dict(DEFAULT_FREQUENCY)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, months = part.partition("=")
        try:
            abc, every = AbcClass(name.strip().upper()), int(months)
        except ValueError:
            every = 0
        if every <= 0:
            raise BadInventoryInput(
                f"cannot read {part!r}: give months per class like A=1,B=3,C=12",
                code="inventory.bad_frequency",
            )
        found[abc] = every
    return found


def add_months(day: date, months: int) -> date:
    """*day* plus *months*, on the last day of a shorter month (Jan 31 + 1 -> Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_count(abc: AbcClass | None, last_counted: date | None, frequency: Frequency) -> date:
    """When a product is next due for counting (a product without a class counts as C;
    one never counted is due since ever)."""
    if last_counted is None:
        return date.min
    return add_months(last_counted, frequency[abc or AbcClass.C])


def is_due(
    abc: AbcClass | None, last_counted: date | None, day: date, frequency: Frequency
) -> bool:
    """Whether a product is due for counting on *day*.

    >>> is_due(AbcClass.A, date(2026, 10, 31), date(2026, 11, 30), DEFAULT_FREQUENCY)
    True
    >>> is_due(AbcClass.B, date(2026, 10, 31), date(2026, 11, 30), DEFAULT_FREQUENCY)
    False
    """
    return next_count(abc, last_counted, frequency) <= day
