"""Drafts and corrections: complete a draft move, cancel it (releasing what it
reserved), or correct a done move with its counter-move."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hansa.db.uow import UnitOfWork, use_case
from hansa.inventory.domain.moves import Move, MoveState, direction
from hansa.inventory.errors import DoneMoveImmutable, MoveRuleViolation
from hansa.inventory.repository import catalog, sites
from hansa.inventory.repository import stock as repo
from hansa.inventory.service.completion import Pending, Plan, balance_key, complete_all
from hansa.inventory.service.moves import MoveRequest, load, move_row, record
from hansa.inventory.service.scope import WRITE_MOVE, Scope, category, scope
from hansa.kernel import clock
from hansa.kernel.actor import Actor


def _plan_of(uow: UnitOfWork, s: Scope, move: Move, raw: Any) -> Plan:
    item = catalog.product_by_id(uow.conn, raw.product_id)
    places = sites.locations_by_id(uow.conn, [raw.source_id, raw.destination_id])
    lot = sites.lots_by_id(uow.conn, [raw.lot_id])[raw.lot_id] if raw.lot_id else None
    source, destination = places[raw.source_id], places[raw.destination_id]
    way = direction(move.kind, source, destination)
    found = category(uow, s, item.category)
    return Plan(move.kind, item, found, move.quantity, source, destination, way, lot, move.date)


@use_case
def complete_move(
    uow: UnitOfWork, actor: Actor, company: str | None, move_id: int, *, reason: str | None = None
) -> Move:
    """Make a draft move done (what it reserved is taken out of stock)."""
    actor.require(WRITE_MOVE)
    with uow:
        s = scope(uow, company)
        before, raw = load(uow, s, move_id, lock=True)
        if before.state is not MoveState.draft:
            raise DoneMoveImmutable(f"stock move {move_id} is {before.state.value}, not a draft")
        p = _plan_of(uow, s, before, raw)
        row = {
            "unit_cost": raw.unit_cost,
            "reason": reason or raw.reason,
            "reference": raw.reference,
        }
        complete_all(
            uow, actor, s, [Pending(p, row, draft_id=move_id, reserved=bool(raw.reserved))]
        )
        move, _ = load(uow, s, move_id)
        record(uow, actor, s, "done", move, before)
        uow.commit()
    return move


@use_case
def cancel_move(uow: UnitOfWork, actor: Actor, company: str | None, move_id: int) -> Move:
    """Cancel a draft move and release what it reserved. A done move cannot be cancelled:
    correct it with its counter-move."""
    actor.require(WRITE_MOVE)
    with uow:
        s = scope(uow, company)
        before, raw = load(uow, s, move_id, lock=True)
        if before.state is not MoveState.draft:
            raise DoneMoveImmutable(
                f"stock move {move_id} is {before.state.value}: only a draft can be cancelled"
                + (
                    "; correct a done move with 'hansa inventory move counter'"
                    if before.state is MoveState.done
                    else ""
                )
            )
        if raw.reserved:
            p = _plan_of(uow, s, before, raw)
            repo.add_to_balance(uow.conn, balance_key(s, p, p.source), Decimal(0), -p.quantity)
        repo.update_move(uow.conn, move_id, {"state": MoveState.cancelled.value, "reserved": False})
        move, _ = load(uow, s, move_id)
        record(uow, actor, s, "cancelled", move, before)
        uow.commit()
    return move


@use_case
def counter_move(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    move_id: int,
    *,
    reason: str,
    day: date | None = None,
) -> Move:
    """Correct a done move by the same move backwards, at its value: a receipt's counter
    returns the goods and reverses the receipt's value (what the stock releases for it
    differently, because part of the receipt was issued already, goes to the adjustment
    account); an issue's counter brings the goods back at the value they left at."""
    actor.require(WRITE_MOVE)
    if not reason.strip():
        raise MoveRuleViolation("a counter-move needs a reason")
    with uow:
        s = scope(uow, company)
        original, raw = load(uow, s, move_id, lock=True)
        if original.state is not MoveState.done:
            raise MoveRuleViolation(
                f"stock move {move_id} is {original.state.value}: only a done move has a "
                "counter-move"
            )
        if repo.countered(uow.conn, s.id, move_id):
            raise MoveRuleViolation(f"stock move {move_id} already has a counter-move")
        forward = _plan_of(uow, s, original, raw)
        p = Plan(
            forward.kind,
            forward.product,
            forward.category,
            forward.quantity,
            forward.destination,
            forward.source,
            direction(forward.kind, forward.destination, forward.source),
            forward.lot,
            day or clock.today(),
        )
        row = {
            **move_row(s, p, MoveRequest(p.kind, p.product.sku, p.quantity, reason=reason), actor),
            "counter_of": move_id,
            "reference": original.reference,
            "partner": original.partner,
        }
        (done,) = complete_all(uow, actor, s, [Pending(p, row, counter=original)])
        move, _ = load(uow, s, done["id"])
        record(uow, actor, s, "done", move)
        uow.commit()
    return move
