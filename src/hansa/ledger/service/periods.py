"""Fiscal years and periods: open a year, close, reopen and lock periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel.actor import Actor
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.periods import (
    FiscalYear,
    Period,
    PeriodState,
    check_transition,
    fiscal_year_bounds,
    fiscal_year_name,
    monthly_periods,
)
from hansa.ledger.errors import DuplicateCode, PeriodNotFound, PeriodStateViolation
from hansa.ledger.repository import books as repo
from hansa.ledger.service.books import company as find_company


def open_year_in(conn: sa.Connection, company: Company, day: date) -> FiscalYear | None:
    """Create the fiscal year containing *day* with monthly periods, unless it exists.
    Returns the year created, or None."""
    start, end = fiscal_year_bounds(day, company.fiscal_year_start_month)
    if any(fy.start == start for fy in repo.fiscal_year_rows(conn, company.id)):
        return None
    name = fiscal_year_name(start, end)
    fy_id = repo.insert_fiscal_year(conn, company.id, name, start, end, monthly_periods(start, end))
    return FiscalYear(fy_id, company.id, name, start, end, PeriodState.open)


@use_case
def open_fiscal_year(uow: UnitOfWork, actor: Actor, company: str | None, day: date) -> FiscalYear:
    actor.require("ledger.period.close")
    with uow:
        found = find_company(uow.conn, company)
        year = open_year_in(uow.conn, found, day)
        if year is None:
            raise DuplicateCode(f"the fiscal year containing {day} is already open")
        audit.record(
            uow,
            actor,
            "ledger.year.open",
            "fiscal_year",
            f"{found.code}:{year.name}",
            after={"start": year.start, "end": year.end},
        )
        uow.commit()
        return year


def list_periods(uow: UnitOfWork, actor: Actor, company: str | None) -> list[Period]:
    actor.require("ledger.period.read")
    with uow:
        return repo.all_periods(uow.conn, find_company(uow.conn, company).id)


@use_case
def set_period_state(
    uow: UnitOfWork, actor: Actor, company: str | None, name: str, state: PeriodState
) -> Period:
    """Close (open -> closed), reopen (closed -> open) or lock (for ever) a period."""
    actor.require("ledger.period.close")
    with uow:
        found = find_company(uow.conn, company)
        period = repo.period_by_name(uow.conn, found.id, name)
        if period is None:
            raise PeriodNotFound(f"there is no period {name!r} (periods are named YYYY-MM)")
        check_transition(period, state)
        if state is PeriodState.open and any(
            fy.id == period.fiscal_year_id and fy.state is not PeriodState.open
            for fy in repo.fiscal_year_rows(uow.conn, found.id)
        ):
            raise PeriodStateViolation(
                f"period {name} belongs to a closed fiscal year: its result is already in "
                "retained earnings, so it cannot be reopened"
            )
        repo.set_period_state(uow.conn, period, state)
        audit.record(
            uow,
            actor,
            f"ledger.period.{state.value}",
            "period",
            f"{found.code}:{name}",
            before={"state": period.state.value},
            after={"state": state.value},
        )
        uow.commit()
    return replace(period, state=state, version=period.version + 1)
