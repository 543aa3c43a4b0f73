"""Receivables, payables and bank: open items, reconciliation, bank statements, balance
assertions, aging and the partner ledger. Amounts are decimal strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from hansa import ledger
from hansa.api.deps import ActorDep, ReadUowDep, UowDep
from hansa.api.payload import as_json

Day = date  # a field named "date" would shadow the type inside a model's body
router = APIRouter(prefix="/api/v1/ledger", tags=["ledger"])
reports = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Company = Query(None, description="Company code (needed when the tenant has several).")


class ReconcileIn(BaseModel):
    lines: list[int] = Field(min_length=1, description="Ids of posted lines.")
    write_off_account: str | None = None
    write_off_date: date | None = None
    exchange_account: str = Field(
        default=ledger.EXCHANGE_DIFFERENCES_CODE,
        description="Income or expense account for a realised exchange difference.",
    )


class StatementIn(BaseModel):
    account: str
    csv: str = Field(description="The statement CSV text, header first.")
    file_name: str = "statement.csv"
    mapping: dict[str, str] | None = Field(
        default=None, description='Column names, e.g. {"date": "Buchungstag"}.'
    )
    decimal_comma: bool = False
    date_format: str = "%Y-%m-%d"


class BankMatchIn(BaseModel):
    account: str


class LineMatchIn(BaseModel):
    line: int = Field(description="The open item's line id.")


class UnmatchIn(BaseModel):
    date: Day | None = Field(
        default=None, description="Date of the payment's reversal (default: the line's date)."
    )


class AssertionIn(BaseModel):
    account: str
    amount: Decimal = Field(description="Debit positive, credit negative.")
    date: date
    commodity: str | None = None


@router.get("/open-items")
def open_items(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    account: str | None = None,
    partner: str | None = None,
    as_of: date | None = None,
) -> list[Any]:
    return list(as_json(ledger.open_items(uow, actor, company, account, partner, as_of)))


@router.post("/reconciliations", status_code=status.HTTP_201_CREATED)
def reconcile(
    body: ReconcileIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(
        ledger.reconcile(
            uow,
            actor,
            company,
            body.lines,
            body.write_off_account,
            body.write_off_date,
            body.exchange_account,
        )
    )


@router.delete("/reconciliations/{reconciliation_id}")
def unreconcile(
    reconciliation_id: int, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    """Undo a reconciliation; returns what it had matched."""
    return as_json(ledger.unreconcile(uow, actor, company, reconciliation_id))


@router.post("/bank/statements", status_code=status.HTTP_201_CREATED)
def import_statement(
    body: StatementIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(
        ledger.import_bank_statement(
            uow,
            actor,
            company,
            body.account,
            body.csv.encode(),
            file_name=body.file_name,
            mapping=body.mapping,
            decimal_comma=body.decimal_comma,
            date_format=body.date_format,
        )
    )


@router.get("/bank/lines")
def statement_lines(
    account: str,
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    status: str | None = Query(None, description="unmatched or matched"),
) -> list[Any]:
    return list(as_json(ledger.list_statement_lines(uow, actor, company, account, status)))


@router.post("/bank/match")
def match_bank_lines(
    body: BankMatchIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    """Match exact statement lines; returns the matches and suggestions for the rest."""
    return as_json(ledger.match_bank_lines(uow, actor, company, body.account))


@router.post("/bank/lines/{statement_line_id}/match")
def match_bank_line(
    statement_line_id: int,
    body: LineMatchIn,
    actor: ActorDep,
    uow: UowDep,
    company: str | None = Company,
) -> Any:
    return as_json(ledger.match_bank_line(uow, actor, company, statement_line_id, body.line))


@router.post("/bank/lines/{statement_line_id}/unmatch")
def unmatch_bank_line(
    statement_line_id: int,
    body: UnmatchIn,
    actor: ActorDep,
    uow: UowDep,
    company: str | None = Company,
) -> Any:
    """Undo a statement line's match; returns the line as it was matched."""
    return as_json(ledger.unmatch_bank_line(uow, actor, company, statement_line_id, body.date))


@router.get("/bank/suggestions")
def bank_suggestions(
    account: str, actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> list[Any]:
    return list(as_json(ledger.bank_suggestions(uow, actor, company, account)))


@router.post("/balance-assertions", status_code=status.HTTP_201_CREATED)
def assert_balance(
    body: AssertionIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    found = ledger.assert_balance(
        uow, actor, company, body.account, body.amount, body.date, body.commodity
    )
    return {**as_json(found), "holds": found.holds}


@reports.get("/aging")
def aging(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    kind: str = Query("receivable", description="receivable or payable"),
    account: str | None = None,
    as_of: date | None = None,
) -> Any:
    report = ledger.aging(uow, actor, company, kind=kind, account=account, as_of=as_of)

    def rows(found: tuple[ledger.AgingRow, ...]) -> list[dict[str, Any]]:
        return [{**as_json(r), "total": str(r.total)} for r in found]

    return {
        "as_of": report.as_of,
        "accounts": list(report.accounts),
        "rows": rows(report.rows),
        "totals": rows(report.totals),
    }


@reports.get("/partner-ledger")
def partner_ledger(
    partner: str,
    start: date,
    end: date,
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
) -> Any:
    return as_json(ledger.partner_ledger(uow, actor, company, partner, start, end))
