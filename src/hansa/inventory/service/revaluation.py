"""Revaluing stock: the same quantity at a new unit cost (a write-down, a landed cost
found later). No goods move, so there is no stock move: the valuation changes and the
difference is posted, inventory against the category's adjustment account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hansa import audit, ledger
from hansa.db.uow import UnitOfWork, use_case
from hansa.inventory.domain.products import ValuationMethod, check_amount, plain
from hansa.inventory.domain.valuation import Stock, incoming_value, revalued_layers
from hansa.inventory.errors import MoveRuleViolation
from hansa.inventory.repository import valuations as repo
from hansa.inventory.service.scope import JOURNAL, WRITE_MOVE, category, product, scope
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.money import quantize


@dataclass(frozen=True)
class Revalued:
    sku: str
    quantity: Decimal
    before: Decimal
    after: Decimal
    entry_id: int | None

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@use_case
def revalue_stock(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    sku: str,
    unit_cost: Decimal,
    *,
    reason: str,
    day: date | None = None,
) -> Revalued:
    """Value all the stock of *sku* at *unit_cost* from now on (FIFO: every layer), and
    post the difference against the adjustment account."""
    actor.require(WRITE_MOVE)
    check_amount(unit_cost, "a unit cost")
    if not reason.strip():
        raise MoveRuleViolation("a revaluation needs a reason")
    with uow:
        s = scope(uow, company)
        item = product(uow, s, sku)
        found = category(uow, s, item.category)
        before = repo.lock_valuation(uow.conn, s.id, item.id)
        if before.quantity <= 0:
            raise MoveRuleViolation(f"{sku} has no stock to revalue")
        after = Stock(before.quantity, incoming_value(before.quantity, unit_cost, s.places))
        if found.valuation is ValuationMethod.fifo:
            layers = repo.fifo_layers(uow.conn, s.id, item.id)
            new_layers = revalued_layers(layers, unit_cost, s.places)
            after = Stock(after.quantity, sum((ly.value for ly in new_layers), Decimal(0)))
            repo.replace_layers(uow.conn, s.id, item.id, layers, new_layers)
        repo.set_valuation(uow.conn, s.id, item.id, after)
        difference = after.value - before.value
        entry_id = None
        if difference:
            lines = (
                ledger.LineDraft(found.accounts.inventory, s.currency, difference),
                ledger.LineDraft(found.accounts.adjustment, s.currency, -difference),
            )
            draft = ledger.EntryDraft(
                JOURNAL, day or clock.today(), lines, f"revaluation of {sku}: {reason}"[:500]
            )
            entry_id = ledger.post_within(uow, actor, s.company.code, draft).id
        result = Revalued(
            sku,
            plain(before.quantity),
            quantize(before.value, s.places),
            quantize(after.value, s.places),
            entry_id,
        )
        audit.record(
            uow,
            actor,
            "inventory.stock.revalue",
            "product",
            f"{s.company.code}:{sku}",
            before={"value": before.value},
            after={"value": after.value, "unit_cost": unit_cost, "reason": reason},
        )
        uow.commit()
    return result
