"""Taxes: tax codes, groups, computation, rounding, and the tax report (amounts and
rates as decimal strings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from hansa import ledger
from hansa.api.deps import ActorDep, ReadUowDep, UowDep
from hansa.api.payload import as_json

router = APIRouter(prefix="/api/v1/ledger/taxes", tags=["taxes"])
reports = APIRouter(prefix="/api/v1/reports", tags=["reports"])
Company = Query(None, description="Company code (needed when the tenant has several).")


class TaxCodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    rate: Decimal = Field(description="Percent: 7.7 means 7.7 %.")
    account: str
    price_included: bool = False
    compound: bool = False
    sequence: int = 10


class TaxCodePatch(BaseModel):
    name: str | None = None
    account: str | None = None
    sequence: int | None = None
    expected_version: int | None = None


class TaxGroupIn(BaseModel):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    members: list[str] = Field(min_length=1, description="Tax codes, in the order they apply.")


class TaxableLineIn(BaseModel):
    amount: Decimal
    taxes: list[str] = Field(default=[], description="Tax codes or groups, in order.")


class ComputeIn(BaseModel):
    lines: list[TaxableLineIn] = Field(min_length=1)
    currency: str | None = None


class RoundingIn(BaseModel):
    mode: Literal["line", "document"]


@router.get("")
def list_tax_codes(
    actor: ActorDep, uow: ReadUowDep, company: str | None = Company, include_archived: bool = False
) -> Any:
    codes = ledger.list_tax_codes(uow, actor, company, include_archived=include_archived)
    return as_json(codes)


@router.post("", status_code=status.HTTP_201_CREATED)
def add_tax_code(
    body: TaxCodeIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(ledger.add_tax_code(uow, actor, company, **body.model_dump()))


@router.get("/groups")
def list_tax_groups(actor: ActorDep, uow: ReadUowDep, company: str | None = Company) -> Any:
    return as_json(ledger.list_tax_groups(uow, actor, company))


@router.post("/groups", status_code=status.HTTP_201_CREATED)
def add_tax_group(
    body: TaxGroupIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(ledger.add_tax_group(uow, actor, company, **body.model_dump()))


@router.post("/compute")
def compute_taxes(
    body: ComputeIn, actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> Any:
    """The taxes of a document, rounded per line or per document as the company says."""
    lines = [ledger.TaxableLine(ln.amount, tuple(ln.taxes)) for ln in body.lines]
    return as_json(ledger.compute_taxes(uow, actor, company, lines, body.currency))


@router.put("/rounding")
def set_tax_rounding(
    body: RoundingIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(ledger.set_tax_rounding(uow, actor, company, body.mode))


@router.patch("/{code}")
def update_tax_code(
    code: str, body: TaxCodePatch, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(ledger.update_tax_code(uow, actor, company, code, **body.model_dump()))


@router.post("/{code}/archive")
def archive_tax_code(code: str, actor: ActorDep, uow: UowDep, company: str | None = Company) -> Any:
    return as_json(ledger.archive_tax_code(uow, actor, company, code))


@reports.get("/tax")
def tax_report(
    actor: ActorDep,
    uow: ReadUowDep,
    start: date = Query(..., alias="from"),
    end: date = Query(..., alias="to"),
    company: str | None = Company,
) -> Any:
    """Base and tax posted per tax code and commodity from *from* to *to*, as posted
    (credit negative)."""
    return as_json(ledger.tax_report(uow, actor, company, start, end))
