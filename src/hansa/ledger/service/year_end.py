"""The year-end close, and the income statement's view without closing entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Conflict
from hansa.kernel.events import DomainEvent
from hansa.ledger.domain.accounts import RETAINED_EARNINGS_CODE, AccountType
from hansa.ledger.domain.closing import (
    CLOSING_JOURNAL,
    check_closable,
    closing_lines,
    without_closing,
)
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.entries import Entry, EntryDraft, LineDraft
from hansa.ledger.domain.periods import FiscalYear, PeriodState
from hansa.ledger.domain.reports import BalanceRow
from hansa.ledger.errors import AccountNotFound, AccountRuleViolation, FiscalYearNotFound
from hansa.ledger.repository import books as books_repo
from hansa.ledger.repository import postings
from hansa.ledger.repository import year_end as repo
from hansa.ledger.repository.holdings import holdings
from hansa.ledger.service.books import Books, load_books
from hansa.ledger.service.posting import resolved, store

PROFIT_AND_LOSS = ("income", "expense")


@dataclass(frozen=True)
class YearClosing:
    year: FiscalYear
    entry: Entry | None  # None when the year had no income or expenses
    result: dict[str, Decimal]  # moved to retained earnings, per currency; negative = profit


def _year(conn: sa.Connection, company_id: int, name: str) -> tuple[FiscalYear, list[FiscalYear]]:
    years = books_repo.fiscal_year_rows(conn, company_id)
    for year in years:
        if year.name == name:
            return year, years
    raise FiscalYearNotFound(
        f"there is no fiscal year {name!r} (years: {', '.join(y.name for y in years) or 'none'})"
    )


def _check_retained_earnings(books: Books, code: str) -> None:
    account = books.accounts.get(code)
    if account is None:
        raise AccountNotFound(f"there is no retained earnings account {code!r}")
    if account.type is not AccountType.equity:
        raise AccountRuleViolation(
            f"account {code} is {account.type.value}: the year's result goes to an equity "
            "account (retained earnings)"
        )


@use_case
def close_fiscal_year(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    year_name: str,
    retained_earnings_account: str = RETAINED_EARNINGS_CODE,
) -> YearClosing:
    """Close a fiscal year: post the closing entry on its last day (journal CLO, created
    when first needed), which brings every income and expense account to zero in each
    commodity and moves the result into *retained_earnings_account*; then close every
    open period of the year and the year itself.

    Refused when the year is closed already, an earlier year is still open, or drafts
    are dated in the year. If the year's last period was closed month by month, it is
    reopened for the closing entry within the same transaction; a lock date or a locked
    last period refuses the close like any posting. The income statement leaves closing
    entries out, so the closed year still shows its result.
    """
    actor.require("ledger.period.close")
    actor.require("ledger.entry.post")
    with uow:
        conn = uow.conn
        books = load_books(conn, company)
        year, years = _year(conn, books.company.id, year_name)
        check_closable(year, years, repo.draft_ids(conn, books.company.id, year.start, year.end))
        _check_retained_earnings(books, retained_earnings_account)
        if not repo.close_fiscal_year(conn, year.id):
            raise Conflict(
                f"fiscal year {year.name} was closed by someone else meanwhile",
                code="db.stale_version",
            )
        lines = closing_lines(
            holdings(conn, books.company.id, PROFIT_AND_LOSS, year.start, year.end),
            retained_earnings_account,
            lambda code: books.commodity(code).decimals,
        )
        entry = _post_closing(uow, actor, books, year, lines) if lines else None
        for period in books_repo.all_periods(conn, books.company.id):
            if period.fiscal_year_id == year.id and period.state is PeriodState.open:
                books_repo.set_period_state(conn, period, PeriodState.closed)
        result = {
            ln.commodity: shown(ln.amount, books.commodity(ln.commodity).decimals)
            for ln in lines
            if ln.account == retained_earnings_account
        }
        audit.record(
            uow,
            actor,
            "ledger.year.close",
            "fiscal_year",
            f"{books.company.code}:{year.name}",
            before={"state": year.state.value},
            after={
                "state": PeriodState.closed.value,
                "entry": entry.number if entry else None,
                "result": result,
            },
        )
        publish(
            uow,
            DomainEvent(
                "ledger.year_closed",
                {
                    "company": books.company.code,
                    "year": year.name,
                    "entry_id": entry.id if entry else None,
                },
            ),
        )
        uow.commit()
    return YearClosing(replace(year, state=PeriodState.closed), entry, result)


def _post_closing(
    uow: UnitOfWork, actor: Actor, books: Books, year: FiscalYear, lines: tuple[LineDraft, ...]
) -> Entry:
    conn = uow.conn
    code, name, kind = CLOSING_JOURNAL
    if code not in books.journals:
        books_repo.insert_journal(conn, books.company.id, code, name, kind)
    last = books.period_for(year.end)
    if last.state is PeriodState.closed:
        books_repo.set_period_state(conn, last, PeriodState.open)
    books = load_books(conn, books.company.code)  # the new journal and period state
    draft = EntryDraft(
        code, year.end, lines, f"Closing of fiscal year {year.name}", reference="closing"
    )
    (stored,) = store(
        conn,
        books,
        [resolved(books, draft, None)],
        post=True,
        created_by=actor.username,
        at=clock.now(),
    )
    entry = postings.get_entry(conn, books.company.id, stored.entry_id)
    assert entry is not None, "an entry just posted exists"
    return entry


def without_closing_entries(
    conn: sa.Connection,
    company_id: int,
    rows: Iterable[BalanceRow],
    start: date,
    end: date,
    weight_currency: str | None = None,
) -> list[BalanceRow]:
    """Income statement rows between *start* and *end* as if no closing entry had been
    posted: a closed year still shows its income, expenses and result. With
    *weight_currency* the rows are weights in that currency (see the reports)."""
    places = books_repo.decimals(conn)
    closing = [
        BalanceRow(r.code, r.name, r.type, r.commodity, r.balance)
        for r in repo.journal_balances(
            conn, company_id, CLOSING_JOURNAL[0], start, end, weight_currency
        )
        if r.type in PROFIT_AND_LOSS
    ]
    return [
        replace(row, balance=shown(row.balance, places(row.commodity)))
        for row in without_closing(rows, closing)
    ]
