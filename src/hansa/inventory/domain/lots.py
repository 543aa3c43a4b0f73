"""Lots and serial numbers with expiry dates; first-expired-first-out picking."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Lot:
    id: int
    company_id: int
    product: str
    code: str
    expiry: date | None

    def expired_on(self, day: date) -> bool:
        return self.expiry is not None and self.expiry < day


@dataclass(frozen=True)
class LotStock:
    lot: Lot | None
    location: str
    available: Decimal


@dataclass(frozen=True)
class Pick:
    lot: str | None
    location: str
    quantity: Decimal
    expiry: date | None


def fefo(stock: Sequence[LotStock], quantity: Decimal, day: date) -> list[Pick]:
    """Where to pick *quantity* from: unexpired lots that expire first, then lots with no
    expiry, never expired lots. Less than *quantity* when there is not enough.

    >>> from decimal import Decimal as D
    >>> a = Lot(1, 1, "X", "A", date(2026, 6, 1)); b = Lot(2, 1, "X", "B", date(2026, 3, 1))
    >>> [(p.lot, p.quantity) for p in fefo(
    ...     [LotStock(a, "WH/STOCK", D(5)), LotStock(b, "WH/STOCK", D(2))], D(4), date(2026, 1, 1))]
    [('B', Decimal('2')), ('A', Decimal('2'))]
    """
    usable = [s for s in stock if s.available > 0 and not (s.lot and s.lot.expired_on(day))]
    usable.sort(key=lambda s: (s.lot is None or s.lot.expiry is None, _expiry(s), s.location))
    picks, left = [], quantity
    for s in usable:
        if left <= 0:
            break
        take = min(left, s.available)
        picks.append(
            Pick(s.lot.code if s.lot else None, s.location, take, s.lot.expiry if s.lot else None)
        )
        left -= take
    return picks


def _expiry(s: LotStock) -> date:
    return s.lot.expiry if s.lot and s.lot.expiry else date.max
