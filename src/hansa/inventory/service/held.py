"""The balances and valuations the moves of one transaction change.

Each row is locked and read the first time a move needs it (``FOR UPDATE`` on
PostgreSQL; SQLite's writer holds the database), then changed in memory as the moves
go, and written back once by :meth:`Held.flush`: a batch of moves over the same
products reads and writes each row once instead of once per move, under the same
locks a single move takes.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from hansa.inventory.domain.valuation import Layer, Stock
from hansa.inventory.repository import stock as repo
from hansa.inventory.repository.stock import BalanceKey

ZERO = Decimal(0)


class Held:
    def __init__(self, conn: sa.Connection, company_id: int) -> None:
        self.conn, self.company_id = conn, company_id
        self._balances: dict[BalanceKey, list[Decimal]] = {}  # [on hand, reserved] now
        self._changes: dict[BalanceKey, list[Decimal]] = {}  # not written yet
        self._stock: dict[int, Stock] = {}
        self._layers_stored: dict[int, list[Layer]] = {}
        self._layers: dict[int, list[Layer]] = {}
        self._valued: set[int] = set()

    def balance(self, key: BalanceKey) -> tuple[Decimal, Decimal]:
        """(on hand, reserved) at *key* now, its row locked."""
        found = self._balances.get(key)
        if found is None:
            on_hand, reserved = repo.lock_balance(self.conn, key)
            pending = self._changes.get(key, [ZERO, ZERO])
            found = self._balances[key] = [on_hand + pending[0], reserved + pending[1]]
        return found[0], found[1]

    def add(self, key: BalanceKey, quantity: Decimal, reserved: Decimal = ZERO) -> None:
        current = self._balances.get(key)
        if current is not None:
            current[0] += quantity
            current[1] += reserved
        change = self._changes.setdefault(key, [ZERO, ZERO])
        change[0] += quantity
        change[1] += reserved

    def stock(self, product_id: int, *, fifo: bool) -> tuple[Stock, list[Layer]]:
        """A product's valuation (its row locked) and, under FIFO, its layers."""
        if product_id not in self._stock:
            self._stock[product_id] = repo.lock_valuation(self.conn, self.company_id, product_id)
            stored = repo.fifo_layers(self.conn, self.company_id, product_id) if fifo else []
            self._layers_stored[product_id] = self._layers[product_id] = stored
        return self._stock[product_id], self._layers[product_id]

    def set_stock(self, product_id: int, stock: Stock, layers: list[Layer]) -> None:
        self._stock[product_id], self._layers[product_id] = stock, layers
        self._valued.add(product_id)

    def flush(self) -> None:
        """Write what changed (the moves that made layers must be stored already)."""
        changes = sorted(
            self._changes.items(),
            key=lambda kv: (kv[0].product_id, kv[0].location_id, kv[0].lot_key),
        )
        repo.add_to_balances(self.conn, [(key, q, r) for key, (q, r) in changes])
        self._changes = {}
        for product_id in sorted(self._valued):
            repo.set_valuation(self.conn, self.company_id, product_id, self._stock[product_id])
            before, after = self._layers_stored[product_id], self._layers[product_id]
            if before or after:
                repo.replace_layers(self.conn, self.company_id, product_id, before, after)
            self._layers_stored[product_id] = after
        self._valued = set()
