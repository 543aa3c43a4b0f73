"""Companies, commodities, accounts, journals, fiscal years, periods and partners."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa

from hansa.db.prepared import Prepared
from hansa.db.uow import update_versioned
from hansa.ledger.domain.accounts import Account, AccountType
from hansa.ledger.domain.commodities import Commodity, iso_currency
from hansa.ledger.domain.periods import FiscalYear, Period, PeriodState
from hansa.ledger.tables import (
    accounts,
    commodities,
    companies,
    fiscal_years,
    journals,
    lines,
    partners,
    periods,
)


def insert_company(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(companies.insert().values(**values).returning(companies.c.id)).scalar_one()
    )


class CompanyRow(NamedTuple):
    """A row of ledger_companies."""

    id: int
    code: str
    name: str
    base_currency: str
    fiscal_year_start_month: int
    lock_date: date | None
    tax_rounding: str
    version: int
    books_stamp: int


_COMPANY_COLUMNS = [companies.c[name] for name in CompanyRow._fields]
_COMPANIES = Prepared(sa.select(*_COMPANY_COLUMNS).order_by(companies.c.code))
_COMPANY = Prepared(sa.select(*_COMPANY_COLUMNS).where(companies.c.code == sa.bindparam("code")))


def company_rows(conn: sa.Connection, code: str | None = None) -> list[CompanyRow]:
    """Every company (by code), or the one named *code*. Each posting starts here."""
    rows = _COMPANIES.run(conn, {}) if code is None else _COMPANY.run(conn, {"code": code})
    return [CompanyRow(*row) for row in rows]


def update_company(
    conn: sa.Connection, company_id: int, version: int, values: dict[str, object]
) -> None:
    update_versioned(conn, companies, companies.c.id == company_id, version, values, "company")


def find_commodity(conn: sa.Connection, code: str) -> Commodity | None:
    row = conn.execute(sa.select(commodities).where(commodities.c.code == code)).first()
    return None if row is None else Commodity(row.code, row.name, row.decimals, row.kind)


def decimals(conn: sa.Connection) -> Callable[[str], int]:
    """Decimals of any commodity code: declared ones, ISO currencies, else 6."""
    declared = {code: c.decimals for code, c in all_commodities(conn).items()}

    def of(code: str) -> int:
        if code in declared:
            return declared[code]
        iso = iso_currency(code)
        return iso.decimals if iso else 6

    return of


def all_commodities(conn: sa.Connection) -> dict[str, Commodity]:
    return {
        r.code: Commodity(r.code, r.name, r.decimals, r.kind)
        for r in conn.execute(sa.select(commodities))
    }


def insert_commodity(conn: sa.Connection, commodity: Commodity) -> None:
    conn.execute(
        commodities.insert().values(
            code=commodity.code,
            name=commodity.name,
            decimals=commodity.decimals,
            kind=commodity.kind,
        )
    )


def _account(row: sa.Row[Any]) -> Account:
    return Account(
        row.id,
        row.company_id,
        row.code,
        row.name,
        AccountType(row.type),
        row.parent_id,
        row.currency,
        row.reconcilable,
        row.active,
        row.version,
    )


def insert_account(conn: sa.Connection, values: dict[str, Any]) -> int:
    return int(
        conn.execute(accounts.insert().values(**values).returning(accounts.c.id)).scalar_one()
    )


def find_accounts(
    conn: sa.Connection, company_id: int, codes: Iterable[str] | None = None
) -> dict[str, Account]:
    query = sa.select(accounts).where(accounts.c.company_id == company_id)
    if codes is not None:
        query = query.where(accounts.c.code.in_(sorted(set(codes))))
    return {row.code: _account(row) for row in conn.execute(query.order_by(accounts.c.code))}


def account_by_id(conn: sa.Connection, account_id: int) -> Account | None:
    row = conn.execute(sa.select(accounts).where(accounts.c.id == account_id)).first()
    return None if row is None else _account(row)


def update_account(conn: sa.Connection, account: Account, values: dict[str, object]) -> None:
    update_versioned(
        conn,
        accounts,
        accounts.c.id == account.id,
        account.version,
        values,
        f"account {account.code}",
    )


def account_has_lines(conn: sa.Connection, account_id: int) -> bool:
    query = sa.select(lines.c.id).where(lines.c.account_id == account_id).limit(1)
    return conn.execute(query).first() is not None


def insert_journal(conn: sa.Connection, company_id: int, code: str, name: str, kind: str) -> int:
    query = journals.insert().values(company_id=company_id, code=code, name=name, kind=kind)
    return int(conn.execute(query.returning(journals.c.id)).scalar_one())


def journal_ids(conn: sa.Connection, company_id: int) -> dict[str, int]:
    query = sa.select(journals.c.code, journals.c.id).where(journals.c.company_id == company_id)
    return {row.code: int(row.id) for row in conn.execute(query)}


def journal_rows(conn: sa.Connection, company_id: int) -> list[sa.Row[Any]]:
    query = sa.select(journals).where(journals.c.company_id == company_id).order_by(journals.c.code)
    return list(conn.execute(query))


def insert_fiscal_year(
    conn: sa.Connection,
    company_id: int,
    name: str,
    start: date,
    end: date,
    months: Sequence[tuple[str, date, date]],
) -> int:
    query = fiscal_years.insert().values(company_id=company_id, name=name, start=start, end=end)
    fy_id = int(conn.execute(query.returning(fiscal_years.c.id)).scalar_one())
    conn.execute(
        periods.insert(),
        [
            {"company_id": company_id, "fiscal_year_id": fy_id, "name": n, "start": s, "end": e}
            for n, s, e in months
        ],
    )
    return fy_id


def _period(row: sa.Row[Any]) -> Period:
    return Period(
        row.id,
        row.company_id,
        row.fiscal_year_id,
        row.name,
        row.start,
        row.end,
        PeriodState(row.state),
        row.version,
    )


def period_for(conn: sa.Connection, company_id: int, day: date) -> Period | None:
    row = conn.execute(
        sa.select(periods).where(
            periods.c.company_id == company_id, periods.c.start <= day, periods.c.end >= day
        )
    ).first()
    return None if row is None else _period(row)


def period_by_name(conn: sa.Connection, company_id: int, name: str) -> Period | None:
    row = conn.execute(
        sa.select(periods).where(periods.c.company_id == company_id, periods.c.name == name)
    ).first()
    return None if row is None else _period(row)


def all_periods(conn: sa.Connection, company_id: int) -> list[Period]:
    query = sa.select(periods).where(periods.c.company_id == company_id).order_by(periods.c.start)
    return [_period(row) for row in conn.execute(query)]


def set_period_state(conn: sa.Connection, period: Period, state: PeriodState) -> None:
    update_versioned(
        conn,
        periods,
        periods.c.id == period.id,
        period.version,
        {"state": state.value},
        f"period {period.name}",
    )


def fiscal_year_rows(conn: sa.Connection, company_id: int) -> list[FiscalYear]:
    query = (
        sa.select(fiscal_years)
        .where(fiscal_years.c.company_id == company_id)
        .order_by(fiscal_years.c.start)
    )
    return [
        FiscalYear(r.id, r.company_id, r.name, r.start, r.end, PeriodState(r.state))
        for r in conn.execute(query)
    ]


def partner_ids(conn: sa.Connection, company_id: int, names: Iterable[str]) -> dict[str, int]:
    """Ids of the named partners, creating the missing ones."""
    wanted = sorted({n for n in names if n})
    if not wanted:
        return {}
    if len(wanted) == 1:  # a single posting's partner: the quick way
        params: dict[str, object] = {"company_id": company_id, "name": wanted[0]}
        found = _PARTNER.run(conn, params) or _NEW_PARTNER.run(conn, params)
        return {wanted[0]: int(found[0][0])}
    params = {"company_id": company_id, "names": wanted}
    known = {row.name: int(row.id) for row in conn.execute(_PARTNERS, params)}
    missing = [n for n in wanted if n not in known]
    if missing:
        conn.execute(partners.insert(), [{"company_id": company_id, "name": n} for n in missing])
        known.update({row.name: int(row.id) for row in conn.execute(_PARTNERS, params)})
    return known


_PARTNERS = sa.select(partners.c.name, partners.c.id).where(
    partners.c.company_id == sa.bindparam("company_id"),
    partners.c.name.in_(sa.bindparam("names", expanding=True)),
)
_PARTNER = Prepared(
    sa.select(partners.c.id).where(
        partners.c.company_id == sa.bindparam("company_id"),
        partners.c.name == sa.bindparam("name"),
    )
)
_NEW_PARTNER = Prepared(partners.insert().returning(partners.c.id))
