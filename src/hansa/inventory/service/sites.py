"""Warehouses and their locations."""

from __future__ import annotations

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.inventory.domain.locations import Location, LocationKind, Warehouse, child_code
from hansa.inventory.domain.products import check_code, check_name
from hansa.inventory.errors import DuplicateCode, MoveRuleViolation
from hansa.inventory.repository import sites as repo
from hansa.inventory.service.scope import (
    READ_SITE,
    WRITE_SITE,
    add_warehouse_rows,
    ensure_defaults,
    location,
    scope,
)
from hansa.kernel.actor import Actor


@use_case
def add_warehouse(
    uow: UnitOfWork, actor: Actor, company: str | None, *, code: str, name: str
) -> Warehouse:
    """A warehouse, with its first location CODE/STOCK."""
    actor.require(WRITE_SITE)
    code, name = check_code(code, "warehouse"), check_name(name, "warehouse")
    if "/" in code:
        raise MoveRuleViolation(f"a warehouse code has no '/': {code!r}")
    with uow:
        s = scope(uow, company)
        ensure_defaults(uow, s)
        if code in repo.find_warehouses(uow.conn, s.id):
            raise DuplicateCode(f"there is already a warehouse {code!r}")
        add_warehouse_rows(uow, s, code, name)
        made = repo.find_warehouses(uow.conn, s.id)[code]
        audit.record(
            uow,
            actor,
            "inventory.warehouse.create",
            "warehouse",
            f"{s.company.code}:{code}",
            after={"name": name},
        )
        uow.commit()
    return made


def list_warehouses(uow: UnitOfWork, actor: Actor, company: str | None) -> list[Warehouse]:
    actor.require(READ_SITE)
    with uow:
        return list(repo.find_warehouses(uow.conn, scope(uow, company).id).values())


@use_case
def add_location(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    parent: str,
    code: str,
    name: str | None = None,
) -> Location:
    """A stock location under *parent* (WH/STOCK + A1 -> WH/STOCK/A1), in its warehouse."""
    actor.require(WRITE_SITE)
    code = check_code(code, "location")
    with uow:
        s = scope(uow, company)
        ensure_defaults(uow, s)
        above = location(uow, s, parent)
        if not above.internal:
            raise MoveRuleViolation(
                f"{parent} is a virtual location: stock locations go under a warehouse"
            )
        full = child_code(above.code, code)
        if repo.find_locations(uow.conn, s.id, [full]):
            raise DuplicateCode(f"there is already a location {full!r}")
        warehouse = repo.find_warehouses(uow.conn, s.id)[above.warehouse or ""]
        repo.insert_location(
            uow.conn,
            {
                "company_id": s.id,
                "code": full,
                "name": name or code,
                "kind": LocationKind.internal.value,
                "warehouse_id": warehouse.id,
                "parent_id": above.id,
            },
        )
        made = location(uow, s, full)
        audit.record(
            uow,
            actor,
            "inventory.location.create",
            "location",
            f"{s.company.code}:{full}",
            after={"name": made.name},
        )
        uow.commit()
    return made


def list_locations(
    uow: UnitOfWork, actor: Actor, company: str | None, *, warehouse: str | None = None
) -> list[Location]:
    """Stock locations (of one warehouse, or all) and the virtual ones."""
    actor.require(READ_SITE)
    with uow:
        found = repo.find_locations(uow.conn, scope(uow, company).id).values()
    return [loc for loc in found if warehouse is None or loc.warehouse == warehouse]
