"""The general ledger: companies, accounts, periods, entries, reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from hansa import ledger
from hansa.api.deps import ActorDep, IdPath, ReadUowDep, UowDep
from hansa.api.payload import as_json
from hansa.kernel.errors import InvalidInput

Day = date  # a field named "date" would shadow the type inside a model's body
router = APIRouter(prefix="/api/v1/ledger", tags=["ledger"])
reports = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Company = Query(None, description="Company code (needed when the tenant has several).")
InBase = Query(
    False,
    description="One balance per account in the company currency (the booked value of "
    "foreign balances) instead of one per commodity.",
)


class CompanyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(min_length=3, max_length=3)
    chart: str = "standard"
    code: str | None = None
    fiscal_year_start_month: int = Field(default=1, ge=1, le=12)


class AccountIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    type: str
    parent: str | None = None
    currency: str | None = None
    reconcilable: bool = False


class AccountPatch(BaseModel):
    name: str | None = None
    reconcilable: bool | None = None
    expected_version: int | None = None


class LineIn(BaseModel):
    account: str
    amount: Decimal
    commodity: str = Field(default="", description="Default: the company currency.")
    weight: Decimal | None = None
    weight_currency: str | None = None
    partner: str | None = None
    due_date: date | None = None
    description: str | None = None
    cost_center: str | None = None
    tax_code: str | None = Field(
        default=None, description="On a tax line: the tax code it posts (for the tax report)."
    )
    tax_base: Decimal | None = Field(
        default=None, description="On a tax line: the base the tax was charged on."
    )


class EntryIn(BaseModel):
    journal: str = "GEN"
    date: Day
    narration: str = ""
    partner: str | None = None
    reference: str | None = None
    lines: list[LineIn] = Field(min_length=2)
    draft: bool = False


class ReverseIn(BaseModel):
    date: Day | None = None


def _dict(obj: Any) -> dict[str, Any]:
    result: dict[str, Any] = as_json(obj)
    return result


@router.post("/companies", status_code=status.HTTP_201_CREATED)
def create_company(body: CompanyIn, actor: ActorDep, uow: UowDep) -> dict[str, Any]:
    return _dict(
        ledger.create_company(
            uow,
            actor,
            name=body.name,
            currency=body.currency,
            chart=body.chart,
            code=body.code,
            fiscal_year_start_month=body.fiscal_year_start_month,
        )
    )


@router.get("/companies")
def list_companies(actor: ActorDep, uow: ReadUowDep) -> list[dict[str, Any]]:
    return [_dict(c) for c in ledger.list_companies(uow, actor)]


@router.get("/accounts")
def list_accounts(
    actor: ActorDep, uow: ReadUowDep, company: str | None = Company, include_archived: bool = False
) -> list[dict[str, Any]]:
    return [
        _dict(a)
        for a in ledger.list_accounts(uow, actor, company, include_archived=include_archived)
    ]


@router.post("/accounts", status_code=status.HTTP_201_CREATED)
def add_account(
    body: AccountIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.add_account(uow, actor, company, **body.model_dump()))


@router.get("/accounts/{code}")
def get_account(
    code: str, actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.get_account(uow, actor, company, code))


@router.patch("/accounts/{code}")
def update_account(
    code: str, body: AccountPatch, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.update_account(uow, actor, company, code, **body.model_dump()))


@router.post("/accounts/{code}/archive")
def archive_account(
    code: str, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.archive_account(uow, actor, company, code))


@router.get("/periods")
def list_periods(
    actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> list[dict[str, Any]]:
    return [_dict(p) for p in ledger.list_periods(uow, actor, company)]


@router.post("/periods/{name}/{action}")
def change_period(
    name: str, action: str, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    """*action*: close, reopen or lock."""
    target = {
        "close": ledger.PeriodState.closed,
        "reopen": ledger.PeriodState.open,
        "lock": ledger.PeriodState.locked,
    }.get(action)
    if target is None:
        raise InvalidInput(f"unknown period action {action!r}: close, reopen or lock")
    return _dict(ledger.set_period_state(uow, actor, company, name, target))


@router.post("/entries", status_code=status.HTTP_201_CREATED)
def record_entry(
    body: EntryIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    draft = ledger.EntryDraft(
        body.journal.upper(),
        body.date,
        tuple(ledger.LineDraft(**line.model_dump()) for line in body.lines),
        body.narration,
        body.partner,
        body.reference,
    )
    return _dict(ledger.record_entry(uow, actor, company, draft, post=not body.draft))


@router.get("/entries")
def list_entries(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    journal: str | None = None,
    start: date | None = None,
    end: date | None = None,
    state: str | None = None,
    limit: int = Query(100, ge=1, le=100_000),
) -> list[dict[str, Any]]:
    return [
        _dict(e)
        for e in ledger.list_entries(
            uow, actor, company, journal=journal, start=start, end=end, state=state, limit=limit
        )
    ]


@router.get("/entries/{entry_id}")
def get_entry(
    entry_id: IdPath, actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.get_entry(uow, actor, company, entry_id))


@router.post("/entries/{entry_id}/post")
def post_dict(
    entry_id: IdPath, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.post_draft(uow, actor, company, entry_id))


@router.post("/entries/{entry_id}/reverse", status_code=status.HTTP_201_CREATED)
def reverse_entry(
    entry_id: IdPath, body: ReverseIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    return _dict(ledger.reverse_entry(uow, actor, company, entry_id, body.date))


@router.delete("/entries/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_draft(
    entry_id: IdPath, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> None:
    ledger.delete_draft(uow, actor, company, entry_id)


@reports.get("/trial-balance")
def trial_balance(
    actor: ActorDep, uow: ReadUowDep, company: str | None = Company, as_of: date | None = None
) -> list[dict[str, str]]:
    """Debit balances positive, credit negative, zero balances left out."""
    return [
        {"account": r.account, "commodity": r.commodity, "balance": str(r.balance)}
        for r in ledger.trial_balance(uow, actor, company, as_of)
    ]


@reports.get("/balance-sheet")
def balance_sheet(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    as_of: date | None = None,
    in_base: bool = InBase,
) -> dict[str, Any]:
    return _dict(ledger.balance_sheet(uow, actor, company, as_of, in_base=in_base))


@reports.get("/income-statement")
def income_statement(
    actor: ActorDep,
    uow: ReadUowDep,
    start: date,
    end: date,
    company: str | None = Company,
    compare_start: date | None = None,
    compare_end: date | None = None,
    in_base: bool = InBase,
) -> dict[str, Any]:
    return _dict(
        ledger.income_statement(
            uow, actor, company, start, end, compare_start, compare_end, in_base=in_base
        )
    )


@reports.get("/general-ledger")
def general_ledger(
    actor: ActorDep,
    uow: ReadUowDep,
    start: date,
    end: date,
    company: str | None = Company,
    account: str | None = None,
) -> list[dict[str, Any]]:
    """Posted lines with running balances; each account opens with its prior balance."""
    return [_dict(r) for r in ledger.general_ledger(uow, actor, company, start, end, account)]
