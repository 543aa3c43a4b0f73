"""Fiscal years and their periods: open -> closed (reopenable) -> locked (final)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hansa.ledger.errors import ClosedPeriod, PeriodStateViolation


class PeriodState(StrEnum):
    open = "open"
    closed = "closed"
    locked = "locked"


@dataclass(frozen=True)
class Period:
    id: int
    company_id: int
    fiscal_year_id: int
    name: str
    start: date
    end: date
    state: PeriodState
    version: int = 1


@dataclass(frozen=True)
class FiscalYear:
    id: int
    company_id: int
    name: str
    start: date
    end: date
    state: PeriodState


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fiscal_year_bounds(day: date, start_month: int) -> tuple[date, date]:
    """The fiscal year containing *day* when years start on the 1st of *start_month*.

    >>> fiscal_year_bounds(date(2026, 3, 15), 7)
    (datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))
    """
    year = day.year if day.month >= start_month else day.year - 1
    start = date(year, start_month, 1)
    return start, add_months(start, 12) - timedelta(days=1)


def fiscal_year_name(start: date, end: date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year % 100:02d}"


def monthly_periods(start: date, end: date) -> list[tuple[str, date, date]]:
    """(name, first day, last day) of each month of a fiscal year."""
    result = []
    current = start
    while current <= end:
        last = add_months(current, 1) - timedelta(days=1)
        result.append((f"{current:%Y-%m}", current, min(last, end)))
        current = last + timedelta(days=1)
    return result


_ALLOWED = {
    (PeriodState.open, PeriodState.closed),
    (PeriodState.closed, PeriodState.open),
    (PeriodState.open, PeriodState.locked),
    (PeriodState.closed, PeriodState.locked),
}


def check_transition(period: Period, target: PeriodState) -> None:
    if period.state == target:
        raise PeriodStateViolation(f"period {period.name} is already {target}")
    if (period.state, target) not in _ALLOWED:
        raise PeriodStateViolation(
            f"period {period.name} is {period.state} and can never be {target} again"
            if period.state is PeriodState.locked
            else f"period {period.name} cannot go from {period.state} to {target}"
        )


def check_postable(period: Period, lock_date: date | None, day: date) -> None:
    """Posting on *day* needs an open period after the company's lock date."""
    if period.state is not PeriodState.open:
        raise ClosedPeriod(
            f"period {period.name} is {period.state}: nothing can be posted on {day}",
            details={"period": period.name, "date": str(day)},
        )
    if lock_date is not None and day <= lock_date:
        raise ClosedPeriod(
            f"the books are locked up to {lock_date}: nothing can be posted on {day}",
            details={"lock_date": str(lock_date), "date": str(day)},
        )
