"""Inventory: products, categories, units, warehouses and locations (quantities,
prices and costs as decimal strings)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from hansa import inventory
from hansa.api.deps import ActorDep, ReadUowDep, UowDep
from hansa.api.payload import as_json

router = APIRouter(prefix="/api/v1/inventory", tags=["inventory"])
Company = Query(None, description="Company code (needed when the tenant has several).")


class ProductIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    price: Decimal
    cost: Decimal | None = Field(None, description="Default: the category's percent of price.")
    category_code: str | None = None
    description: str = ""
    unit: str = "unit"
    tracking: Literal["none", "lot", "serial"] = "none"
    shelf_life_days: int | None = None
    reorder_min: Decimal | None = None
    reorder_max: Decimal | None = None
    lead_time_days: int | None = None
    allow_negative: bool = False
    quantity: Decimal | None = Field(None, description="Opening stock (an adjustment move).")


class ProductPatch(BaseModel):
    name: str | None = None
    description: str | None = None
    price: Decimal | None = None
    cost: Decimal | None = None
    quantity: Decimal | None = Field(None, description="Counted main stock: moves the difference.")
    reorder_min: Decimal | None = None
    reorder_max: Decimal | None = None
    lead_time_days: int | None = None
    shelf_life_days: int | None = None
    allow_negative: bool | None = None
    active: bool | None = None
    expected_version: int | None = None


class UnitIn(BaseModel):
    name: str = Field(min_length=1, max_length=16)
    factor: Decimal = Field(gt=0)


class CategoryIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    valuation: Literal["fifo", "average"] = "fifo"
    inventory_account: str = "1200"
    received_account: str = "2050"
    cost_of_sales_account: str = "5000"
    adjustment_account: str = "5100"
    scrap_account: str = "5200"
    cost_percent: Decimal | None = None


class WarehouseIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)


class LocationIn(BaseModel):
    parent: str
    code: str = Field(min_length=1, max_length=64)
    name: str | None = None


def product_line(line: inventory.ProductLine) -> dict[str, Any]:
    return {
        **as_json(line.product),
        "on_hand": str(line.on_hand),
        "reserved": str(line.reserved),
        "available": str(line.available),
        "status": line.status,
        "margin_percent": as_json(line.product.margin_percent),
    }


@router.get("/products")
def list_products(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    category: str | None = None,
    search: str | None = None,
    sort_by: Literal["sku", "name", "price", "cost", "quantity"] = "sku",
    order: Literal["asc", "desc"] = "asc",
    page: int = Query(1, ge=1),
    limit: int = Query(50, ge=1, le=10000),
    include_archived: bool = False,
) -> Any:
    lines = inventory.list_products(
        uow,
        actor,
        company,
        category=category,
        search=search,
        sort_by=sort_by,
        descending=order == "desc",
        include_archived=include_archived,
    )
    shown = lines[(page - 1) * limit : page * limit]
    return {"total": len(lines), "page": page, "items": [product_line(ln) for ln in shown]}


@router.post("/products", status_code=status.HTTP_201_CREATED)
def add_product(
    body: ProductIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    added = inventory.add_product(uow, actor, company, **body.model_dump())
    return {**as_json(added.product), "cost_rule": added.cost_rule}


@router.get("/products/low-stock")
def low_stock(
    actor: ActorDep,
    uow: ReadUowDep,
    company: str | None = Company,
    threshold: Decimal | None = None,
) -> Any:
    return [
        product_line(ln) for ln in inventory.low_stock(uow, actor, company, threshold=threshold)
    ]


@router.get("/products/{sku}")
def get_product(sku: str, actor: ActorDep, uow: ReadUowDep, company: str | None = Company) -> Any:
    return as_json(inventory.get_product(uow, actor, company, sku))


@router.patch("/products/{sku}")
def update_product(
    sku: str, body: ProductPatch, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.update_product(uow, actor, company, sku, **body.model_dump()))


@router.delete("/products/{sku}", status_code=status.HTTP_204_NO_CONTENT)
def remove_product(
    sku: str, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Response:
    """Delete a product that never moved; one with history is refused (archive it)."""
    inventory.remove_product(uow, actor, company, sku)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/products/{sku}/units", status_code=status.HTTP_201_CREATED)
def add_unit(
    sku: str, body: UnitIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.add_unit(uow, actor, company, sku, body.name, body.factor))


@router.get("/categories")
def list_categories(actor: ActorDep, uow: ReadUowDep, company: str | None = Company) -> Any:
    return as_json(inventory.list_categories(uow, actor, company))


@router.post("/categories", status_code=status.HTTP_201_CREATED)
def add_category(
    body: CategoryIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    accounts = inventory.CategoryAccounts(
        body.inventory_account,
        body.received_account,
        body.cost_of_sales_account,
        body.adjustment_account,
        body.scrap_account,
    )
    made = inventory.add_category(
        uow,
        actor,
        company,
        code=body.code,
        name=body.name,
        valuation=body.valuation,
        accounts=accounts,
        cost_percent=body.cost_percent,
    )
    return as_json(made)


@router.get("/warehouses")
def list_warehouses(actor: ActorDep, uow: ReadUowDep, company: str | None = Company) -> Any:
    return as_json(inventory.list_warehouses(uow, actor, company))


@router.post("/warehouses", status_code=status.HTTP_201_CREATED)
def add_warehouse(
    body: WarehouseIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.add_warehouse(uow, actor, company, code=body.code, name=body.name))


@router.get("/locations")
def list_locations(
    actor: ActorDep, uow: ReadUowDep, company: str | None = Company, warehouse: str | None = None
) -> Any:
    return as_json(inventory.list_locations(uow, actor, company, warehouse=warehouse))


@router.post("/locations", status_code=status.HTTP_201_CREATED)
def add_location(
    body: LocationIn, actor: ActorDep, uow: UowDep, company: str | None = Company
) -> Any:
    return as_json(inventory.add_location(uow, actor, company, **body.model_dump()))
