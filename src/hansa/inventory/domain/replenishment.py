"""Replenishment: how much to order so that projected stock is back over its minimum.

*Projected* stock is on hand − reserved + incoming (receipts ordered, not yet received,
that arrive within the lead time). Under the reorder minimum, the proposal orders up to
the maximum (the minimum when there is none), rounded up to whole packs when the product
is bought in a unit of several base units (a box of 12): so projected + proposal is at
least the minimum and less than the maximum + one pack. At or over the minimum: nothing.

>>> from decimal import Decimal as D
>>> reorder_proposal(D(9), minimum=D(10), maximum=D(30))
Decimal('21')
>>> reorder_proposal(D(9), minimum=D(10), maximum=D(30), pack=D(12))
Decimal('24')
>>> reorder_proposal(D(10), minimum=D(10), maximum=D(30), pack=D(12))
Decimal('0')
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal


def projected(on_hand: Decimal, reserved: Decimal, incoming: Decimal) -> Decimal:
    return on_hand - reserved + incoming


def reorder_proposal(
    projected: Decimal,
    *,
    minimum: Decimal | None,
    maximum: Decimal | None,
    pack: Decimal | None = None,
) -> Decimal:
    """The quantity (in base units) to order for a product with *projected* stock;
    whole *packs* when it has one (the base units in its purchase unit)."""
    if minimum is None or projected >= minimum:
        return Decimal(0)
    target = max(maximum, minimum) if maximum is not None else minimum
    need = target - projected
    if pack is None:
        return need
    packs = (need / pack).to_integral_value(rounding=ROUND_CEILING)
    return packs * pack
