"""Stock moves: make one (done at once, or a draft that reserves what it will take) or
many in one transaction (a batch); read them.

A done move changes, in one transaction: the on-hand balances of its stock locations,
the product's valuation (FIFO layers or moving average) and the ledger (inventory
account against the account of the move's kind), with an audit record and an event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.inventory.domain.locations import DEFAULT_WAREHOUSE, STOCK, VIRTUAL, Location
from hansa.inventory.domain.moves import Move, MoveKind, MoveState, direction, parse_kind
from hansa.inventory.domain.products import Category, Product, Tracking, check_quantity
from hansa.inventory.errors import (
    BadInventoryInput,
    LocationNotFound,
    MoveNotFound,
    MoveRuleViolation,
    ProductNotFound,
)
from hansa.inventory.repository import catalog, sites
from hansa.inventory.repository import stock as repo
from hansa.inventory.service import lots as lot_service
from hansa.inventory.service.completion import (
    Pending,
    Plan,
    complete_all,
    made,
    naming,
    take_out,
)
from hansa.inventory.service.held import Held
from hansa.inventory.service.scope import (
    READ_MOVE,
    WRITE_MOVE,
    Scope,
    default_stock,
    product,
    scope,
)
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.kernel.money import quantize


@dataclass(frozen=True)
class MoveRequest:
    """A move as asked for. Locations default by kind: a receipt comes from SUPPLIER
    into the main stock, an issue goes from there to CUSTOMER, scrap to SCRAP; an
    adjustment adds stock (from ADJUSTMENT) unless *source* is a stock location."""

    kind: MoveKind | str
    product: str
    quantity: Decimal
    source: str | None = None
    destination: str | None = None
    lot: str | None = None
    expiry: date | None = None  # of a new lot a receipt brings in
    unit_cost: Decimal | None = None  # per base unit, for stock coming in
    unit: str | None = None  # the unit *quantity* counts in (default: the base unit)
    date: date | None = None
    reference: str | None = None
    partner: str | None = None  # the ledger's partner code, for the record
    reason: str | None = None  # why (an adjustment, an expired lot taken out anyway)


_DEFAULT_SIDES = {
    MoveKind.receipt: ("SUPPLIER", None),
    MoveKind.issue: (None, "CUSTOMER"),
    MoveKind.scrap: (None, "SCRAP"),
    MoveKind.adjustment: ("ADJUSTMENT", None),
    MoveKind.transfer: (None, None),
}
MAIN_STOCK = f"{DEFAULT_WAREHOUSE}/{STOCK}"


class Lookups:
    """The products (with their categories) and locations some requests name, read
    once for all of them (a batch does not read them per move)."""

    def __init__(self, uow: UnitOfWork, s: Scope, requests: Sequence[MoveRequest]) -> None:
        self.uow, self.s = uow, s
        self.products = catalog.products_with_categories(
            uow.conn,
            s.id,
            {r.product for r in requests},
            units_of={r.product for r in requests if r.unit is not None},
        )
        codes = {MAIN_STOCK}
        codes.update(c for r in requests for c in _sides_asked(r) if c)
        self.locations = sites.locations_by_code(uow.conn, s.id, codes)

    def product(self, sku: str) -> tuple[Product, Category]:
        if sku not in self.products:
            raise ProductNotFound(f"there is no product {sku!r}")
        return self.products[sku]

    def location(self, code: str | None) -> Location:
        """The location *code*; None: the main stock."""
        if code is None:
            return self.locations.get(MAIN_STOCK) or default_stock(self.uow, self.s)
        if code not in self.locations:
            raise LocationNotFound(f"there is no location {code!r}")
        return self.locations[code]


def _kind(req: MoveRequest) -> MoveKind:
    return req.kind if isinstance(req.kind, MoveKind) else parse_kind(req.kind)


def _sides_asked(req: MoveRequest) -> tuple[str | None, str | None]:
    """The location codes *req* names or its kind implies (None: the main stock)."""
    try:
        kind = _kind(req)
    except BadInventoryInput:  # refused when planned
        return req.source, req.destination
    default_from, default_to = _DEFAULT_SIDES[kind]
    if kind is MoveKind.adjustment and req.source and req.source not in VIRTUAL:
        default_to = "ADJUSTMENT"  # an adjustment out of a named stock location
    return req.source or default_from, req.destination or default_to


def plan(uow: UnitOfWork, s: Scope, req: MoveRequest, found: Lookups) -> Plan:
    """Check *req* and resolve what it names (a receipt may bring a new lot)."""
    kind = _kind(req)
    item, category = found.product(req.product)
    if not item.active:
        raise MoveRuleViolation(f"{item.sku} is archived: restore it before moving stock")
    quantity = check_quantity(req.quantity) * item.factor(req.unit)
    if kind is MoveKind.transfer and not (req.source and req.destination):
        raise MoveRuleViolation("a transfer needs --from and --to locations")
    source_code, destination_code = _sides_asked(req)
    source, destination = found.location(source_code), found.location(destination_code)
    way = direction(kind, source, destination)
    day = req.date or clock.today()
    lot = lot_service.lot_for_move(uow, s, item, req.lot, req.expiry, way, day, quantity)
    return Plan(kind, item, category, quantity, source, destination, way, lot, day)


def move_row(s: Scope, p: Plan, req: MoveRequest, actor: Actor) -> dict[str, Any]:
    return {
        "company_id": s.id,
        "kind": p.kind.value,
        "product_id": p.product.id,
        "quantity": p.quantity,
        "source_id": p.source.id,
        "destination_id": p.destination.id,
        "lot_id": p.lot.id if p.lot else None,
        # A receipt without a cost comes in at the catalog cost; other stock coming in
        # (a count's gain) at the current average, decided when it is valued.
        "unit_cost": p.product.cost
        if req.unit_cost is None and p.kind is MoveKind.receipt
        else req.unit_cost,
        "date": p.day,
        "reference": req.reference,
        "partner": req.partner,
        "reason": req.reason,
        "counter_of": None,
        "created_by": actor.username,
        "created_at": clock.now(),
    }


def record(
    uow: UnitOfWork, actor: Actor, s: Scope, action: str, move: Move, before: Move | None = None
) -> None:
    audit.record(
        uow,
        actor,
        f"inventory.move.{action}",
        "stock_move",
        f"{s.company.code}:{move.id}",
        before=_snapshot(before) if before else None,
        after=_snapshot(move),
    )
    publish(
        uow,
        DomainEvent(
            f"inventory.move_{action}",
            {"company": s.company.code, "move_id": move.id, "product": move.product},
        ),
    )


def _snapshot(move: Move) -> dict[str, object]:
    return {
        "kind": move.kind.value,
        "state": move.state.value,
        "product": move.product,
        "quantity": move.quantity,
        "from": move.source,
        "to": move.destination,
        "lot": move.lot,
        "unit_cost": move.unit_cost,
        "value": move.value,
        "date": move.date,
        "reason": move.reason,
        "counter_of": move.counter_of,
        "entry_id": move.entry_id,
    }


def shown(s: Scope, move: Move) -> Move:
    """*move* with its value in the company currency's places (stored with 6)."""
    if move.value is None:
        return move
    return replace(move, value=quantize(move.value, s.places))


def load(uow: UnitOfWork, s: Scope, move_id: int, *, lock: bool = False) -> tuple[Move, Any]:
    found = repo.get_move(uow.conn, s.id, move_id, lock=lock)
    if found is None:
        raise MoveNotFound(f"there is no stock move {move_id}")
    return shown(s, found[0]), found[1]


def make_moves_within(
    uow: UnitOfWork,
    actor: Actor,
    s: Scope,
    requests: Sequence[MoveRequest],
    first: int | None = None,
) -> list[Move]:
    """Plan and make done *requests* in order inside an open unit of work, all or none.
    In a batch (*first*: how many of its requests came before these), a refusal names
    the request (counted from 1) and its product. No audit record or event: the use
    case records them."""
    found = Lookups(uow, s, requests)
    moves: list[Move] = []
    for run in _runs(requests, found):
        start = None if first is None else first + run.start
        pending = []
        for index, req in enumerate(requests[run], start or 0):
            with naming(None if start is None else index, req.product):
                p = plan(uow, s, req, found)
            pending.append(Pending(p, move_row(s, p, req, actor)))
        rows = complete_all(uow, actor, s, pending, start)
        moves += [made(s, x.plan, row) for x, row in zip(pending, rows, strict=True)]
    return moves


def _runs(requests: Sequence[MoveRequest], found: Lookups) -> list[slice]:
    """Where a batch is planned and stored in several runs: a product tracked by serial
    number moved a second time starts a new run, so that planning it (is the serial
    in stock already?) sees the moves before it stored, as single moves would."""
    runs: list[slice] = []
    start, seen = 0, set[str]()
    for index, req in enumerate(requests):
        entry = found.products.get(req.product)
        if entry is None or entry[0].tracking is not Tracking.serial:
            continue
        if req.product in seen:
            runs.append(slice(start, index))
            start, seen = index, set()
        seen.add(req.product)
    return [*runs, slice(start, len(requests))]


def make_move_within(
    uow: UnitOfWork, actor: Actor, s: Scope, req: MoveRequest, *, done: bool = True
) -> Move:
    """:func:`move_stock` inside an open unit of work (for other use cases of the
    inventory: a product's opening quantity, a stock count)."""
    # No ensure_defaults here: a product exists, so its company's defaults do too.
    if done:
        (move,) = make_moves_within(uow, actor, s, [req])
        record(uow, actor, s, "done", move)
        return move
    p = plan(uow, s, req, Lookups(uow, s, [req]))
    row = move_row(s, p, req, actor)
    reserves = p.source.internal
    if reserves:
        held = Held(uow.conn, s.id)
        take_out(held, s, p, reserved=False, reserve_only=True, reason=req.reason)
        held.flush()
    draft = {**row, "state": MoveState.draft.value, "reserved": reserves}
    move = made(
        s, p, {**draft, "id": repo.insert_move(uow.conn, draft), "value": None, "entry_id": None}
    )
    record(uow, actor, s, "draft", move)
    return move


@use_case
def move_stock(
    uow: UnitOfWork, actor: Actor, company: str | None, request: MoveRequest, *, done: bool = True
) -> Move:
    """Make a stock move, done at once (the default) or as a draft. A draft out of a
    stock location reserves its quantity there (available = on hand - reserved), under
    a row lock, so two sessions cannot reserve the same last units."""
    actor.require(WRITE_MOVE)
    with uow:
        move = make_move_within(uow, actor, scope(uow, company), request, done=done)
        uow.commit()
    return move


def move_summary(move: Move) -> dict[str, object]:
    """A move as a batch's audit record lists it."""
    return {
        "id": move.id,
        "kind": move.kind.value,
        "sku": move.product,
        "quantity": move.quantity,
        "from": move.source,
        "to": move.destination,
        "lot": move.lot,
        "value": move.value,
        "entry_id": move.entry_id,
    }


@use_case
def move_stock_many(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    requests: Sequence[MoveRequest],
    *,
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Move]:
    """Make many stock moves done in one transaction, in order, all or none: if one is
    refused nothing is stored and the error names it (``move 3 (SKU): ...``, with
    ``index`` and ``sku`` in its details). The same rules, locks and valuation as
    :func:`move_stock`. A batch posts one ledger entry per day of its moves (each
    move's lines described by its id) and has one audit record and one event; with
    *chunk*, every *chunk* moves make such a batch (a large file), still in the one
    transaction, and *progress* hears how many moves are done after each."""
    actor.require(WRITE_MOVE)
    if not requests:
        raise BadInventoryInput("a batch needs at least one move", code="inventory.empty_batch")
    size = chunk or len(requests)
    with uow:
        s = scope(uow, company)
        moves: list[Move] = []
        for first in range(0, len(requests), size):
            made_now = make_moves_within(uow, actor, s, requests[first : first + size], first)
            _record_batch(uow, actor, s, made_now)
            moves += made_now
            if progress is not None:
                progress(len(moves))
        uow.commit()
    return moves


def _record_batch(uow: UnitOfWork, actor: Actor, s: Scope, moves: list[Move]) -> None:
    ids = [m.id for m in moves]
    audit.record(
        uow,
        actor,
        "inventory.move.batch",
        "stock_move_batch",
        f"{s.company.code}:{min(ids)}-{max(ids)}",
        after={"count": len(moves), "moves": [move_summary(m) for m in moves]},
    )
    publish(
        uow,
        DomainEvent(
            "inventory.moves_done",
            {"company": s.company.code, "move_ids": ids, "count": len(moves)},
        ),
    )


def get_move(uow: UnitOfWork, actor: Actor, company: str | None, move_id: int) -> Move:
    actor.require(READ_MOVE)
    with uow:
        return load(uow, scope(uow, company), move_id)[0]


def list_moves(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    sku: str | None = None,
    state: str | None = None,
    limit: int = 100,
) -> list[Move]:
    """The newest moves first, of one product or all."""
    actor.require(READ_MOVE)
    with uow:
        s = scope(uow, company)
        product_id = product(uow, s, sku).id if sku else None
        found = repo.list_moves(uow.conn, s.id, product_id=product_id, state=state, limit=limit)
    return [shown(s, move) for move in found]
