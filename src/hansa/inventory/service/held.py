"""The balances and valuations the moves of one transaction change.

Each row is locked and read the first time a move needs it (``FOR UPDATE`` on
PostgreSQL; SQLite's writer holds the database), then changed in memory as the moves
go, and written back once by :meth:`Held.flush`: a batch of moves over the same
products reads and writes each row once instead of once per move, under the same
locks a single move takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from hansa.inventory.domain.valuation import Layer, Stock
from hansa.inventory.repository import stock as repo
from hansa.inventory.repository import valuations
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

    def lock(self, keys: Sequence[BalanceKey], fifo: dict[int, bool]) -> None:
        """Lock and read at once the balances at *keys* and the valuations (and FIFO
        layers: *fifo* by product id) a batch will need: a few queries instead of some
        per row, the rows locked in a fixed order."""
        wanted = [k for k in keys if k not in self._balances]
        found = repo.lock_balances(self.conn, wanted)
        for key in wanted:
            on_hand, reserved = found.get(key, (ZERO, ZERO))
            pending = self._changes.get(key, [ZERO, ZERO])
            self._balances[key] = [on_hand + pending[0], reserved + pending[1]]
        products = [i for i in fifo if i not in self._stock]
        if not products:
            return
        self._stock.update(valuations.lock_valuations(self.conn, self.company_id, products))
        stored = valuations.layers_of(self.conn, self.company_id, [i for i in products if fifo[i]])
        for i in products:
            self._layers_stored[i] = self._layers[i] = stored.get(i, [])

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
            self._stock[product_id] = valuations.lock_valuation(
                self.conn, self.company_id, product_id
            )
            stored = valuations.fifo_layers(self.conn, self.company_id, product_id) if fifo else []
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
        valued = sorted(self._valued)
        valuations.set_valuations(self.conn, self.company_id, {i: self._stock[i] for i in valued})
        valuations.replace_layers_of(
            self.conn,
            self.company_id,
            [(i, self._layers_stored[i], self._layers[i]) for i in valued],
        )
        for i in valued:
            self._layers_stored[i] = self._layers[i]
        self._valued = set()
