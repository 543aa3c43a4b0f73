"""Count sheets: what to count where, the quantity expected, and what was counted.

A sheet is made for the products due for counting (see :mod:`abc`), one line per
product, stock location and lot holding stock, with the on hand at that moment (the
*expected* quantity, frozen like a book inventory). Counts are entered line by line;
posting the sheet moves each line's *variance* (counted − expected) in or out of stock
by an adjustment, so moves made between the snapshot and the posting stand as they
are. A posted sheet is immutable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class SheetState(StrEnum):
    open = "open"
    posted = "posted"
    cancelled = "cancelled"


@dataclass(frozen=True)
class CountLine:
    number: int
    sku: str
    name: str
    abc_class: str | None
    location: str
    lot: str | None
    expected: Decimal
    counted: Decimal | None
    move_id: int | None  # the variance's adjustment move, once posted

    @property
    def variance(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.expected


@dataclass(frozen=True)
class CountSheet:
    id: int
    company_id: int
    warehouse: str | None  # None: every warehouse
    count_date: date
    state: SheetState
    created_by: str
    created_at: datetime
    posted_by: str | None
    posted_at: datetime | None
    lines: tuple[CountLine, ...] = ()

    @property
    def uncounted(self) -> list[int]:
        return [line.number for line in self.lines if line.counted is None]

    @property
    def counted_lines(self) -> int:
        return len(self.lines) - len(self.uncounted)
