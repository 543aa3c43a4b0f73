"""Replenishment: what to order for products under their reorder minimum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hansa.db.uow import UnitOfWork
from hansa.inventory.domain.products import plain, reorder_quantity
from hansa.inventory.repository import catalog
from hansa.inventory.repository import stock as repo
from hansa.inventory.service.scope import READ_PRODUCT, scope
from hansa.kernel import clock
from hansa.kernel.actor import Actor


@dataclass(frozen=True)
class ReorderLine:
    sku: str
    name: str
    on_hand: Decimal
    incoming: Decimal  # draft receipts not yet done
    reserved: Decimal
    reorder_min: Decimal
    reorder_max: Decimal | None
    quantity: Decimal  # proposed
    arrives: date  # if ordered today, after the lead time


def reorder(
    uow: UnitOfWork, actor: Actor, company: str | None, *, category: str | None = None
) -> list[ReorderLine]:
    """Products whose projected stock (on hand + incoming - reserved) is under their
    reorder minimum, with the quantity that brings them to their maximum."""
    actor.require(READ_PRODUCT)
    with uow:
        s = scope(uow, company)
        rows = catalog.product_rows(uow.conn, s.id, category=category)
        incoming = repo.incoming(uow.conn, s.id)
    today = clock.today()
    lines = []
    for product, on_hand, reserved in rows:
        coming = plain(incoming.get(product.id, Decimal(0)))
        quantity = reorder_quantity(product, on_hand, coming, reserved)
        if quantity > 0 and product.reorder_min is not None:
            lines.append(
                ReorderLine(
                    product.sku,
                    product.name,
                    plain(on_hand),
                    coming,
                    plain(reserved),
                    product.reorder_min,
                    product.reorder_max,
                    plain(quantity),
                    today + timedelta(days=product.lead_time_days or 0),
                )
            )
    return lines
