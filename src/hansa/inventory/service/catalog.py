"""Product categories and products."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.inventory.domain.moves import MoveKind
from hansa.inventory.domain.products import (
    DEFAULT_ACCOUNTS,
    Category,
    CategoryAccounts,
    Product,
    check_amount,
    check_code,
    check_name,
    parse_tracking,
    parse_valuation,
)
from hansa.inventory.errors import BadInventoryInput, DuplicateCode, ProductHasHistory
from hansa.inventory.repository import catalog as repo
from hansa.inventory.service.moves import MoveRequest, make_move_within
from hansa.inventory.service.scope import (
    READ_PRODUCT,
    WRITE_PRODUCT,
    Scope,
    category,
    check_accounts,
    ensure_defaults,
    product,
    scope,
)
from hansa.inventory.service.stock import count_within
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import quantize


def _category_snapshot(c: Category) -> dict[str, object]:
    return {
        "code": c.code,
        "name": c.name,
        "valuation": c.valuation.value,
        "accounts": c.accounts.__dict__,
        "cost_percent": c.cost_percent,
    }


@use_case
def add_category(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    code: str,
    name: str,
    valuation: str = "fifo",
    accounts: CategoryAccounts = DEFAULT_ACCOUNTS,
    cost_percent: Decimal | None = None,
) -> Category:
    """A product category: how its products are valued (fifo or average; fixed once
    the category exists, so past valuations stay as they were) and the accounts their
    moves post to."""
    actor.require(WRITE_PRODUCT)
    code, name, method = (
        check_code(code, "category"),
        check_name(name, "category"),
        parse_valuation(valuation),
    )
    with uow:
        s = scope(uow, company)
        ensure_defaults(uow, s)
        if repo.find_categories(uow.conn, s.id, [code]):
            raise DuplicateCode(f"there is already a category {code!r}")
        check_accounts(uow, s, accounts)
        repo.insert_category(
            uow.conn,
            {
                "company_id": s.id,
                "code": code,
                "name": name,
                "valuation": method.value,
                "inventory_account": accounts.inventory,
                "received_account": accounts.received,
                "cost_of_sales_account": accounts.cost_of_sales,
                "adjustment_account": accounts.adjustment,
                "scrap_account": accounts.scrap,
                "cost_percent": cost_percent,
            },
        )
        made = category(uow, s, code)
        audit.record(
            uow,
            actor,
            "inventory.category.create",
            "category",
            f"{s.company.code}:{code}",
            after=_category_snapshot(made),
        )
        uow.commit()
    return made


def list_categories(uow: UnitOfWork, actor: Actor, company: str | None) -> list[Category]:
    actor.require(READ_PRODUCT)
    with uow:
        return list(repo.find_categories(uow.conn, scope(uow, company).id).values())


@dataclass(frozen=True)
class ProductAdded:
    product: Product
    cost_rule: str  # where the cost came from, said to the user


def _snapshot(p: Product) -> dict[str, object]:
    return {
        "sku": p.sku,
        "name": p.name,
        "description": p.description,
        "category": p.category,
        "unit": p.unit,
        "price": p.price,
        "cost": p.cost,
        "tracking": p.tracking.value,
        "shelf_life_days": p.shelf_life_days,
        "reorder_min": p.reorder_min,
        "reorder_max": p.reorder_max,
        "lead_time_days": p.lead_time_days,
        "allow_negative": p.allow_negative,
        "active": p.active,
    }


def _cost(s: Scope, c: Category, price: Decimal, cost: Decimal | None) -> tuple[Decimal, str]:
    if cost is not None:
        return check_amount(cost, "a cost"), "given"
    if c.cost_percent is None:
        raise BadInventoryInput(
            f"give a cost: category {c.code} has no default cost percent",
            code="inventory.cost_required",
        )
    value = quantize(price * c.cost_percent / 100, s.places)
    return value, f"{c.cost_percent}% of the price, the default of category {c.code}"


@use_case
def add_product(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    sku: str,
    name: str,
    price: Decimal,
    cost: Decimal | None = None,
    category_code: str | None = None,
    description: str = "",
    unit: str = "unit",
    tracking: str = "none",
    shelf_life_days: int | None = None,
    reorder_min: Decimal | None = None,
    reorder_max: Decimal | None = None,
    lead_time_days: int | None = None,
    allow_negative: bool = False,
    quantity: Decimal | None = None,
) -> ProductAdded:
    """A product. Without *cost*, its cost is its category's default percent of the
    price (the result says which rule gave it). An opening *quantity* comes into the
    main stock by a real adjustment move, valued at the cost and posted."""
    actor.require(WRITE_PRODUCT)
    sku, name = check_code(sku, "SKU"), check_name(name, "product")
    price = check_amount(price, "a price")
    track = parse_tracking(tracking)
    with uow:
        s = scope(uow, company)
        ensure_defaults(uow, s)
        found = category(uow, s, category_code)
        if repo.get_product(uow.conn, s.id, sku) is not None:
            raise DuplicateCode(f"there is already a product with SKU {sku!r}")
        value, rule = _cost(s, found, price, cost)
        repo.insert_product(
            uow.conn,
            {
                "company_id": s.id,
                "sku": sku,
                "name": name,
                "description": description,
                "category_id": found.id,
                "unit": unit,
                "price": price,
                "cost": value,
                "tracking": track.value,
                "shelf_life_days": shelf_life_days,
                "reorder_min": reorder_min,
                "reorder_max": reorder_max,
                "lead_time_days": lead_time_days,
                "allow_negative": allow_negative,
            },
        )
        made = product(uow, s, sku)
        audit.record(
            uow,
            actor,
            "inventory.product.create",
            "product",
            f"{s.company.code}:{sku}",
            after=_snapshot(made),
        )
        publish(
            uow, DomainEvent("inventory.product_created", {"company": s.company.code, "sku": sku})
        )
        if quantity:
            make_move_within(
                uow,
                actor,
                s,
                MoveRequest(
                    MoveKind.adjustment, sku, quantity, unit_cost=value, reason="opening quantity"
                ),
            )
        uow.commit()
    return ProductAdded(made, rule)


@use_case
def update_product(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    sku: str,
    *,
    name: str | None = None,
    description: str | None = None,
    price: Decimal | None = None,
    cost: Decimal | None = None,
    quantity: Decimal | None = None,
    reorder_min: Decimal | None = None,
    reorder_max: Decimal | None = None,
    lead_time_days: int | None = None,
    shelf_life_days: int | None = None,
    allow_negative: bool | None = None,
    active: bool | None = None,
    expected_version: int | None = None,
) -> Product:
    """Change a product. A new *quantity* is a count of the main stock: the difference
    is moved by an adjustment, valued and posted like any move. The cost is the catalog
    cost (new stock without a unit cost comes in at it); stock already held keeps its
    valuation."""
    actor.require(WRITE_PRODUCT)
    with uow:
        s = scope(uow, company)
        before = product(uow, s, sku)
        changes: dict[str, object] = {
            key: value
            for key, value in {
                "name": check_name(name, "product") if name is not None else None,
                "description": description,
                "price": check_amount(price, "a price") if price is not None else None,
                "cost": check_amount(cost, "a cost") if cost is not None else None,
                "reorder_min": reorder_min,
                "reorder_max": reorder_max,
                "lead_time_days": lead_time_days,
                "shelf_life_days": shelf_life_days,
                "allow_negative": allow_negative,
                "active": active,
            }.items()
            if value is not None
        }
        if changes:
            stale = before if expected_version is None else _versioned(before, expected_version)
            repo.update_product(uow.conn, stale, changes)
        after = product(uow, s, sku)
        if changes:
            audit.record(
                uow,
                actor,
                "inventory.product.update",
                "product",
                f"{s.company.code}:{sku}",
                before=_snapshot(before),
                after=_snapshot(after),
            )
        if quantity is not None:
            count_within(uow, actor, s, sku, quantity, reason="quantity set on the product")
        uow.commit()
    return after


def _versioned(p: Product, version: int) -> Product:
    return replace(p, version=version)


@use_case
def remove_product(uow: UnitOfWork, actor: Actor, company: str | None, sku: str) -> Product:
    """Delete a product that never moved. One with stock moves is part of the books'
    history: it is refused, archive it instead (``update --archive``)."""
    actor.require(WRITE_PRODUCT)
    with uow:
        s = scope(uow, company)
        found = product(uow, s, sku)
        if repo.has_history(uow.conn, found.id):
            raise ProductHasHistory(
                f"{sku} has stock moves, so it stays for the record: archive it instead "
                f"with 'hansa inventory archive {sku}'"
            )
        repo.delete_product(uow.conn, found.id)
        audit.record(
            uow,
            actor,
            "inventory.product.delete",
            "product",
            f"{s.company.code}:{sku}",
            before=_snapshot(found),
        )
        uow.commit()
    return found


def get_product(uow: UnitOfWork, actor: Actor, company: str | None, sku: str) -> Product:
    actor.require(READ_PRODUCT)
    with uow:
        return product(uow, scope(uow, company), sku)


@use_case
def add_unit(
    uow: UnitOfWork, actor: Actor, company: str | None, sku: str, unit: str, factor: Decimal
) -> Product:
    """A unit *sku* can be counted in: one *unit* is *factor* base units (box = 12)."""
    actor.require(WRITE_PRODUCT)
    if factor <= 0:
        raise BadInventoryInput(
            f"a unit holds a positive number of base units, not {factor}", code="inventory.bad_unit"
        )
    with uow:
        s = scope(uow, company)
        found = product(uow, s, sku)
        if unit == found.unit:
            raise BadInventoryInput(f"{unit} is the base unit of {sku}", code="inventory.bad_unit")
        repo.set_unit(uow.conn, found.id, check_code(unit, "unit"), factor)
        audit.record(
            uow,
            actor,
            "inventory.product.unit",
            "product",
            f"{s.company.code}:{sku}",
            after={"unit": unit, "factor": factor},
        )
        uow.commit()
        return product(uow, s, sku)
