"""What the ledger's use cases share: finding the company and what posting needs."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from hansa.ledger.domain.accounts import Account
from hansa.ledger.domain.commodities import Commodity, iso_currency
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.periods import Period
from hansa.ledger.errors import CompanyNotFound, NoPeriod, UnknownCommodity
from hansa.ledger.repository import books as repo


def company(conn: sa.Connection, code: str | None) -> Company:
    """The company named *code*, or the only company when *code* is None."""
    rows = repo.company_rows(conn, code)
    if not rows:
        if code is None:
            raise CompanyNotFound(
                "there is no company yet: run 'hansa ledger company add' "
                "(or 'hansa init --company NAME --currency CODE')"
            )
        raise CompanyNotFound(f"there is no company {code!r}")
    if len(rows) > 1:
        raise CompanyNotFound(
            f"there are {len(rows)} companies ({', '.join(r.code for r in rows)}): "
            "name one with --company",
            code="ledger.company_ambiguous",
        )
    r = rows[0]
    return Company(
        r.id,
        r.code,
        r.name,
        r.base_currency,
        r.fiscal_year_start_month,
        r.lock_date,
        r.tax_rounding,
        r.version,
    )


@dataclass
class Books:
    """A company's accounts, journals, periods and commodities, loaded once for a
    transaction that posts many entries."""

    company: Company
    accounts: dict[str, Account]
    journals: dict[str, int]
    periods: list[Period]
    commodities: dict[str, Commodity]
    _starts: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [p.start for p in self.periods]

    def period_for(self, day: date) -> Period:
        index = bisect.bisect_right(self._starts, day) - 1
        if index >= 0 and self.periods[index].end >= day:
            return self.periods[index]
        raise NoPeriod(
            f"no fiscal period covers {day}: open its year with "
            f"'hansa ledger period open-year {day.year}'",
            details={"date": str(day)},
        )

    def commodity(self, code: str) -> Commodity:
        found = self.commodities.get(code) or iso_currency(code)
        if found is None:
            raise UnknownCommodity(
                f"unknown commodity {code!r}: declare it with 'hansa ledger commodity add'"
            )
        return found


def load_books(
    conn: sa.Connection, company_code: str | None, accounts: Iterable[str] | None = None
) -> Books:
    """What posting needs about a company; with *accounts*, only those accounts are
    loaded (a single entry needs a handful, not the whole chart)."""
    found = company(conn, company_code)
    return Books(
        found,
        repo.find_accounts(conn, found.id, accounts),
        repo.journal_ids(conn, found.id),
        repo.all_periods(conn, found.id),
        repo.all_commodities(conn),
    )
