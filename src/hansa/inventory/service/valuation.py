"""Valuing a done move and posting its value to the ledger, inside the move's unit of
work: the valuation (FIFO layers or moving average) and the inventory account change
together or not at all."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from hansa import ledger
from hansa.db.uow import UnitOfWork
from hansa.inventory.domain.moves import Direction, MoveKind
from hansa.inventory.domain.products import Category, Product, ValuationMethod
from hansa.inventory.domain.valuation import (
    Layer,
    Stock,
    after_takes,
    average_out,
    fifo_out,
    incoming_value,
    settle_negative,
)
from hansa.inventory.service.held import Held
from hansa.inventory.service.scope import JOURNAL, Scope
from hansa.kernel.actor import Actor
from hansa.kernel.money import quantize

COST_PLACES = 6  # unit costs keep 6 decimals (the columns' scale)


@dataclass(frozen=True)
class Valuing:
    """What a move does to a product's valuation and to the books."""

    inventory: Decimal  # change of the inventory account (debit positive)
    counterpart: Decimal  # the move's value on its counterpart account, signed the same
    unit_cost: Decimal
    stock: Stock
    layers: list[Layer]  # the FIFO layers after the move

    @property
    def value(self) -> Decimal:
        return abs(self.counterpart)


def plan(
    held: Held,
    s: Scope,
    product: Product,
    category: Category,
    way: Direction,
    quantity: Decimal,
    *,
    move_id: int,
    unit_cost: Decimal | None = None,
    counter_value: Decimal | None = None,
    first_layer: int | None = None,
) -> Valuing | None:
    """The valuation change of move *move_id*, moving *quantity* of *product* in
    direction *way* (None for a transfer between stock locations, which changes no
    value), applied to the product's *held* valuation (its row locked until the
    transaction ends); an incoming move under FIFO adds a layer keyed by *move_id*."""
    if way is Direction.internal:
        return None
    fifo = category.valuation is ValuationMethod.fifo
    before, layers = held.stock(product.id, fifo=fifo)
    valuing = _valuing(
        s,
        product,
        fifo,
        before,
        layers,
        way,
        quantity,
        move_id,
        unit_cost,
        counter_value,
        first_layer,
    )
    held.set_stock(product.id, valuing.stock, valuing.layers)
    return valuing


def _valuing(
    s: Scope,
    product: Product,
    fifo: bool,
    before: Stock,
    layers: list[Layer],
    way: Direction,
    quantity: Decimal,
    move_id: int,
    unit_cost: Decimal | None,
    counter_value: Decimal | None,
    first_layer: int | None,
) -> Valuing:
    current = before.unit_cost
    fallback = quantize(current, COST_PLACES) if current is not None else product.cost
    if way is Direction.incoming:
        cost = unit_cost if unit_cost is not None else fallback
        value = (
            counter_value if counter_value is not None else incoming_value(quantity, cost, s.places)
        )
        after = Stock(before.quantity + quantity, before.value + value)
        settled = settle_negative(before, after, cost, s.places)
        after = replace(after, value=after.value + settled)
        if not fifo:
            new_layers: list[Layer] = []
        elif before.quantity < 0:
            new_layers = [Layer(move_id, after.quantity, after.value)] if after.quantity > 0 else []
        else:
            new_layers = [*layers, Layer(move_id, quantity, value)]
        return Valuing(value + settled, value, _unit(value, quantity), after, new_layers)
    if fifo:
        out = fifo_out(layers, quantity, s.places, fallback, first_layer)
        value, new_layers = out.value, after_takes(layers, out.takes)
    else:
        value, new_layers = average_out(before, quantity, s.places, fallback), []
    after = Stock(before.quantity - quantity, before.value - value)
    seen = counter_value if counter_value is not None else value
    return Valuing(-value, -seen, _unit(value, quantity), after, new_layers)


def _unit(value: Decimal, quantity: Decimal) -> Decimal:
    return quantize(value / quantity, COST_PLACES)


def lines(
    s: Scope, category: Category, kind: MoveKind, valuing: Valuing, description: str
) -> list[ledger.LineDraft]:
    """The ledger lines of a move's value: the inventory account against the account
    of the move's kind; what a counter-move or a settled shortfall values differently
    from its counterpart goes to the adjustment account. They balance; none when
    nothing changes value."""
    accounts = category.accounts
    counterpart = {
        MoveKind.receipt: accounts.received,
        MoveKind.issue: accounts.cost_of_sales,
        MoveKind.adjustment: accounts.adjustment,
        MoveKind.scrap: accounts.scrap,
    }[kind]
    amounts: dict[str, Decimal] = {}
    for account, amount in (
        (accounts.inventory, valuing.inventory),
        (counterpart, -valuing.counterpart),
        (accounts.adjustment, valuing.counterpart - valuing.inventory),
    ):
        amounts[account] = amounts.get(account, Decimal(0)) + amount
    return [
        ledger.LineDraft(account, s.currency, amount, description=description)
        for account, amount in amounts.items()
        if amount != 0
    ]


def post(
    uow: UnitOfWork,
    actor: Actor,
    s: Scope,
    day: date,
    entry_lines: list[ledger.LineDraft],
    narration: str,
    reference: str | None,
) -> int | None:
    """Post the moves' lines as one entry of the stock journal; None without lines."""
    if not entry_lines:
        return None
    draft = ledger.EntryDraft(
        JOURNAL, day, tuple(entry_lines), narration[:500], reference=reference
    )
    return ledger.post_within(uow, actor, s.company.code, draft).id
