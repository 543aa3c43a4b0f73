"""Making planned moves done, one or many in the same transaction: the one path every
done move takes (a single move is a batch of one, a completed draft and a counter-move
too), so the stock rules, the valuation and the posting are written once.

For a batch, each row a move changes is locked and read once (see :mod:`.held`), the
moves' ids are taken up front so the ledger entry can name them, the moves valued on
the same day post one entry of the stock journal (each move's own balanced lines,
described by its id), and every row is written with one statement per table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hansa.db.uow import UnitOfWork
from hansa.inventory.domain.locations import Location
from hansa.inventory.domain.lots import Lot
from hansa.inventory.domain.moves import Direction, Move, MoveKind, MoveState
from hansa.inventory.domain.products import (
    Category,
    Product,
    ValuationMethod,
    plain,
    price_shown,
)
from hansa.inventory.errors import ExpiredLot, InsufficientStock
from hansa.inventory.repository import stock as repo
from hansa.inventory.repository.stock import BalanceKey
from hansa.inventory.service import valuation
from hansa.inventory.service.held import Held
from hansa.inventory.service.scope import Scope
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import HansaError
from hansa.kernel.money import quantize


@dataclass(frozen=True)
class Plan:
    kind: MoveKind
    product: Product
    category: Category
    quantity: Decimal
    source: Location
    destination: Location
    way: Direction
    lot: Lot | None
    day: date


@dataclass(frozen=True)
class Pending:
    """A planned move to make done: a new one (its row as asked), or a draft."""

    plan: Plan
    row: dict[str, Any]
    draft_id: int | None = None
    reserved: bool = False  # the draft reserved its quantity at the source
    counter: Move | None = None  # the done move this one corrects


@contextmanager
def naming(index: int | None, sku: str) -> Iterator[None]:
    """In a batch (*index* not None), a refusal says which move (counted from 1) and
    product it is about."""
    try:
        yield
    except HansaError as exc:
        if index is not None:
            exc.message = f"move {index + 1} ({sku}): {exc.message}"
            exc.args = (exc.message,)
            exc.details = {**exc.details, "index": index + 1, "sku": sku}
        raise


def balance_key(s: Scope, p: Plan, where: Location) -> BalanceKey:
    return BalanceKey(s.id, p.product.id, where.id, p.lot.id if p.lot else 0)


def take_out(
    held: Held, s: Scope, p: Plan, *, reserved: bool, reserve_only: bool, reason: str | None
) -> None:
    """Check and take *p.quantity* out of its source location (or only reserve it)."""
    key = balance_key(s, p, p.source)
    on_hand, reserved_there = held.balance(key)
    free = on_hand - reserved_there + (p.quantity if reserved else 0)
    if p.quantity > free and not p.product.allow_negative:
        lot = f" lot {p.lot.code}" if p.lot else ""
        raise InsufficientStock(
            f"insufficient stock: {p.product.sku}{lot} at {p.source.code} has {plain(free)} "
            f"available ({plain(on_hand)} on hand, {plain(reserved_there)} reserved), "
            f"{plain(p.quantity)} asked",
            details={"available": str(free), "on_hand": str(on_hand), "asked": str(p.quantity)},
        )
    if p.lot and p.lot.expired_on(p.day) and not reason:
        raise ExpiredLot(
            f"lot {p.lot.code} of {p.product.sku} expired on {p.lot.expiry}: it cannot leave "
            "stock unless you give a reason (--override-reason)"
        )
    if reserve_only:
        held.add(key, Decimal(0), p.quantity)
    else:
        held.add(key, -p.quantity, -p.quantity if reserved else Decimal(0))


def _value(held: Held, s: Scope, item: Pending, move_id: int) -> valuation.Valuing | None:
    p = item.plan
    if p.source.internal:
        take_out(held, s, p, reserved=item.reserved, reserve_only=False, reason=item.row["reason"])
    if p.destination.internal:
        held.add(balance_key(s, p, p.destination), p.quantity)
    return valuation.plan(
        held,
        s,
        p.product,
        p.category,
        p.way,
        p.quantity,
        move_id=move_id,
        unit_cost=item.row["unit_cost"],
        counter_value=item.counter.value if item.counter else None,
        first_layer=item.counter.id if item.counter else None,
    )


DONE_FIELDS = ("state", "unit_cost", "value", "entry_id", "reserved", "done_at", "reason")


def complete_all(
    uow: UnitOfWork, actor: Actor, s: Scope, pending: Sequence[Pending], first: int | None = None
) -> list[dict[str, Any]]:
    """Make *pending* done, in order, all or none: balances, valuations, the ledger
    entries and the move rows. Returns the rows as stored (with their ids). In a batch
    (*first*: the index of the first of *pending* in it), a refusal names its move."""
    held = Held(uow.conn, s.id)
    if len(pending) > 1:  # a batch: its rows locked and read in a few queries
        plans = [x.plan for x in pending]
        held.lock(
            [balance_key(s, p, p.source) for p in plans if p.source.internal],
            {
                p.product.id: p.category.valuation is ValuationMethod.fifo
                for p in plans
                if p.way is not Direction.internal
            },
        )
    fresh = iter(repo.new_move_ids(uow.conn, sum(1 for x in pending if x.draft_id is None)))
    rows: list[dict[str, Any]] = []
    valued: list[tuple[int, valuation.Valuing]] = []
    done_at = clock.now()
    for index, item in enumerate(pending):
        move_id = item.draft_id if item.draft_id is not None else next(fresh)
        with naming(None if first is None else first + index, item.plan.product.sku):
            valuing = _value(held, s, item, move_id)
        if valuing is not None:
            valued.append((index, valuing))
        rows.append(
            {
                **item.row,
                "id": move_id,
                "state": MoveState.done.value,
                "unit_cost": valuing.unit_cost if valuing else item.row["unit_cost"],
                "value": valuing.value if valuing else None,
                "entry_id": None,
                "reserved": False,
                "done_at": done_at,
            }
        )
    _post(uow, actor, s, pending, rows, valued, first)
    repo.insert_moves(
        uow.conn, [r for r, x in zip(rows, pending, strict=True) if x.draft_id is None]
    )
    for row, item in zip(rows, pending, strict=True):
        if item.draft_id is not None:
            repo.update_move(uow.conn, item.draft_id, {k: row[k] for k in DONE_FIELDS})
    held.flush()
    return rows


def _post(
    uow: UnitOfWork,
    actor: Actor,
    s: Scope,
    pending: Sequence[Pending],
    rows: list[dict[str, Any]],
    valued: list[tuple[int, valuation.Valuing]],
    first: int | None,
) -> None:
    """One entry per day of the valued moves; each row gets its entry's id."""
    by_day: dict[date, list[tuple[int, valuation.Valuing]]] = {}
    for index, valuing in valued:
        by_day.setdefault(pending[index].plan.day, []).append((index, valuing))
    for day, group in by_day.items():
        lines = []
        for index, valuing in group:
            p = pending[index].plan
            lines += valuation.lines(s, p.category, p.kind, valuing, f"move {rows[index]['id']}")
        if len(group) == 1:
            p = pending[group[0][0]].plan
            narration = (
                f"{p.kind.value} {p.quantity} {p.product.sku} {p.source.code} -> "
                f"{p.destination.code}"
            )
        else:
            ids = [rows[index]["id"] for index, _ in group]
            narration = f"{len(group)} stock moves, ids {min(ids)} to {max(ids)}"
        references = {rows[index]["reference"] for index, _ in group}
        reference = references.pop() if len(references) == 1 else None
        at = None if first is None else first + group[0][0]
        with naming(at, pending[group[0][0]].plan.product.sku):
            entry_id = valuation.post(uow, actor, s, day, lines, narration, reference)
        for index, _ in group:
            rows[index]["entry_id"] = entry_id


def made(s: Scope, p: Plan, row: dict[str, Any]) -> Move:
    """The move as *row* stored it, as reading it back would give it."""
    unit_cost, value = row["unit_cost"], row["value"]
    return Move(
        row["id"],
        s.id,
        p.kind,
        MoveState(row["state"]),
        p.product.sku,
        plain(p.quantity),
        p.source.code,
        p.destination.code,
        p.lot.code if p.lot else None,
        None if unit_cost is None else price_shown(unit_cost),
        None if value is None else quantize(value, s.places),
        row["date"],
        row["reference"],
        row["partner"],
        row["reason"],
        row.get("counter_of"),
        row["entry_id"],
        bool(row["reserved"]),
        row["created_by"],
        row["created_at"],
    )
