"""Column types that keep values exact on both SQLite and PostgreSQL.

SQLite's NUMERIC affinity stores floats, so exact numbers are stored as scaled
integers: ``ExactDecimal(6)`` stores 0.10 as 100000. Sums in SQL add integers and
stay exact; read them back through the same type (``sa.func.sum(col, type_=col.type)``
or :func:`exact_sum`).
"""

from __future__ import annotations

import decimal
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from hansa.kernel.errors import InvalidInput

MAX_SCALED = 2**63 - 1


# Scaling by it raises instead of rounding when a value has more digits than it keeps.
_EXACT = decimal.Context(
    prec=40, traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation]
)


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as a 64-bit integer of ``value * 10**scale``.

    A value with more decimals than *scale* is refused rather than silently rounded:
    rounding is a business decision made before persisting.
    """

    impl = sa.BigInteger
    cache_ok = True

    def __init__(self, scale: int = 6) -> None:
        super().__init__()
        self.scale = scale

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return self.bind_value(value)

    def bind_value(self, value: Any) -> int | None:
        """The stored integer of *value* (the same on every dialect)."""
        if type(value) is Decimal:  # the usual case, decided without taking digits apart
            try:
                scaled = value.scaleb(self.scale, context=_EXACT)
            except ArithmeticError:  # rounded away digits, or not finite: see below
                pass
            else:
                whole = int(scaled)
                if whole == scaled and -MAX_SCALED <= whole <= MAX_SCALED:
                    return whole
        if value is None:
            return None
        if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
            raise InvalidInput(
                f"exact column needs a Decimal or int, got {type(value).__name__}",
                code="money.float_refused",
            )
        number = Decimal(value)
        if not number.is_finite():
            raise InvalidInput(f"{value} is not a finite number", code="money.bad_number")
        # Decide from the digits themselves: arithmetic (and normalize) would round at the
        # context's 28 significant digits and hide surplus decimals.
        sign, digit_tuple, exponent = number.as_tuple()
        assert isinstance(exponent, int)
        digits = list(digit_tuple)
        while exponent < -self.scale and len(digits) > 1 and digits[-1] == 0:
            digits.pop()
            exponent += 1
        if exponent < -self.scale and any(digits):
            raise InvalidInput(
                f"{value} has more than {self.scale} decimal places",
                code="money.too_many_decimals",
            )
        coefficient = int("".join(map(str, digits)))
        shift = exponent + self.scale
        magnitude: int = coefficient * 10**shift if shift >= 0 else 0
        result = -magnitude if sign else magnitude
        if abs(result) > MAX_SCALED:
            raise InvalidInput(f"{value} is too large to store", code="money.out_of_range")
        return result

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale)

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


def exact_sum(column: sa.ColumnElement[Decimal]) -> sa.ColumnElement[Decimal]:
    """SUM over an exact column that reads back as a Decimal (0 when there are no rows)."""
    return sa.func.coalesce(sa.func.sum(column), 0, type_=column.type)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both engines (SQLite keeps no zone)."""

    impl = sa.DateTime
    cache_ok = True
    utc_naive = True  # stored as the naive UTC time (see hansa.db.prepared.quick_processor)

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise InvalidInput("timestamps must be timezone-aware", code="hansa.naive_datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
