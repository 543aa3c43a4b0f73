"""Commodities: ISO 4217 currencies and user-declared units (shares, hours...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from hansa.kernel.currencies import minor_units
from hansa.kernel.money import quantize, unit
from hansa.ledger.errors import BadLedgerInput

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]{0,15}$")
MAX_DECIMALS = 6


@dataclass(frozen=True)
class Commodity:
    code: str
    name: str
    decimals: int
    kind: str  # currency | commodity

    def round(self, amount: Decimal) -> Decimal:
        """Round to this commodity's decimals, ROUND_HALF_UP."""
        return quantize(amount, self.decimals)


def check_code(code: str) -> str:
    code = code.strip()
    if not _CODE.match(code):
        raise BadLedgerInput(
            f"commodity code {code!r} must start with a letter and have at most 16 letters, "
            "digits, '.', '_' or '-'",
            code="ledger.bad_commodity",
        )
    return code


def iso_currency(code: str) -> Commodity | None:
    places = minor_units(code)
    return None if places is None else Commodity(code, code, places, "currency")


def declared(code: str, decimals: int, name: str | None = None) -> Commodity:
    if not 0 <= decimals <= MAX_DECIMALS:
        raise BadLedgerInput(
            f"a commodity has 0 to {MAX_DECIMALS} decimals, not {decimals}",
            code="ledger.bad_commodity",
        )
    return Commodity(check_code(code), name or code, decimals, "commodity")


def shown(amount: Decimal, decimals: int) -> Decimal:
    """*amount* with exactly *decimals* places when that loses nothing (119.000000 ->
    119.00 for EUR); otherwise all the places it needs.

    >>> shown(Decimal("119.000000"), 2), shown(Decimal("0.125000"), 2)
    (Decimal('119.00'), Decimal('0.125'))
    """
    fitted = amount.quantize(unit(decimals))
    if fitted == amount:
        return fitted
    return amount.normalize() if amount.as_tuple().exponent != 0 else amount


def decimals_of(amount: Decimal) -> int:
    exponent = amount.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
