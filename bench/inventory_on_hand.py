"""On hand on 1,000,000 done stock moves: the service's query vs raw SQL.

    .venv/bin/python bench/inventory_on_hand.py [--db URL] [--moves 1000000]

1,000 products in 10 stock locations; the moves (receipts of 10 from SUPPLIER,
issues of 3 to CUSTOMER, alternating per product and location so stock stays
positive) are bulk-loaded by SQL (executemany on SQLite, COPY on PostgreSQL), and the
maintained balances are built from them by one INSERT ... SELECT ... GROUP BY; the
``inventory.on_hand`` check then proves balances = sum of moves.

Timed (median of 21 runs, different products):
- service: ``hansa.inventory.on_hand(uow, actor, company, sku)`` (one product, every
  location and lot, from the maintained balances) and ``list_products`` (all 1,000
  products with on hand, reserved, status);
- baselines in the same run: the same product's on hand summed from the moves by raw
  SQL (what on hand costs without a balance table), and the raw balance-table read.

Target: the on-hand query under 50 ms. Writes bench/results/inventory_on_hand-<backend>.json.
"""

from __future__ import annotations

import argparse
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hansa import inventory
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.system import run_checks
from ledger_support import (
    mark,
    median_ms,
    new_company,
    raw_connection,
    scratch_database,
    timed,
    write_results,
)

PRODUCTS, LOCATIONS, RUNS = 1_000, 10, 21
UNIT = 1_000_000  # quantities are stored in millionths


def setup(url: str) -> tuple[int, list[int], dict[str, int]]:
    engine = create_engine(url)
    new_company(engine, "BENCH", date(2026, 1, 1))
    uow = UnitOfWork(engine)
    inventory.add_product(uow, SYSTEM, None, sku="P0", name="P0", price=Decimal(2), cost=Decimal(1))
    for n in range(1, LOCATIONS):
        inventory.add_location(UnitOfWork(engine), SYSTEM, None, parent="WH/STOCK", code=f"L{n}")
    engine.dispose()
    conn = raw_connection(url)
    m = mark(conn)
    cur = conn.cursor()
    cur.execute("SELECT id FROM ledger_companies WHERE code = 'BENCH'")
    company = cur.fetchone()[0]
    cur.execute(f"SELECT id, category_id FROM inventory_products WHERE sku = {m}", ("P0",))
    _, category = cur.fetchone()
    rows = [
        (company, f"P{n}", f"Product {n}", "", category, 2 * UNIT, UNIT) for n in range(1, PRODUCTS)
    ]
    cur.executemany(
        "INSERT INTO inventory_products (company_id, sku, name, description, category_id, price, "
        f"cost) VALUES ({m}, {m}, {m}, {m}, {m}, {m}, {m})",
        rows,
    )
    if not isinstance(conn, sqlite3.Connection):
        conn.commit()
    cur.execute(f"SELECT id FROM inventory_products WHERE company_id = {m} ORDER BY id", (company,))
    products = [r[0] for r in cur.fetchall()]
    cur.execute(f"SELECT code, id FROM inventory_locations WHERE company_id = {m}", (company,))
    places = dict(cur.fetchall())
    conn.close()
    return company, products, places


def load_moves(
    url: str, company: int, products: list[int], places: dict[str, int], count: int
) -> None:
    stock = sorted(v for k, v in places.items() if k.startswith("WH/"))
    supplier, customer = places["SUPPLIER"], places["CUSTOMER"]
    now = datetime(2026, 6, 1, 12, tzinfo=UTC).replace(tzinfo=None)
    conn = raw_connection(url)
    sqlite = isinstance(conn, sqlite3.Connection)
    day = "2026-06-01" if sqlite else date(2026, 6, 1)
    at = now.isoformat(" ") if sqlite else now

    def row(n: int) -> tuple[Any, ...]:
        product = products[n % len(products)]
        where = stock[(n // len(products)) % len(stock)]
        receipt = (n // (len(products) * len(stock))) % 2 == 0
        kind, qty = ("receipt", 10) if receipt else ("issue", 3)
        source, dest = (supplier, where) if receipt else (where, customer)
        return (
            company,
            kind,
            "done",
            product,
            qty * UNIT,
            source,
            dest,
            day,
            False,
            "bench",
            at,
            at,
        )

    columns = (
        "company_id, kind, state, product_id, quantity, source_id, destination_id, date, "
        "reserved, created_by, created_at, done_at"
    )
    chunk = 50_000
    if sqlite:
        conn.execute("BEGIN")
        for start in range(0, count, chunk):
            conn.executemany(
                f"INSERT INTO inventory_moves ({columns}) VALUES ({', '.join('?' * 12)})",
                [row(n) for n in range(start, min(count, start + chunk))],
            )
        conn.execute("COMMIT")
    else:
        with conn.cursor() as cur, cur.copy(f"COPY inventory_moves ({columns}) FROM STDIN") as copy:
            for n in range(count):
                copy.write_row(row(n))
        conn.commit()
    m = mark(conn)
    cur = conn.cursor()
    if sqlite:
        conn.execute("BEGIN")
    for column, sign in (("destination_id", ""), ("source_id", "-")):
        cur.execute(
            "INSERT INTO inventory_balances (company_id, product_id, location_id, lot_key, "
            f"quantity, reserved) SELECT company_id, product_id, {column}, 0, "
            f"{sign}SUM(quantity), 0 FROM inventory_moves WHERE company_id = {m} AND {column} IN "
            "(SELECT id FROM inventory_locations WHERE kind = 'internal') "
            f"GROUP BY company_id, product_id, {column} "
            "ON CONFLICT (company_id, product_id, location_id, lot_key) DO UPDATE SET "
            "quantity = inventory_balances.quantity + excluded.quantity",
            (company,),
        )
    if sqlite:
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    else:
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE inventory_moves")
        conn.execute("VACUUM ANALYZE inventory_balances")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: a fresh SQLite file)")
    parser.add_argument("--moves", type=int, default=1_000_000)
    opts = parser.parse_args()
    with scratch_database(opts.db) as (url, backend, _):
        company, products, places = setup(url)
        load_seconds, _ = timed(lambda: load_moves(url, company, products, places, opts.moves))
        engine = create_engine(url)
        readers = iter(range(10**9))

        def service_one() -> Any:
            sku = f"P{(next(readers) * 37) % PRODUCTS}"
            return inventory.on_hand(UnitOfWork(engine, readonly=True), SYSTEM, None, sku)

        def service_all() -> Any:
            return inventory.list_products(UnitOfWork(engine, readonly=True), SYSTEM, None)

        assert len(service_one()) == LOCATIONS
        assert len(service_all()) == PRODUCTS
        conn = raw_connection(url)
        m = mark(conn)
        internal = "(SELECT id FROM inventory_locations WHERE kind = 'internal')"
        from_moves = (
            "SELECT loc, SUM(q) FROM (SELECT destination_id AS loc, quantity AS q "
            f"FROM inventory_moves WHERE company_id = {m} AND product_id = {m} AND state = 'done' "
            f"AND destination_id IN {internal} UNION ALL SELECT source_id, -quantity "
            f"FROM inventory_moves WHERE company_id = {m} AND product_id = {m} "
            f"AND state = 'done' AND source_id IN {internal}) AS t GROUP BY loc"
        )
        from_balances = (
            "SELECT location_id, lot_key, quantity, reserved FROM inventory_balances "
            f"WHERE company_id = {m} AND product_id = {m}"
        )

        def raw(sql: str, twice: bool) -> Any:
            product = products[(next(readers) * 37) % PRODUCTS]
            cur = conn.cursor()
            cur.execute(sql, (company, product, company, product) if twice else (company, product))
            return cur.fetchall()

        service_ms, service_runs = median_ms(service_one, RUNS)
        all_ms, _ = median_ms(service_all, RUNS)
        moves_ms, _ = median_ms(lambda: raw(from_moves, True), RUNS)
        balances_ms, _ = median_ms(lambda: raw(from_balances, False), RUNS)
        conn.close()
        check_seconds, outcomes = timed(
            lambda: run_checks(UnitOfWork(engine, readonly=True), SYSTEM, ["inventory.on_hand"])
        )
        engine.dispose()
    results = {
        "moves": opts.moves,
        "products": PRODUCTS,
        "stock_locations": LOCATIONS,
        "bulk_load_seconds": round(load_seconds, 1),
        "service_on_hand_one_product_ms": service_ms,
        "service_on_hand_runs_ms": service_runs,
        "service_list_products_all_1000_ms": all_ms,
        "baseline_raw_sum_of_moves_one_product_ms": moves_ms,
        "baseline_raw_balance_table_one_product_ms": balances_ms,
        "target_ms": 50,
        "target_met": service_ms < 50,
        "check_inventory_on_hand": {"ok": outcomes[0].ok, "seconds": round(check_seconds, 2)},
    }
    write_results("inventory_on_hand", backend, results)


if __name__ == "__main__":
    main()
