"""Exchange rates, revaluation and the year-end close.

Amounts and rates are decimal strings, never JSON numbers (which clients read as
binary floats)."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from hansa import ledger
from hansa.api.deps import ActorDep, ReadUowDep, UowDep

router = APIRouter(prefix="/api/v1/ledger", tags=["ledger"])
Company = Query(None, description="Company code (needed when the tenant has several).")


def _json(value: Any) -> Any:
    """*value* with dataclasses as dicts and every Decimal as a string."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value


class RateIn(BaseModel):
    currency: str = Field(min_length=1, max_length=16)
    date: date
    rate: Decimal = Field(description="Company-currency units per 1 unit of the currency.")


class RatesCsvIn(BaseModel):
    csv: str = Field(description="CSV text with the header date,currency,rate.")


class RevaluationIn(BaseModel):
    date: date
    account: str = Field(default="7900", description="Income or expense account.")
    preview: bool = Field(default=False, description="Compute only; post nothing.")
    reverse_next_day: bool = False


class YearCloseIn(BaseModel):
    retained_earnings_account: str = "3900"


@router.post("/fx/rates", status_code=status.HTTP_201_CREATED)
def set_rate(
    body: RateIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    return dict(_json(ledger.set_rate(uow, actor, company, body.currency, body.date, body.rate)))


@router.get("/fx/rates")
def list_rates(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    currency: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict[str, Any]]:
    return list(_json(ledger.list_rates(uow, actor, company, currency, start, end)))


@router.post("/fx/rates/import")
def import_rates(
    body: RatesCsvIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    """All or nothing; a refusal lists every bad line (the header is line 1)."""
    rows = csv.DictReader(io.StringIO(body.csv))
    return dict(_json(ledger.import_rates(uow, actor, company, rows)))


@router.get("/fx/convert")
def convert(
    amount: Decimal,
    currency: str,
    day: date,
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
) -> dict[str, str]:
    """*amount* of *currency* in the company currency on *day* (ROUND_HALF_UP)."""
    value = ledger.convert(uow, actor, company, amount, currency, day)
    return {"amount": str(amount), "currency": currency.upper(), "value": str(value)}


@router.post("/revaluations")
def revalue(
    body: RevaluationIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> dict[str, Any]:
    result = ledger.revalue(
        uow,
        actor,
        company,
        body.date,
        body.account,
        post=not body.preview,
        reverse_next_day=body.reverse_next_day,
    )
    return {
        **_json(result),
        "rows": [{**_json(r), "difference": str(r.difference)} for r in result.rows],
        "total": str(result.total),
    }


@router.post("/years/{name}/close")
def close_year(
    name: str,
    actor: ActorDep,
    uow: UowDep,
    body: YearCloseIn | None = None,
    company: str | None = Company,
) -> dict[str, Any]:
    account = (body or YearCloseIn()).retained_earnings_account
    return dict(_json(ledger.close_fiscal_year(uow, actor, company, name, account)))
