"""The year-end close: moving the year's income and expenses into retained earnings.

The closing entry is posted on the year's last day in its own journal (CLO), so the
income statement can leave it out: the accountant reading a closed year wants its
result, not the zeros the closing leaves behind. The balance sheet includes it, and
shows the result in retained earnings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from hansa.kernel.money import unit
from hansa.ledger.domain.entries import LineDraft
from hansa.ledger.domain.holdings import Holding
from hansa.ledger.domain.periods import FiscalYear, PeriodState
from hansa.ledger.domain.reports import BalanceRow
from hansa.ledger.errors import DraftsOutstanding, PeriodStateViolation

CLOSING_JOURNAL = ("CLO", "Closing", "closing")  # code, name, kind


def check_closable(year: FiscalYear, years: Iterable[FiscalYear], drafts: Sequence[int]) -> None:
    """A year closes once, after every earlier year, and with no drafts left in it."""
    if year.state is not PeriodState.open:
        raise PeriodStateViolation(
            f"fiscal year {year.name} is already {year.state}", code="ledger.year_closed"
        )
    earlier = [y.name for y in years if y.end < year.start and y.state is PeriodState.open]
    if earlier:
        raise PeriodStateViolation(
            f"fiscal year {earlier[-1]} is still open: close it before {year.name}",
            code="ledger.year_order",
        )
    if drafts:
        shown = ", ".join(str(i) for i in drafts[:10]) + (", ..." if len(drafts) > 10 else "")
        raise DraftsOutstanding(
            f"fiscal year {year.name} has {len(drafts)} draft entr"
            f"{'y' if len(drafts) == 1 else 'ies'} ({shown}): post or delete "
            f"{'it' if len(drafts) == 1 else 'them'} before closing the year",
            details={"drafts": list(drafts)},
        )


def closing_lines(
    holdings: Iterable[Holding], retained_earnings: str, places: Callable[[str], int]
) -> tuple[LineDraft, ...]:
    """Lines that bring every income and expense holding to zero, amount and weight,
    and put the sum of their weights into *retained_earnings*, per weight currency.

    A foreign holding is zeroed in its own currency and weighs its company-currency
    value. One whose amounts did not cancel while its weights did (a refund at another
    rate) would need a line of non-zero amount weighing zero, which no entry may hold,
    so it closes with two lines: the amount weighing one minor unit, and a zero amount
    weighing that unit back.

    >>> h = Holding("4000", "EUR", "EUR", Decimal("-500.00"), Decimal("-500.00"))
    >>> [(ln.account, ln.amount, ln.weight) for ln in closing_lines([h], "3900", lambda c: 2)]
    [('4000', Decimal('500.00'), Decimal('500.00')), ('3900', Decimal('-500.00'), None)]
    """
    lines: list[LineDraft] = []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for held in holdings:
        if held.amount == 0 and held.weight == 0:
            continue
        currency = held.weight_currency
        if held.amount != 0 and held.weight == 0 and held.commodity != currency:
            minor = unit(places(currency))
            lines.append(LineDraft(held.account, held.commodity, -held.amount, -minor, currency))
            lines.append(LineDraft(held.account, held.commodity, Decimal(0), minor, currency))
        else:
            lines.append(
                LineDraft(held.account, held.commodity, -held.amount, -held.weight, currency)
            )
        totals[currency] += held.weight
    lines += [
        LineDraft(retained_earnings, currency, total)
        for currency, total in sorted(totals.items())
        if total
    ]
    return tuple(lines)


def without_closing(rows: Iterable[BalanceRow], closing: Iterable[BalanceRow]) -> list[BalanceRow]:
    """*rows* (balances of a period) less what closing entries contributed to them,
    zero balances left out, sorted by account and commodity."""
    merged: dict[tuple[str, str], BalanceRow] = {}
    for row in rows:
        merged[(row.account, row.commodity)] = row
    for row in closing:
        key = (row.account, row.commodity)
        found = merged.get(key)
        balance = (found.balance if found else Decimal(0)) - row.balance
        merged[key] = BalanceRow(row.account, row.name, row.type, row.commodity, balance)
    return [row for key, row in sorted(merged.items()) if row.balance != 0]
