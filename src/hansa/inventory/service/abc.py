"""ABC analysis: rank products by consumption value over a period and store each one's
class (with the date of the analysis), so that count sheets count A products most
often."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.inventory.domain.abc import (
    DEFAULT_THRESHOLDS,
    AbcClass,
    Consumption,
    Thresholds,
    add_months,
    classify,
)
from hansa.inventory.errors import BadInventoryInput
from hansa.inventory.repository import catalog
from hansa.inventory.repository import counting as repo
from hansa.inventory.service.scope import READ_PRODUCT, READ_VALUATION, WRITE_PRODUCT, scope
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import quantize


@dataclass(frozen=True)
class AbcLine:
    sku: str
    name: str
    consumption_value: Decimal
    cumulative_percent: Decimal
    abc_class: AbcClass
    previous: AbcClass | None  # the class stored before this analysis


@dataclass(frozen=True)
class AbcAnalysis:
    start: date
    end: date
    thresholds: Thresholds
    analysed_on: date
    stored: bool  # False for a dry run
    lines: tuple[AbcLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.consumption_value for line in self.lines), Decimal(0))

    def count(self, abc: AbcClass) -> int:
        return sum(1 for line in self.lines if line.abc_class is abc)


@dataclass(frozen=True)
class ProductClass:
    """What is stored on a product for counting and ordering."""

    sku: str
    name: str
    abc_class: AbcClass | None
    consumption_value: Decimal | None
    classified_on: date | None
    purchase_unit: str | None
    last_counted: date | None  # the latest posted count, in any warehouse


def default_period(end: date) -> tuple[date, date]:
    """The twelve months up to *end*: 2026-11-30 -> 2025-12-01 .. 2026-11-30."""
    return add_months(end, -12) + timedelta(days=1), end


@use_case
def classify_products(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    start: date | None = None,
    end: date | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    dry_run: bool = False,
) -> AbcAnalysis:
    """Classify the active products A, B or C by the value of what left stock for
    customers, production or scrap from *start* to *end* (default: the last twelve
    months), net of returns; store each class unless *dry_run*. A change of class is
    audited per product."""
    actor.require(READ_VALUATION if dry_run else WRITE_PRODUCT)
    today = clock.today()
    start, end = (start, end or today) if start else default_period(end or today)
    if start > end:
        raise BadInventoryInput(
            f"the period starts after it ends ({start} > {end})", code="inventory.bad_period"
        )
    with uow:
        s = scope(uow, company)
        products = [p for p, _, _ in catalog.product_rows(uow.conn, s.id)]
        values = repo.consumption(uow.conn, s.id, start, end)
        plans = repo.plans(uow.conn, s.id)
        ranked = classify(
            [Consumption(p.sku, values.get(p.id, Decimal(0))) for p in products], thresholds
        )
        by_sku = {p.sku: p for p in products}
        lines = []
        for c in ranked:
            item = by_sku[c.sku]
            plan = plans.get(item.id)
            before = AbcClass(plan.abc_class) if plan and plan.abc_class else None
            lines.append(
                AbcLine(
                    c.sku,
                    item.name,
                    quantize(c.value, s.places),
                    c.cumulative_percent,
                    c.abc_class,
                    before,
                )
            )
            if dry_run:
                continue
            repo.set_plan(
                uow.conn,
                s.id,
                item.id,
                {"abc_class": c.abc_class.value, "abc_value": c.value, "abc_date": today},
            )
            if before is not c.abc_class:
                audit.record(
                    uow,
                    actor,
                    "inventory.product.classify",
                    "product",
                    f"{s.company.code}:{c.sku}",
                    before={"abc_class": before.value if before else None},
                    after={
                        "abc_class": c.abc_class.value,
                        "consumption_value": c.value,
                        "period": f"{start}..{end}",
                        "thresholds": str(thresholds),
                    },
                )
        analysis = AbcAnalysis(start, end, thresholds, today, not dry_run, tuple(lines))
        if not dry_run:
            publish(
                uow,
                DomainEvent(
                    "inventory.abc_classified",
                    {
                        "company": s.company.code,
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "classes": {k.value: analysis.count(k) for k in AbcClass},
                    },
                ),
            )
            uow.commit()
    return analysis


def list_classes(uow: UnitOfWork, actor: Actor, company: str | None) -> list[ProductClass]:
    """The active products with their stored ABC class, purchase unit and the date of
    their latest posted count, by SKU."""
    actor.require(READ_PRODUCT)
    with uow:
        s = scope(uow, company)
        products = [p for p, _, _ in catalog.product_rows(uow.conn, s.id)]
        plans = repo.plans(uow.conn, s.id)
        counted: dict[int, date] = {}
        for (product_id, _), day in repo.last_counted(uow.conn, s.id).items():
            counted[product_id] = max(day, counted.get(product_id, day))
    lines = []
    for p in products:
        plan = plans.get(p.id)
        value = plan.abc_value if plan is not None else None
        lines.append(
            ProductClass(
                p.sku,
                p.name,
                AbcClass(plan.abc_class) if plan is not None and plan.abc_class else None,
                None if value is None else quantize(value, s.places),
                plan.abc_date if plan is not None else None,
                plan.purchase_unit if plan is not None else None,
                counted.get(p.id),
            )
        )
    return lines
