"""Stock moves through the service layer vs the same writes as hand-written SQL.

    .venv/bin/python bench/inventory_moves.py [--db URL] [--moves 4000]

- service: ``hansa.inventory.move_stock`` once per move, each its own transaction,
  alternating a receipt (10 units at a varying cost) and an issue (7 units) over 50
  FIFO products: lock and update the on-hand balance, lock the product's valuation,
  read and rewrite its FIFO layers, post the ledger entry (inventory vs GRNI or cost
  of sales) through ``hansa.ledger.post_within`` with its gapless number, balances,
  audit record and event, insert the move, audit it and queue its event;
- batch: the same moves through ``hansa.inventory.move_stock_many``, 100 per
  transaction: one ledger entry (2 lines per move), one audit record and one event per
  batch, each balance, valuation and layer row read and written once;
- baseline: the same rows written by hand-written SQL over the DBAPI, one transaction
  each, and again 100 moves per transaction: balance upsert, valuation update, one
  layer insert (receipt) or update (issue), the entry number, the entry, its 2 lines
  and 2 ledger balance upserts, the move. No checks, no audit, no events, no reads back.

Prints JSON and writes bench/results/inventory_moves-<backend>.json. Target: at least
2,000 moves/s on SQLite (met by the batch path).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hansa import inventory
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.system import run_checks
from ledger_support import (
    begin,
    mark,
    new_company,
    raw_connection,
    scratch_database,
    timed,
    write_results,
)

YEAR = 2026
PRODUCTS = 50
WARM_UP = 100
Move = tuple[str, int, int]  # kind, product number, cost in cents


def moves(count: int, seed: int = 7) -> list[Move]:
    rnd = random.Random(seed)
    return [
        ("receipt" if n % 2 == 0 else "issue", (n // 2) % PRODUCTS, rnd.randint(100, 999))
        for n in range(count)
    ]


def _setup_service(engine: Any, company: str) -> None:
    new_company(engine, company, date(YEAR, 1, 1))
    for n in range(PRODUCTS):
        inventory.add_product(
            UnitOfWork(engine),
            SYSTEM,
            company,
            sku=f"P{n}",
            name=f"Product {n}",
            price=Decimal(20),
            cost=Decimal(5),
        )


def _request(item: Move) -> inventory.MoveRequest:
    kind, product, cents = item
    if kind == "receipt":
        return inventory.MoveRequest(
            kind, f"P{product}", Decimal(10), unit_cost=Decimal(cents) / 100, date=date(YEAR, 6, 1)
        )
    return inventory.MoveRequest(kind, f"P{product}", Decimal(7), date=date(YEAR, 6, 1))


# Cumulative times (the ledger's own audit record is in post_within).
_WANTED = {
    ("ledger/service/entries.py", "post_within"): "ledger entry (post_within)",
    ("inventory/service/moves.py", "record"): "move's audit record + event",
    ("inventory/service/moves.py", "_record_batch"): "batch's audit record + event",
    ("inventory/service/moves.py", "__init__"): "loading products, locations (once)",
    ("inventory/service/moves.py", "plan"): "checking each request, its lot",
    ("inventory/service/valuation.py", "plan"): "valuation (locks, layers)",
    ("inventory/service/completion.py", "take_out"): "balance check (locked row)",
    ("inventory/repository/stock.py", "insert_moves"): "inserting the moves",
    ("inventory/service/held.py", "flush"): "writing balances, valuations, layers",
    ("inventory/service/completion.py", "made"): "the moves returned (from memory)",
    ("db/uow.py", "__enter__"): "BEGIN (connection from the pool)",
    ("db/uow.py", "commit"): "COMMIT",
}


def _shares(work: Callable[[], object]) -> dict[str, str]:
    """Where *work*'s time goes, as shares of the profiled total."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    shares: dict[str, float] = {}
    for (path, _, name), row in stats.stats.items():  # type: ignore[attr-defined]
        for (suffix, fn), label in _WANTED.items():
            if name == fn and path.endswith(suffix):
                shares[label] = shares.get(label, 0) + row[3]
    return {k: f"{100 * v / total:.0f}%" for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}


def service_moves(url: str, data: list[Move], profile: bool) -> dict[str, Any]:
    engine = create_engine(url)
    _setup_service(engine, "SERVICE")

    def run(item: Move) -> None:
        inventory.move_stock(UnitOfWork(engine), SYSTEM, "SERVICE", _request(item))

    for item in data[:WARM_UP]:
        run(item)
    timed_part = data[WARM_UP:]
    seconds, _ = timed(lambda: [run(item) for item in timed_part])
    result: dict[str, Any] = {
        "moves": len(timed_part),
        "seconds": round(seconds, 2),
        "moves_per_s": round(len(timed_part) / seconds),
    }
    if profile:  # where the time goes, on 400 more moves
        more = data[WARM_UP : WARM_UP + 400]
        result["profile_share_of_time"] = _shares(lambda: [run(item) for item in more])
    engine.dispose()
    return result


BATCH = 100


def batch_moves(url: str, data: list[Move], profile: bool) -> dict[str, Any]:
    """The same moves through ``hansa.inventory.move_stock_many``, 100 per transaction."""
    engine = create_engine(url)
    _setup_service(engine, "BATCH")

    def run(items: list[Move]) -> None:
        requests = [_request(item) for item in items]
        inventory.move_stock_many(UnitOfWork(engine), SYSTEM, "BATCH", requests)

    run(data[:WARM_UP])
    timed_part = data[WARM_UP:]
    chunks = [timed_part[i : i + BATCH] for i in range(0, len(timed_part), BATCH)]
    seconds, _ = timed(lambda: [run(chunk) for chunk in chunks])
    result: dict[str, Any] = {
        "moves": len(timed_part),
        "moves_per_batch": BATCH,
        "seconds": round(seconds, 2),
        "moves_per_s": round(len(timed_part) / seconds),
    }
    if profile:  # where the time goes, on 10 more batches
        result["profile_share_of_time"] = _shares(lambda: [run(chunk) for chunk in chunks[:10]])
    engine.dispose()
    return result


class HandWritten:
    """The writes of one valued move as plain SQL."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.sqlite = conn, isinstance(conn, sqlite3.Connection)
        m = mark(conn)
        self.balance = (
            "INSERT INTO inventory_balances (company_id, product_id, location_id, lot_key, "
            f"quantity, reserved) VALUES ({m}, {m}, {m}, 0, {m}, 0) ON CONFLICT "
            "(company_id, product_id, location_id, lot_key) DO UPDATE SET "
            "quantity = inventory_balances.quantity + excluded.quantity"
        )
        self.valuation = (
            f"UPDATE inventory_valuations SET quantity = quantity + {m}, value = value + {m} "
            f"WHERE company_id = {m} AND product_id = {m}"
        )
        self.layer_in = (
            "INSERT INTO inventory_layers (company_id, product_id, move_id, quantity, value) "
            f"VALUES ({m}, {m}, {m}, {m}, {m})"
        )
        self.layer_out = (
            f"UPDATE inventory_layers SET quantity = quantity - {m}, value = value - {m} "
            f"WHERE company_id = {m} AND product_id = {m} AND move_id = {m}"
        )
        self.number = (
            "INSERT INTO ledger_sequences (company_id, journal_id, fiscal_year_id, last_number) "
            f"VALUES ({m}, {m}, {m}, 1) ON CONFLICT (company_id, journal_id, fiscal_year_id) "
            "DO UPDATE SET last_number = ledger_sequences.last_number + excluded.last_number "
            "RETURNING last_number"
        )
        self.entry = (
            "INSERT INTO ledger_entries (company_id, journal_id, number, date, state, narration, "
            f"created_by, created_at, posted_at) VALUES ({m}, {m}, {m}, {m}, 'posted', 'move', "
            f"'bench', {m}, {m}) RETURNING id"
        )
        self.line = (
            "INSERT INTO ledger_lines (entry_id, company_id, line_no, account_id, date, "
            "commodity, amount, weight_currency, weight, posted) VALUES "
            f"({m}, {m}, {m}, {m}, {m}, 'EUR', {m}, 'EUR', {m}, TRUE)"
        )
        self.ledger_balance = (
            "INSERT INTO ledger_balances (company_id, account_id, commodity, weight_currency, "
            f"day, amount, weight, lines) VALUES ({m}, {m}, 'EUR', 'EUR', {m}, {m}, {m}, 1) "
            "ON CONFLICT (company_id, account_id, commodity, weight_currency, day) DO UPDATE "
            "SET amount = ledger_balances.amount + excluded.amount, "
            "weight = ledger_balances.weight + excluded.weight, "
            "lines = ledger_balances.lines + excluded.lines"
        )
        self.move = (
            "INSERT INTO inventory_moves (company_id, kind, state, product_id, quantity, "
            "source_id, destination_id, unit_cost, value, date, entry_id, reserved, created_by, "
            f"created_at, done_at) VALUES ({m}, {m}, 'done', {m}, {m}, {m}, {m}, {m}, {m}, {m}, "
            f"{m}, FALSE, 'bench', {m}, {m}) RETURNING id"
        )

    def one(self, sql: str, args: tuple[Any, ...]) -> Any:
        cur = self.conn.cursor()
        cur.execute(sql, args)
        return cur.fetchone()[0]

    def ids(self, company: str) -> dict[str, Any]:
        m = mark(self.conn)
        cid = self.one(f"SELECT id FROM ledger_companies WHERE code = {m}", (company,))
        found = {
            "company": cid,
            "journal": self.one(
                f"SELECT id FROM ledger_journals WHERE company_id = {m} AND code = 'STK'", (cid,)
            ),
            "year": self.one(f"SELECT id FROM ledger_fiscal_years WHERE company_id = {m}", (cid,)),
        }
        for code in ("1200", "2050", "5000"):
            found[code] = self.one(
                f"SELECT id FROM ledger_accounts WHERE company_id = {m} AND code = {m}", (cid, code)
            )
        for code in ("SUPPLIER", "CUSTOMER", "WH/STOCK"):
            found[code] = self.one(
                f"SELECT id FROM inventory_locations WHERE company_id = {m} AND code = {m}",
                (cid, code),
            )
        found["products"] = [
            self.one(
                f"SELECT id FROM inventory_products WHERE company_id = {m} AND sku = {m}",
                (cid, f"P{n}"),
            )
            for n in range(PRODUCTS)
        ]
        cur = self.conn.cursor()
        for pid in found["products"]:
            cur.execute(
                "INSERT INTO inventory_valuations (company_id, product_id, quantity, value) "
                f"VALUES ({m}, {m}, 0, 0)",
                (cid, pid),
            )
        if not self.sqlite:
            self.conn.commit()
        found["oldest"] = {}
        return found

    def post(self, ids: dict[str, Any], items: list[Move]) -> None:
        """*items* in one transaction."""
        begin(self.conn)
        for item in items:
            self.write(ids, item)
        if self.sqlite:
            self.conn.execute("COMMIT")
        else:
            self.conn.commit()

    def write(self, ids: dict[str, Any], item: Move) -> None:
        kind, product, cents = item
        cid, pid = ids["company"], ids["products"][product]
        receipt = kind == "receipt"
        quantity = 10 if receipt else 7
        value = quantity * cents * 10_000 if receipt else quantity * 5 * 1_000_000  # millionths
        day = date(YEAR, 6, 1).isoformat() if self.sqlite else date(YEAR, 6, 1)
        now = datetime.now(UTC).replace(tzinfo=None)
        at = now.isoformat(" ") if self.sqlite else now
        q = quantity * 1_000_000
        cur = self.conn.cursor()
        stock = ids["WH/STOCK"]
        cur.execute(self.balance, (cid, pid, stock, q if receipt else -q))
        cur.execute(self.valuation, (q if receipt else -q, value if receipt else -value, cid, pid))
        number = self.one(self.number, (cid, ids["journal"], ids["year"]))
        entry = self.one(self.entry, (cid, ids["journal"], f"STK/{YEAR}/{number:06d}", day, at, at))
        other = ids["2050"] if receipt else ids["5000"]
        signed = value if receipt else -value
        cur.executemany(
            self.line,
            [
                (entry, cid, 1, ids["1200"], day, signed, signed),
                (entry, cid, 2, other, day, -signed, -signed),
            ],
        )
        cur.executemany(
            self.ledger_balance,
            [(cid, ids["1200"], day, signed, signed), (cid, other, day, -signed, -signed)],
        )
        source, dest = (ids["SUPPLIER"], stock) if receipt else (stock, ids["CUSTOMER"])
        move = self.one(
            self.move,
            (cid, kind, pid, q, source, dest, value // quantity, value, day, entry, at, at),
        )
        if receipt:
            cur.execute(self.layer_in, (cid, pid, move, q, value))
            ids["oldest"].setdefault(pid, move)
        else:
            cur.execute(self.layer_out, (q, value, cid, pid, ids["oldest"][pid]))


def raw_moves(url: str, data: list[Move], per_transaction: int = 1) -> dict[str, Any]:
    company = f"RAW{per_transaction}"
    engine = create_engine(url)
    _setup_service(engine, company)
    engine.dispose()
    conn = raw_connection(url)
    writer = HandWritten(conn)
    ids = writer.ids(company)
    writer.post(ids, data[:WARM_UP])
    timed_part = data[WARM_UP:]
    chunks = [
        timed_part[i : i + per_transaction] for i in range(0, len(timed_part), per_transaction)
    ]
    seconds, _ = timed(lambda: [writer.post(ids, chunk) for chunk in chunks])
    conn.close()
    return {
        "moves": len(timed_part),
        "moves_per_transaction": per_transaction,
        "seconds": round(seconds, 2),
        "moves_per_s": round(len(timed_part) / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: a fresh SQLite file)")
    parser.add_argument("--moves", type=int, default=4_000)
    parser.add_argument("--no-profile", action="store_true", help="Skip the profiled run.")
    opts = parser.parse_args()
    data = moves(opts.moves + WARM_UP + 400)
    with scratch_database(opts.db) as (url, backend, _):
        service = service_moves(url, data[: opts.moves + WARM_UP], not opts.no_profile)
        batch = batch_moves(url, data[: opts.moves + WARM_UP], not opts.no_profile)
        raw = raw_moves(url, data[: opts.moves + WARM_UP])
        raw_batch = raw_moves(url, data[: opts.moves + WARM_UP], BATCH)
        engine = create_engine(url)
        names = [
            "inventory.on_hand",
            "inventory.valuation_ties_to_ledger",
            "ledger.entries_balance",
        ]
        outcomes = run_checks(UnitOfWork(engine, readonly=True), SYSTEM, names)
        engine.dispose()
    results = {
        "products": PRODUCTS,
        "warm_up_moves_not_timed": WARM_UP,
        "service_move_stock": service,
        "service_move_stock_many": batch,
        "baseline_hand_written_sql": raw,
        "baseline_hand_written_sql_batched": raw_batch,
        "ratio_raw_over_service_rate": round(raw["moves_per_s"] / service["moves_per_s"], 2),
        "ratio_raw_batched_over_batch_rate": round(
            raw_batch["moves_per_s"] / batch["moves_per_s"], 2
        ),
        "target_moves_per_s_sqlite": 2000,
        "integrity_checks_after": {o.name: o.ok for o in outcomes},
    }
    results["target_met_by_batch"] = backend != "sqlite" or batch["moves_per_s"] >= 2000
    write_results("inventory_moves", backend, results)


if __name__ == "__main__":
    main()
