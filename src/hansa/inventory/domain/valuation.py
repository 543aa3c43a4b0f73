"""Stock valuation: FIFO layers and moving average, as pure functions.

A product's valuation is its quantity and value (in the company currency, rounded to
its minor unit). Under FIFO it is also a list of layers, oldest first, each the
remaining quantity and value of one incoming move; the layers sum to the valuation.
An outgoing move takes value out; that value is what the ledger posts.

>>> from decimal import Decimal as D
>>> layers = [Layer(1, D(10), D("50.00")), Layer(2, D(10), D("70.00"))]
>>> fifo_out(layers, D(15), 2, D(0)).value
Decimal('85.00')
>>> average_out(Stock(D(20), D("120.00")), D(15), 2, D(0))
Decimal('90.00')

Values round half-up (the kernel's rounding) to the currency's places at each move;
a move that empties a layer (or the whole stock, under average) takes exactly what is
left, so no rounding residue ever stays on an empty stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from hansa.kernel.money import quantize


@dataclass(frozen=True)
class Stock:
    quantity: Decimal
    value: Decimal

    @property
    def unit_cost(self) -> Decimal | None:
        return self.value / self.quantity if self.quantity > 0 else None


@dataclass(frozen=True)
class Layer:
    move_id: int
    quantity: Decimal  # remaining
    value: Decimal  # remaining


@dataclass(frozen=True)
class Take:
    """What an outgoing move took from one layer."""

    move_id: int
    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class Outgoing:
    value: Decimal
    takes: tuple[Take, ...]


def incoming_value(quantity: Decimal, unit_cost: Decimal, places: int) -> Decimal:
    return quantize(quantity * unit_cost, places)


def _share(value: Decimal, of: Decimal, take: Decimal, places: int) -> Decimal:
    return value if take == of else quantize(value * take / of, places)


def fifo_out(
    layers: Sequence[Layer],
    quantity: Decimal,
    places: int,
    fallback_cost: Decimal,
    first: int | None = None,
) -> Outgoing:
    """Take *quantity* from *layers* oldest first (the layer of move *first* before the
    others: a counter-move returns what its own receipt brought). Quantity beyond the
    layers (negative stock, when a product allows it) is valued at *fallback_cost*."""
    ordered = sorted(layers, key=lambda layer: layer.move_id != first) if first else layers
    left, value, takes = quantity, Decimal(0), []
    for layer in ordered:
        if left <= 0:
            break
        if layer.quantity <= 0:
            continue
        take = min(left, layer.quantity)
        part = _share(layer.value, layer.quantity, take, places)
        takes.append(Take(layer.move_id, take, part))
        value += part
        left -= take
    if left > 0:
        value += quantize(left * fallback_cost, places)
    return Outgoing(value, tuple(takes))


def average_out(stock: Stock, quantity: Decimal, places: int, fallback_cost: Decimal) -> Decimal:
    """The value *quantity* takes out at the moving average; all of the stock takes all
    of its value, and quantity beyond it is valued at *fallback_cost*."""
    if stock.quantity <= 0:
        return quantize(quantity * fallback_cost, places)
    if quantity <= stock.quantity:
        return _share(stock.value, stock.quantity, quantity, places)
    return stock.value + quantize((quantity - stock.quantity) * fallback_cost, places)


def after_takes(layers: Sequence[Layer], takes: Sequence[Take]) -> list[Layer]:
    """*layers* with what *takes* took removed (empty layers dropped)."""
    taken = {t.move_id: t for t in takes}
    result = []
    for layer in layers:
        t = taken.get(layer.move_id)
        if t is None:
            result.append(layer)
        elif layer.quantity - t.quantity > 0:
            result.append(Layer(layer.move_id, layer.quantity - t.quantity, layer.value - t.value))
    return result


def settle_negative(before: Stock, after: Stock, receipt_cost: Decimal, places: int) -> Decimal:
    """When a receipt brings negative stock back to zero or above, the stock is worth
    its quantity at the receipt's cost; the difference (the value the shortfall was
    issued at against what it really cost) is returned for the adjustment account.

    >>> from decimal import Decimal as D
    >>> settle_negative(Stock(D(-2), D("-10.00")), Stock(D(3), D("20.00")), D(6), 2)
    Decimal('-2.00')
    """
    if before.quantity >= 0 or after.quantity < 0:
        return Decimal(0)
    return quantize(after.quantity * receipt_cost, places) - after.value


def revalued_layers(layers: Sequence[Layer], unit_cost: Decimal, places: int) -> list[Layer]:
    """*layers* each worth its quantity at *unit_cost* (rounded per layer).

    >>> from decimal import Decimal as D
    >>> [l.value for l in revalued_layers([Layer(1, D(3), D("15.00"))], D("4.50"), 2)]
    [Decimal('13.50')]
    """
    return [
        Layer(ly.move_id, ly.quantity, quantize(ly.quantity * unit_cost, places)) for ly in layers
    ]
