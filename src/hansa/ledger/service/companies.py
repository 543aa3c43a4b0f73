"""Companies: create one with its chart, journals and current fiscal year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.ledger.domain.accounts import CHARTS
from hansa.ledger.domain.commodities import iso_currency
from hansa.ledger.domain.company import (
    JOURNALS,
    Company,
    check_company_code,
    check_start_month,
    company_code_from,
)
from hansa.ledger.errors import BadLedgerInput, DuplicateCode
from hansa.ledger.repository import books as repo
from hansa.ledger.service.books import company as find_company
from hansa.ledger.service.periods import open_year_in

WRITE = "ledger.company.write"


@use_case
def create_company(
    uow: UnitOfWork,
    actor: Actor,
    *,
    name: str,
    currency: str,
    chart: str = "standard",
    code: str | None = None,
    fiscal_year_start_month: int = 1,
    year_of: date | None = None,
) -> Company:
    """A company with the accounts of *chart*, the standard journals and the fiscal year
    containing *year_of* (today by default) opened."""
    actor.require(WRITE)
    code = check_company_code(code or company_code_from(name))
    currency = currency.strip().upper()
    if iso_currency(currency) is None:
        raise BadLedgerInput(
            f"{currency!r} is not an ISO 4217 currency", code="ledger.bad_currency"
        )
    if chart not in CHARTS:
        raise BadLedgerInput(
            f"unknown chart {chart!r}: choose {', '.join(CHARTS)}", code="ledger.unknown_chart"
        )
    if not name.strip():
        raise BadLedgerInput("a company needs a name", code="ledger.bad_company_name")
    check_start_month(fiscal_year_start_month)
    with uow:
        if repo.company_rows(uow.conn, code):
            raise DuplicateCode(f"there is already a company {code!r}")
        company_id = repo.insert_company(
            uow.conn,
            {
                "code": code,
                "name": name.strip(),
                "base_currency": currency,
                "fiscal_year_start_month": fiscal_year_start_month,
                "created_at": clock.now(),
            },
        )
        ids: dict[str, int] = {}
        for line in CHARTS[chart]:
            ids[line.code] = repo.insert_account(
                uow.conn,
                {
                    "company_id": company_id,
                    "code": line.code,
                    "name": line.name,
                    "type": line.type.value,
                    "parent_id": ids.get(line.parent or ""),
                    "reconcilable": line.reconcilable,
                },
            )
        for journal_code, journal_name, kind in JOURNALS:
            repo.insert_journal(uow.conn, company_id, journal_code, journal_name, kind)
        company = find_company(uow.conn, code)
        open_year_in(uow.conn, company, year_of or clock.today())
        audit.record(
            uow,
            actor,
            "ledger.company.create",
            "company",
            code,
            after={
                "name": company.name,
                "base_currency": currency,
                "chart": chart,
                "accounts": len(ids),
            },
        )
        publish(uow, DomainEvent("ledger.company_created", {"code": code}))
        uow.commit()
    return company


def list_companies(uow: UnitOfWork, actor: Actor) -> list[Company]:
    actor.require("ledger.company.read")
    with uow:
        return [find_company(uow.conn, row.code) for row in repo.company_rows(uow.conn)]


@use_case
def set_lock_date(
    uow: UnitOfWork, actor: Actor, company: str | None, lock_date: date | None
) -> Company:
    """Nothing can be posted on or before the lock date, whatever the period's state."""
    actor.require("ledger.period.close")
    with uow:
        found = find_company(uow.conn, company)
        repo.update_company(uow.conn, found.id, found.version, {"lock_date": lock_date})
        audit.record(
            uow,
            actor,
            "ledger.company.lock_date",
            "company",
            found.code,
            before={"lock_date": found.lock_date},
            after={"lock_date": lock_date},
        )
        uow.commit()
    return replace(found, lock_date=lock_date, version=found.version + 1)
