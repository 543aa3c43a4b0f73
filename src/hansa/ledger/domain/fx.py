"""Exchange rates, conversion into the company currency and revaluation (pure).

A rate is the number of company-currency units one unit of a currency is worth on a
day: in a EUR company, ``USD 0.92`` means 1 USD = 0.92 EUR. A rate holds for its day
and every later day until the next rate of that currency.

Converted amounts are rounded once, to the company currency's minor unit, with
``ROUND_HALF_UP`` (commercial rounding, halves away from zero) -- the same rounding a
foreign-currency line gets when it is posted without an explicit weight:

>>> to_base(Decimal("10.25"), Decimal("0.5"), 2)      # 5.125 EUR
Decimal('5.13')
>>> to_base(Decimal("-10.25"), Decimal("0.5"), 2)
Decimal('-5.13')
>>> to_base(Decimal("3.33"), Decimal("151.5"), 0)     # 504.495 JPY
Decimal('504')
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from hansa.kernel.money import quantize
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.entries import Entry, LineDraft
from hansa.ledger.domain.holdings import Holding
from hansa.ledger.errors import BadLedgerInput

RATE_DECIMALS = 10  # the scale of the stored rate
MAX_RATE = Decimal("900000000")  # what a rate column of 10 decimals can hold


@dataclass(frozen=True)
class FxRate:
    currency: str
    day: date
    rate: Decimal  # company-currency units per 1 unit of *currency*


def to_base(amount: Decimal, rate: Decimal, places: int) -> Decimal:
    """*amount* times *rate*, rounded to *places* decimals (ROUND_HALF_UP)."""
    return quantize(amount * rate, places)


def check_rate(rate: Decimal) -> Decimal:
    """A rate must be positive, fit the stored precision and stay below MAX_RATE."""
    if not rate.is_finite() or rate <= 0:
        raise BadLedgerInput(f"a rate must be positive, not {rate}", code="ledger.bad_rate")
    if quantize(rate, RATE_DECIMALS) != rate:
        raise BadLedgerInput(
            f"rate {rate} has more than {RATE_DECIMALS} decimals", code="ledger.bad_rate"
        )
    if rate > MAX_RATE:
        raise BadLedgerInput(
            f"rate {rate} is too large (at most {MAX_RATE})", code="ledger.bad_rate"
        )
    return rate


def parse_rate_row(row: Mapping[str, str | None]) -> tuple[str, date, Decimal]:
    """(currency as written, day, rate) of a CSV row ``date,currency,rate``."""
    text = {key: (row.get(key) or "").strip() for key in ("date", "currency", "rate")}
    missing = [key for key, value in text.items() if not value]
    if missing:
        raise BadLedgerInput(f"no {' and no '.join(missing)}", code="ledger.bad_rate_row")
    try:
        day = date.fromisoformat(text["date"])
    except ValueError:
        raise BadLedgerInput(
            f"date {text['date']!r} is not YYYY-MM-DD", code="ledger.bad_rate_row"
        ) from None
    try:
        rate = Decimal(text["rate"])
    except InvalidOperation:
        raise BadLedgerInput(
            f"rate {text['rate']!r} is not a number", code="ledger.bad_rate_row"
        ) from None
    return text["currency"], day, check_rate(rate)


@dataclass(frozen=True)
class Revaluation:
    """One account's foreign balance valued again: *difference* is what the revaluation
    entry debits (positive) or credits (negative) to the account's company-currency
    value."""

    account: str
    commodity: str
    balance: Decimal  # in *commodity*
    rate: Decimal | None  # None: the balance is zero, no rate was needed
    old_value: Decimal  # company currency, as carried by the books
    new_value: Decimal  # company currency, at *rate*

    @property
    def difference(self) -> Decimal:
        return self.new_value - self.old_value


@dataclass(frozen=True)
class RevaluationResult:
    day: date
    currency: str  # the company currency, of every value
    rows: tuple[Revaluation, ...]
    entry: Entry | None = None  # None when nothing changed, or on a preview
    reversal: Entry | None = None

    @property
    def total(self) -> Decimal:
        """The net change of value: positive is an unrealised gain."""
        return sum((row.difference for row in self.rows), Decimal(0))


def foreign_positions(
    holdings: Iterable[Holding], base: str, is_currency: Callable[[str], bool]
) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(account, currency) -> (foreign balance, company-currency value) of every
    foreign-currency holding; the value is the sum of its weights in *base*."""
    positions: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 2)
    for held in holdings:
        if held.commodity == base or not is_currency(held.commodity):
            continue
        position = positions[(held.account, held.commodity)]
        position[0] += held.amount
        if held.weight_currency == base:
            position[1] += held.weight
    return {key: (amount, value) for key, (amount, value) in positions.items()}


def revaluations(
    positions: Mapping[tuple[str, str], tuple[Decimal, Decimal]],
    rates: Mapping[str, Decimal],
    base: str,
    places: Callable[[str], int],
) -> tuple[Revaluation, ...]:
    """The positions whose value at *rates* differs from the value carried, sorted by
    account and currency; new values are rounded to *base*'s minor unit. A zero balance
    is worth zero at any rate, so a value left on a settled account (a realised
    difference nobody booked) is cleared as well.

    >>> row, = revaluations({("1010", "USD"): (Decimal("1000"), Decimal("920"))},
    ...                     {"USD": Decimal("0.95")}, "EUR", lambda code: 2)
    >>> row.old_value, row.new_value, row.difference
    (Decimal('920.00'), Decimal('950.00'), Decimal('30.00'))
    """
    rows = []
    for (account, currency), (balance, value) in sorted(positions.items()):
        rate = rates.get(currency) if balance else None
        new = to_base(balance, rate if rate is not None else Decimal(0), places(base))
        if new != value:
            old = shown(value, places(base))
            rows.append(
                Revaluation(account, currency, shown(balance, places(currency)), rate, old, new)
            )
    return tuple(rows)


def revaluation_lines(
    rows: Iterable[Revaluation], base: str, gain_loss_account: str
) -> tuple[LineDraft, ...]:
    """The lines of a revaluation entry: per account, a zero amount of its currency
    weighing the difference in the company currency (the foreign balance stays as it
    is, only its value changes); the net goes to *gain_loss_account*."""
    lines = [
        LineDraft(
            row.account,
            row.commodity,
            Decimal(0),
            row.difference,
            base,
            description=f"{row.balance} {row.commodity} at {row.rate or 0}: "
            f"{row.old_value} -> {row.new_value} {base}",
        )
        for row in rows
    ]
    total = sum((line.weight or Decimal(0) for line in lines), Decimal(0))
    if total:
        lines.append(
            LineDraft(gain_loss_account, base, -total, description="Unrealised exchange result")
        )
    return tuple(lines)
