"""Exact amounts: :class:`Money` (an amount in a currency) and :class:`Quantity`.

Amounts are :class:`~decimal.Decimal`; a float is refused at construction because
binary floats cannot hold 0.10 exactly. Arithmetic keeps full precision; rounding
happens only where :meth:`Money.rounded` is called, to the currency's ISO 4217 minor
unit, with ``ROUND_HALF_UP`` (commercial rounding: 0.125 EUR -> 0.13, -0.125 -> -0.13)
unless another mode is passed.

>>> Money.of("0.10", "EUR") * 3
Money(amount=Decimal('0.30'), currency='EUR')
>>> [str(part) for part in Money.of("10", "EUR").allocate([1, 1, 1])]
['3.34 EUR', '3.33 EUR', '3.33 EUR']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hansa.kernel.currencies import minor_units
from hansa.kernel.errors import InvalidInput

DEFAULT_ROUNDING = ROUND_HALF_UP

Number = Decimal | int | str


def to_decimal(value: Number) -> Decimal:
    """Parse *value* exactly; floats and non-finite numbers are refused.

    >>> to_decimal("1.50"), to_decimal(2)
    (Decimal('1.50'), Decimal('2'))
    """
    if isinstance(value, bool | float):
        raise InvalidInput(
            f"{value!r} is a float; pass amounts as Decimal, int or str",
            code="money.float_refused",
        )
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{value!r} is not a number", code="money.bad_number") from None
    if not result.is_finite():
        raise InvalidInput(f"{value!r} is not a finite number", code="money.bad_number")
    return result


def unit(places: int) -> Decimal:
    """The smallest step with *places* decimals: 2 -> Decimal('0.01')."""
    return _UNITS[places] if 0 <= places < len(_UNITS) else Decimal(1).scaleb(-places)


_UNITS = tuple(Decimal(1).scaleb(-places) for places in range(19))


def quantize(amount: Decimal, places: int, rounding: str = DEFAULT_ROUNDING) -> Decimal:
    """Round *amount* to *places* decimals (commercial rounding by default)."""
    return amount.quantize(unit(places), rounding=rounding)


def currency_places(currency: str) -> int:
    places = minor_units(currency)
    if places is None:
        raise InvalidInput(f"{currency!r} is not an ISO 4217 currency", code="money.bad_currency")
    return places


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise InvalidInput("Money needs a Decimal amount", code="money.float_refused")
        currency_places(self.currency)

    @classmethod
    def of(cls, amount: Number, currency: str) -> Money:
        return cls(to_decimal(amount), currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency.upper())

    @property
    def places(self) -> int:
        return currency_places(self.currency)

    def rounded(self, rounding: str = DEFAULT_ROUNDING) -> Money:
        """This amount rounded to the currency's minor unit."""
        return Money(quantize(self.amount, self.places, rounding), self.currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise InvalidInput(
                f"cannot combine {self.currency} with {other.currency}",
                code="money.currency_mismatch",
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Number) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def allocate(self, ratios: Sequence[Number]) -> tuple[Money, ...]:
        """Split the rounded amount by *ratios* so that the parts add up exactly.

        Leftover minor units go one each to the first parts, largest share first.
        """
        weights = [to_decimal(r) for r in ratios]
        total_weight = sum(weights, Decimal(0))
        if not weights or total_weight <= 0 or any(w < 0 for w in weights):
            raise InvalidInput("allocation needs non-negative ratios with a positive sum")
        minor = unit(self.places)
        total = self.rounded().amount
        raw = [total * w / total_weight for w in weights]
        parts = [quantize(r, self.places, "ROUND_DOWN" if total >= 0 else "ROUND_UP") for r in raw]
        leftover = total - sum(parts, Decimal(0))
        step = minor if leftover >= 0 else -minor
        order = sorted(range(len(parts)), key=lambda i: (-(abs(raw[i] - parts[i])), i))
        index = 0
        while leftover != 0:
            parts[order[index % len(parts)]] += step
            leftover -= step
            index += 1
        return tuple(Money(p, self.currency) for p in parts)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount of a unit of measure (pieces, kg, hours); never a float."""

    amount: Decimal
    unit: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise InvalidInput("Quantity needs a Decimal amount", code="money.float_refused")
        if not self.unit:
            raise InvalidInput("a quantity needs a unit", code="money.bad_unit")

    @classmethod
    def of(cls, amount: Number, unit: str) -> Quantity:
        return cls(to_decimal(amount), unit)

    def _same(self, other: Quantity) -> None:
        if other.unit != self.unit:
            raise InvalidInput(
                f"cannot combine {self.unit} with {other.unit}", code="money.unit_mismatch"
            )

    def __add__(self, other: Quantity) -> Quantity:
        self._same(other)
        return Quantity(self.amount + other.amount, self.unit)

    def __sub__(self, other: Quantity) -> Quantity:
        self._same(other)
        return Quantity(self.amount - other.amount, self.unit)

    def __neg__(self) -> Quantity:
        return Quantity(-self.amount, self.unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"
