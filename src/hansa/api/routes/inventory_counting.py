"""Inventory: ABC analysis, count sheets and replenishment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from hansa import inventory
from hansa.api.deps import ActorDep, IdPath, ReadUowDep, UowDep
from hansa.api.payload import as_json
from hansa.api.routes.inventory import Company

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])


class AbcIn(BaseModel):
    start: dt.date | None = Field(None, description="Default: twelve months before the end.")
    end: dt.date | None = Field(None, description="Default: today.")
    thresholds: str = Field("80,15,5", description="Shares of value of A, B and C in percent.")


class SheetIn(BaseModel):
    warehouse: str | None = Field(None, description="Default: every warehouse.")
    date: dt.date | None = None
    every: str = Field("A=1,B=3,C=12", description="Months between counts of each class.")


class CountIn(BaseModel):
    line: int = Field(ge=1)
    counted: Decimal = Field(ge=0)


class CountsIn(BaseModel):
    counts: list[CountIn] = Field(min_length=1)


class PurchaseUnitIn(BaseModel):
    unit: str | None = Field(None, description="One of the product's units; null: base units.")


def _analysis(done: inventory.AbcAnalysis) -> dict[str, Any]:
    return {**as_json(done), "thresholds": str(done.thresholds), "total": str(done.total)}


def _sheet(sheet: inventory.CountSheet) -> dict[str, Any]:
    body: dict[str, Any] = as_json(sheet)
    for line, shown in zip(sheet.lines, body["lines"], strict=True):
        shown["variance"] = as_json(line.variance)
    return body


@router.get("/abc")
def abc_preview(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    start: dt.date | None = None,
    end: dt.date | None = None,
    thresholds: str = "80,15,5",
) -> Any:
    """The ABC classes the products would get (a dry run: nothing is stored)."""
    done = inventory.classify_products(
        uow,
        actor,
        company,
        start=start,
        end=end,
        thresholds=inventory.parse_thresholds(thresholds),
        dry_run=True,
    )
    return _analysis(done)


@router.post("/abc")
def abc_classify(body: AbcIn, actor: ActorDep, uow: UowDep, company: str | None = Company) -> Any:
    """Classify the products by consumption value and store each class."""
    done = inventory.classify_products(
        uow,
        actor,
        company,
        start=body.start,
        end=body.end,
        thresholds=inventory.parse_thresholds(body.thresholds),
    )
    return _analysis(done)


@router.get("/classes")
def classes(actor: ActorDep, uow: ReadUowDep, company: str | None = Company) -> Any:
    """The ABC class stored on each product, its purchase unit and last count."""
    return as_json(inventory.list_classes(uow, actor, company))


@router.post("/count-sheets", status_code=status.HTTP_201_CREATED)
def create_sheet(body: SheetIn, actor: ActorDep, uow: UowDep, company: str | None = Company) -> Any:
    sheet = inventory.create_count_sheet(
        uow,
        actor,
        company,
        warehouse=body.warehouse,
        day=body.date,
        frequency=inventory.parse_frequency(body.every),
    )
    return _sheet(sheet)


@router.get("/count-sheets")
def list_sheets(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    state: Literal["open", "posted", "cancelled"] | None = None,
) -> Any:
    return [_sheet(s) for s in inventory.list_count_sheets(uow, actor, company, state=state)]


@router.get("/count-sheets/{sheet_id}")
def get_sheet(
    sheet_id: IdPath, actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> Any:
    return _sheet(inventory.get_count_sheet(uow, actor, company, sheet_id))


@router.post("/count-sheets/{sheet_id}/counts")
def enter_counts(
    sheet_id: IdPath, body: CountsIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    counts = [(c.line, c.counted) for c in body.counts]
    return _sheet(inventory.enter_counts(uow, actor, company, sheet_id, counts))


@router.post("/count-sheets/{sheet_id}/post")
def post_sheet(
    sheet_id: IdPath, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    """Post the variances as valued adjustment moves; the sheet becomes immutable."""
    return _sheet(inventory.post_count_sheet(uow, actor, company, sheet_id))


@router.post("/count-sheets/{sheet_id}/cancel")
def cancel_sheet(
    sheet_id: IdPath, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return _sheet(inventory.cancel_count_sheet(uow, actor, company, sheet_id))


@router.get("/reorder")
def reorder(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    warehouse: str | None = None,
    category: str | None = None,
) -> Any:
    """Products whose projected stock (on hand - reserved + receipts due within the lead
    time) is under their reorder minimum, with the quantity up to their maximum in whole
    purchase units."""
    lines = inventory.reorder(uow, actor, company, category=category, warehouse=warehouse)
    return [{**as_json(line), "packs": as_json(line.packs)} for line in lines]


@router.put("/products/{sku}/purchase-unit")
def purchase_unit(
    sku: str, body: PurchaseUnitIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    inventory.set_purchase_unit(uow, actor, company, sku, body.unit)
    return {"sku": sku, "purchase_unit": body.unit}
