"""What the ledger's use cases share: finding the company and what posting needs."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from hansa.ledger.domain.accounts import Account
from hansa.ledger.domain.commodities import Commodity, iso_currency
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.periods import FiscalYear, Period
from hansa.ledger.errors import CompanyNotFound, NoPeriod, UnknownCommodity
from hansa.ledger.repository import books as repo


def _company(conn: sa.Connection, code: str | None) -> tuple[Company, int]:
    """The company named *code* (or the only one when *code* is None) and its books
    stamp."""
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
    found = Company(
        r.id,
        r.code,
        r.name,
        r.base_currency,
        r.fiscal_year_start_month,
        r.lock_date,
        r.tax_rounding,
        r.version,
    )
    return found, int(r.books_stamp)


def company(conn: sa.Connection, code: str | None) -> Company:
    """The company named *code*, or the only company when *code* is None."""
    return _company(conn, code)[0]


@dataclass
class Books:
    """A company's accounts, journals, periods and commodities, loaded once for a
    transaction that posts many entries."""

    company: Company
    accounts: dict[str, Account]
    journals: dict[str, int]
    periods: list[Period]
    commodities: dict[str, Commodity]
    fiscal_years: dict[int, FiscalYear] = field(default_factory=dict)
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

    def _known(self, code: str) -> Commodity | None:
        found = self.commodities.get(code)
        if found is None:
            found = iso_currency(code)
            if found is not None:  # remembered: a posting asks several times per line
                self.commodities[code] = found
        return found

    def places(self, code: str) -> int:
        """Decimals of a commodity code: declared, ISO 4217, else 6."""
        found = self._known(code)
        return found.decimals if found else 6

    def commodity(self, code: str) -> Commodity:
        found = self._known(code)
        if found is None:
            raise UnknownCommodity(
                f"unknown commodity {code!r}: declare it with 'hansa ledger commodity add'"
            )
        return found


@dataclass(frozen=True)
class _Loaded:
    accounts: dict[str, Account]
    journals: dict[str, int]
    periods: list[Period]
    commodities: dict[str, Commodity]
    fiscal_years: dict[int, FiscalYear]


# What was last loaded per database and company, with the books stamp it was read
# under. Triggers give the stamp a new random value in the transaction that changes
# the books (see migration 0007), so a stamp read now that equals the kept one means
# nothing changed — in this process or any other — and a rolled-back change cannot
# leave a matching stamp behind.
_kept: dict[tuple[object, ...], tuple[int, _Loaded]] = {}


def _loaded(conn: sa.Connection, company_id: int, stamp: int) -> _Loaded:
    url = conn.engine.url  # its parts: hashing the URL itself renders it as text
    key = (url.drivername, url.host, url.port, url.database, url.username, company_id)
    kept = _kept.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    loaded = _Loaded(
        repo.find_accounts(conn, company_id),
        repo.journal_ids(conn, company_id),
        repo.all_periods(conn, company_id),
        repo.all_commodities(conn),
        {fy.id: fy for fy in repo.fiscal_year_rows(conn, company_id)},
    )
    _kept[key] = (stamp, loaded)
    return loaded


def load_books(conn: sa.Connection, company_code: str | None) -> Books:
    """What posting needs about a company. One query reads the company and its books
    stamp; the accounts, journals, periods and commodities are read again only when
    the stamp says they changed. The caller gets its own copies to add to."""
    found, stamp = _company(conn, company_code)
    loaded = _loaded(conn, found.id, stamp)
    return Books(
        found,
        dict(loaded.accounts),
        dict(loaded.journals),
        list(loaded.periods),
        dict(loaded.commodities),
        dict(loaded.fiscal_years),
    )
