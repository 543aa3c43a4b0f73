"""Inventory: stock moves, drafts and counter-moves, on hand, valuation, lots and
expiry, and the inventory-status report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from hansa import inventory
from hansa.api.deps import ActorDep, IdPath, ReadUowDep, UowDep
from hansa.api.payload import as_json
from hansa.api.routes.inventory import Company, product_line

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])
reports = APIRouter(prefix="/api/v1/reports", tags=["reports"])


class MoveItem(BaseModel):
    kind: Literal["receipt", "issue", "transfer", "adjustment", "scrap"]
    product: str
    quantity: Decimal = Field(gt=0)
    source: str | None = None
    destination: str | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    unit_cost: Decimal | None = None
    unit: str | None = None
    date: dt.date | None = None
    reference: str | None = None
    partner: str | None = None
    reason: str | None = Field(None, description="Why; needed to move an expired lot out.")


class MoveIn(MoveItem):
    draft: bool = Field(False, description="Only plan it: a draft out of stock reserves.")


class BatchIn(BaseModel):
    moves: list[MoveItem] = Field(min_length=1, max_length=10_000)


class CountIn(BaseModel):
    counted: Decimal = Field(ge=0)
    location: str | None = None
    lot: str | None = None
    reason: str = "stock count"
    unit_cost: Decimal | None = None
    date: dt.date | None = None


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
    date: dt.date | None = None


class CompleteIn(BaseModel):
    reason: str | None = None


class RevalueIn(BaseModel):
    unit_cost: Decimal = Field(ge=0)
    reason: str = Field(min_length=1, max_length=500)
    date: dt.date | None = None


class LotIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    expiry: dt.date | None = None


@router.post("/moves", status_code=status.HTTP_201_CREATED)
def make_move(body: MoveIn, actor: ActorDep, uow: UowDep, company: str | None = Company) -> Any:
    fields = body.model_dump(exclude={"draft"})
    move = inventory.move_stock(
        uow, actor, company, inventory.MoveRequest(**fields), done=not body.draft
    )
    return as_json(move)


@router.post("/moves/batch", status_code=status.HTTP_201_CREATED)
def make_moves(body: BatchIn, actor: ActorDep, uow: UowDep, company: str | None = Company) -> Any:
    """Done moves, in order, in one transaction: all or none (a refused move is named by
    its place in the list, from 1, in the problem's ``index``)."""
    requests = [inventory.MoveRequest(**m.model_dump()) for m in body.moves]
    return as_json(inventory.move_stock_many(uow, actor, company, requests))


@router.get("/moves")
def list_moves(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    sku: str | None = None,
    state: Literal["draft", "done", "cancelled"] | None = None,
    limit: int = Query(100, ge=1, le=100000),
) -> Any:
    return as_json(inventory.list_moves(uow, actor, company, sku=sku, state=state, limit=limit))


@router.get("/moves/{move_id}")
def get_move(
    move_id: IdPath, actor: ActorDep, uow: ReadUowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.get_move(uow, actor, company, move_id))


@router.post("/moves/{move_id}/done")
def complete_move(
    move_id: IdPath, body: CompleteIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.complete_move(uow, actor, company, move_id, reason=body.reason))


@router.post("/moves/{move_id}/cancel")
def cancel_move(
    move_id: IdPath, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.cancel_move(uow, actor, company, move_id))


@router.post("/moves/{move_id}/counter", status_code=status.HTTP_201_CREATED)
def counter_move(
    move_id: IdPath, body: ReasonIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(
        inventory.counter_move(uow, actor, company, move_id, reason=body.reason, day=body.date)
    )


@router.post("/products/{sku}/count")
def count_stock(
    sku: str, body: CountIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    """Set on hand to a count; the difference is a valued adjustment (null: no change)."""
    move = inventory.count_stock(
        uow,
        actor,
        company,
        sku,
        body.counted,
        where=body.location,
        lot=body.lot,
        reason=body.reason,
        unit_cost=body.unit_cost,
        day=body.date,
    )
    return as_json(move)


@router.post("/products/{sku}/revalue")
def revalue(
    sku: str, body: RevalueIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    """Value the product's stock at a new unit cost; the difference is posted."""
    done = inventory.revalue_stock(
        uow, actor, company, sku, body.unit_cost, reason=body.reason, day=body.date
    )
    return {**as_json(done), "difference": str(done.difference)}


@router.get("/on-hand")
def on_hand(
    actor: ActorDep, uow: ReadUowDep, company: str | None = Company, sku: str | None = None
) -> Any:
    """On hand, reserved and available per product, location and lot (sales reads it)."""
    lines = inventory.on_hand(uow, actor, company, sku)
    return [{**as_json(line), "available": str(line.available)} for line in lines]


@router.get("/valuation")
def valuation(actor: ActorDep, uow: ReadUowDep, company: str | None = Company) -> Any:
    report = inventory.valuation(uow, actor, company)
    return {
        "products": [{**as_json(ln), "unit_cost": as_json(ln.unit_cost)} for ln in report.lines],
        "accounts": [
            {"account": code, "stock_value": str(stock), "ledger_balance": str(books)}
            for code, (stock, books) in report.accounts.items()
        ],
        "warehouses": as_json(report.warehouses),
        "ties": report.ties,
    }


@router.get("/expiring")
def expiring(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    within_days: int = Query(30, ge=0),
) -> Any:
    found = inventory.expiring(uow, actor, company, within_days=within_days)
    return [{**as_json(lot), "on_hand": str(qty)} for lot, qty in found]


@router.get("/products/{sku}/pick")
def pick(
    sku: str,
    actor: ActorDep,
    uow: ReadUowDep,
    quantity: Decimal = Query(gt=0),
    company: str | None = Company,
) -> Any:
    """Where to pick *quantity* from: first expired, first out."""
    return as_json(inventory.pick(uow, actor, company, sku, quantity))


@router.post("/products/{sku}/lots", status_code=status.HTTP_201_CREATED)
def add_lot(
    sku: str, body: LotIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.add_lot(uow, actor, company, sku, body.code, body.expiry))


@reports.get("/inventory-status")
def inventory_status(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    low_stock_only: bool = False,
    threshold: Decimal | None = None,
    category: str | None = None,
) -> Any:
    if low_stock_only:
        lines = inventory.low_stock(uow, actor, company, threshold=threshold, category=category)
    else:
        lines = inventory.list_products(uow, actor, company, category=category)
    return [product_line(ln) for ln in lines]
