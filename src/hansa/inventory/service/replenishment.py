"""Replenishment: what to order for products whose projected stock is under their
reorder minimum, in one warehouse or all, in whole purchase units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.inventory.domain.products import Product
from hansa.inventory.domain.replenishment import projected, reorder_proposal
from hansa.inventory.errors import WarehouseNotFound
from hansa.inventory.repository import catalog, sites
from hansa.inventory.repository import counting as repo
from hansa.inventory.service.scope import READ_PRODUCT, WRITE_PRODUCT, Scope, product, scope
from hansa.kernel import clock
from hansa.kernel.actor import Actor

ZERO = Decimal(0)


@dataclass(frozen=True)
class ReorderLine:
    sku: str
    name: str
    warehouse: str | None  # None: all warehouses together
    on_hand: Decimal
    reserved: Decimal
    incoming: Decimal  # draft receipts due within the lead time
    projected: Decimal  # on hand - reserved + incoming
    reorder_min: Decimal | None
    reorder_max: Decimal | None
    purchase_unit: str | None
    pack: Decimal | None  # base units in one purchase unit
    quantity: Decimal  # proposed, in base units
    arrives: date  # if ordered today, after the lead time

    @property
    def packs(self) -> Decimal | None:
        """The proposal in purchase units (boxes)."""
        return None if self.pack is None else self.quantity / self.pack


def _warehouse_id(uow: UnitOfWork, s: Scope, code: str | None) -> int | None:
    if code is None:
        return None
    found = sites.find_warehouses(uow.conn, s.id)
    if code not in found:
        raise WarehouseNotFound(f"there is no warehouse {code!r}")
    return found[code].id


def reorder(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    category: str | None = None,
    warehouse: str | None = None,
) -> list[ReorderLine]:
    """Products whose projected stock (on hand - reserved + draft receipts dated within
    their lead time) in *warehouse* (default: all together) is under their reorder
    minimum, with the quantity that brings them to their maximum, in whole purchase
    units when they have one."""
    actor.require(READ_PRODUCT)
    today = clock.today()
    with uow:
        s = scope(uow, company)
        warehouse_id = _warehouse_id(uow, s, warehouse)
        products = [p for p, _, _ in catalog.product_rows(uow.conn, s.id, category=category)]
        stock = repo.stock_by_product(uow.conn, s.id, warehouse_id)
        receipts = repo.draft_receipts(uow.conn, s.id, warehouse_id)
        packs = repo.packs(uow.conn, s.id)
    due: dict[int, list[tuple[date, Decimal]]] = {}
    for product_id, day, quantity in receipts:
        due.setdefault(product_id, []).append((day, quantity))
    lines = []
    for item in products:
        if item.reorder_min is None:
            continue
        arrives = today + timedelta(days=item.lead_time_days or 0)
        incoming = sum((q for day, q in due.get(item.id, []) if day <= arrives), ZERO)
        on_hand, reserved = stock.get(item.id, (ZERO, ZERO))
        expected = projected(on_hand, reserved, incoming)
        unit, pack = packs.get(item.id, (None, None))
        quantity = reorder_proposal(
            expected, minimum=item.reorder_min, maximum=item.reorder_max, pack=pack
        )
        if quantity > 0:
            lines.append(
                ReorderLine(
                    item.sku,
                    item.name,
                    warehouse,
                    on_hand,
                    reserved,
                    incoming,
                    expected,
                    item.reorder_min,
                    item.reorder_max,
                    unit,
                    pack,
                    quantity,
                    arrives,
                )
            )
    return lines


@use_case
def set_purchase_unit(
    uow: UnitOfWork, actor: Actor, company: str | None, sku: str, unit: str | None
) -> Product:
    """Order *sku* in whole *unit*s (one of its units, a box of 12), or in base units
    again when *unit* is None."""
    actor.require(WRITE_PRODUCT)
    with uow:
        s = scope(uow, company)
        item = product(uow, s, sku)
        if unit is not None:
            item.factor(unit)  # refuses a unit the product does not have
        before = repo.plans(uow.conn, s.id).get(item.id)
        repo.set_plan(uow.conn, s.id, item.id, {"purchase_unit": unit})
        audit.record(
            uow,
            actor,
            "inventory.product.purchase_unit",
            "product",
            f"{s.company.code}:{sku}",
            before={"purchase_unit": before.purchase_unit if before else None},
            after={"purchase_unit": unit},
        )
        uow.commit()
    return item
