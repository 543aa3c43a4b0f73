"""Cycle counting: count sheets for the products due by their ABC class, counts entered
line by line, and posting, which moves each line's variance (counted − expected) as a
valued adjustment through the stock-count use case, so the ledger gets inventory
against the adjustment account like any count.

Stock that moved between the sheet's snapshot and its posting: the variance is what
the count found against the snapshot, applied to the stock as it is at posting (like a
frozen book inventory). Posting refuses a line whose stock has moved away so far that
its variance would take it below zero, and names it: recount that line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.inventory.domain.abc import DEFAULT_FREQUENCY, AbcClass, Frequency, is_due
from hansa.inventory.domain.counting import CountSheet, SheetState
from hansa.inventory.domain.products import plain
from hansa.inventory.errors import (
    BadInventoryInput,
    CountRuleViolation,
    CountSheetClosed,
    CountSheetNotFound,
    WarehouseNotFound,
)
from hansa.inventory.repository import counting as repo
from hansa.inventory.repository import sites
from hansa.inventory.repository import stock as stock_repo
from hansa.inventory.repository.stock import BalanceKey
from hansa.inventory.service.scope import WRITE_MOVE, Scope, ensure_defaults, scope
from hansa.inventory.service.stock import count_within
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent

READ_COUNT, WRITE_COUNT = "inventory.count.read", "inventory.count.write"


def _load(uow: UnitOfWork, s: Scope, sheet_id: int, *, lock: bool = False) -> CountSheet:
    found = repo.get_sheet(uow.conn, s.id, sheet_id, lock=lock)
    if found is None:
        raise CountSheetNotFound(f"there is no count sheet {sheet_id}")
    return found


def _open(uow: UnitOfWork, s: Scope, sheet_id: int) -> CountSheet:
    sheet = _load(uow, s, sheet_id, lock=True)
    if sheet.state is not SheetState.open:
        raise CountSheetClosed(f"count sheet {sheet_id} is {sheet.state.value}: it cannot change")
    return sheet


def _record(
    uow: UnitOfWork, actor: Actor, s: Scope, action: str, sheet: CountSheet, **before: object
) -> None:
    audit.record(
        uow,
        actor,
        f"inventory.count_sheet.{action}",
        "count_sheet",
        f"{s.company.code}:{sheet.id}",
        before=dict(before) or None,
        after={
            "state": sheet.state.value,
            "warehouse": sheet.warehouse,
            "count_date": sheet.count_date,
            "lines": len(sheet.lines),
            "counted": {
                str(line.number): line.counted for line in sheet.lines if line.counted is not None
            },
        },
    )
    publish(
        uow,
        DomainEvent(
            f"inventory.count_sheet_{action}",
            {"company": s.company.code, "sheet_id": sheet.id, "state": sheet.state.value},
        ),
    )


@use_case
def create_count_sheet(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    warehouse: str | None = None,
    day: date | None = None,
    frequency: Frequency = DEFAULT_FREQUENCY,
) -> CountSheet:
    """A count sheet of the products due on *day* (default today) in *warehouse* (default
    every warehouse): one line per product, stock location and lot holding stock, with
    the on hand now as the expected quantity. A product is due when it was never counted
    in that warehouse or its class's interval (*frequency*, months) has passed since its
    last posted count; a product without a class counts as C; products already on an
    open sheet of the warehouse are left out."""
    actor.require(WRITE_COUNT)
    day = day or clock.today()
    with uow:
        s = scope(uow, company)
        ensure_defaults(uow, s)
        repo.lock_warehouses(uow.conn, s.id)
        warehouse_id = None
        if warehouse is not None:
            found = sites.find_warehouses(uow.conn, s.id)
            if warehouse not in found:
                raise WarehouseNotFound(f"there is no warehouse {warehouse!r}")
            warehouse_id = found[warehouse].id
        plans = repo.plans(uow.conn, s.id)
        last = repo.last_counted(uow.conn, s.id)
        busy = repo.on_open_sheets(uow.conn, s.id)
        lines: list[dict[str, object]] = []
        for row in repo.stock_to_count(uow.conn, s.id, warehouse_id):
            key = (row.product_id, row.warehouse_id)
            plan = plans.get(row.product_id)
            abc = AbcClass(plan.abc_class) if plan is not None and plan.abc_class else None
            if key in busy or not is_due(abc, last.get(key), day, frequency):
                continue
            lines.append(
                {
                    "number": len(lines) + 1,
                    "company_id": s.id,
                    "product_id": row.product_id,
                    "location_id": row.location_id,
                    "lot_id": row.lot_id,
                    "expected": row.quantity,
                }
            )
        if not lines:
            raise CountRuleViolation(
                f"nothing is due for counting on {day}"
                + (f" in warehouse {warehouse}" if warehouse else ""),
                code="inventory.nothing_to_count",
            )
        values = {
            "company_id": s.id,
            "warehouse_id": warehouse_id,
            "count_date": day,
            "state": SheetState.open.value,
            "created_by": actor.username,
            "created_at": clock.now(),
        }
        sheet = _load(uow, s, repo.insert_sheet(uow.conn, values, lines))
        _record(uow, actor, s, "created", sheet)
        uow.commit()
    return sheet


def get_count_sheet(
    uow: UnitOfWork, actor: Actor, company: str | None, sheet_id: int
) -> CountSheet:
    actor.require(READ_COUNT)
    with uow:
        return _load(uow, scope(uow, company), sheet_id)


def list_count_sheets(
    uow: UnitOfWork, actor: Actor, company: str | None, *, state: str | None = None
) -> list[CountSheet]:
    """Count sheets, newest first (only those in *state*: open, posted or cancelled)."""
    actor.require(READ_COUNT)
    if state is not None and state not in SheetState.__members__:
        raise BadInventoryInput(
            f"unknown sheet state {state!r}: use open, posted or cancelled",
            code="inventory.bad_state",
        )
    with uow:
        return repo.list_sheets(uow.conn, scope(uow, company).id, state)


@use_case
def enter_counts(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    sheet_id: int,
    counts: Sequence[tuple[int, Decimal]],
) -> CountSheet:
    """Enter counted quantities by line number (a later count of a line replaces the
    earlier one, until the sheet is posted)."""
    actor.require(WRITE_COUNT)
    with uow:
        s = scope(uow, company)
        sheet = _open(uow, s, sheet_id)
        numbers = {line.number: line for line in sheet.lines}
        for number, counted in counts:
            if number not in numbers:
                raise BadInventoryInput(
                    f"count sheet {sheet_id} has no line {number} (lines 1-{len(numbers)})",
                    code="inventory.bad_count_line",
                )
            if counted < 0:
                raise BadInventoryInput(
                    f"line {number}: a count cannot be negative ({counted})",
                    code="inventory.bad_count",
                )
            repo.update_line(uow.conn, sheet_id, number, {"counted": counted})
        after = _load(uow, s, sheet_id)
        changed = {str(n): numbers[n].counted for n, _ in counts}
        _record(uow, actor, s, "counted", after, counted=changed)
        uow.commit()
    return after


@use_case
def post_count_sheet(
    uow: UnitOfWork, actor: Actor, company: str | None, sheet_id: int
) -> CountSheet:
    """Post a counted sheet: each line's variance becomes an adjustment move dated the
    count date (a gain at the current average or catalog cost, a loss by the category's
    method, FIFO or average), posted to the ledger; the sheet is then immutable and its
    products count as counted on its date."""
    actor.require(WRITE_COUNT)
    actor.require(WRITE_MOVE)
    with uow:
        s = scope(uow, company)
        sheet = _open(uow, s, sheet_id)
        if sheet.uncounted:
            shown = ", ".join(str(n) for n in sheet.uncounted[:20])
            raise CountRuleViolation(
                f"count sheet {sheet_id} has lines without a count: {shown}",
                code="inventory.count_incomplete",
                details={"lines": sheet.uncounted},
            )
        keys = repo.line_keys(uow.conn, sheet_id)
        for line in sheet.lines:
            variance = line.variance or Decimal(0)
            if variance == 0:
                continue
            raw = keys[line.number]
            key = BalanceKey(s.id, raw.product_id, raw.location_id, raw.lot_id or 0)
            now, _ = stock_repo.lock_balance(uow.conn, key)
            if now + variance < 0:
                raise CountRuleViolation(
                    f"line {line.number}: {line.sku} at {line.location}"
                    + (f" lot {line.lot}" if line.lot else "")
                    + f" has {plain(now)} on hand now, {line.expected} when the sheet was made;"
                    f" a variance of {variance} would take it below zero: recount it",
                    code="inventory.count_moved",
                )
            move = count_within(
                uow,
                actor,
                s,
                line.sku,
                now + variance,
                where=line.location,
                lot=line.lot,
                reason=f"count sheet {sheet_id} line {line.number}",
                day=sheet.count_date,
            )
            if move is not None:
                repo.update_line(uow.conn, sheet_id, line.number, {"move_id": move.id})
        repo.update_sheet(
            uow.conn,
            sheet_id,
            {
                "state": SheetState.posted.value,
                "posted_by": actor.username,
                "posted_at": clock.now(),
            },
        )
        posted = _load(uow, s, sheet_id)
        _record(uow, actor, s, "posted", posted, state=sheet.state.value)
        uow.commit()
    return posted


@use_case
def cancel_count_sheet(
    uow: UnitOfWork, actor: Actor, company: str | None, sheet_id: int
) -> CountSheet:
    """Drop an open sheet without moving stock (its products become due again)."""
    actor.require(WRITE_COUNT)
    with uow:
        s = scope(uow, company)
        sheet = _open(uow, s, sheet_id)
        repo.update_sheet(uow.conn, sheet_id, {"state": SheetState.cancelled.value})
        cancelled = _load(uow, s, sheet_id)
        _record(uow, actor, s, "cancelled", cancelled, state=sheet.state.value)
        uow.commit()
    return cancelled
