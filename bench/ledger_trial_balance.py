"""Trial balance latency on a ledger of 10,000,000 posted lines vs a raw SUM over lines.

    .venv/bin/python bench/ledger_trial_balance.py [--db URL] [--lines 10000000]

The ledger is built FAST with bulk SQL straight into the ledger's tables (sqlite3
executemany, or psycopg COPY on PostgreSQL), writing what posting would write:
4-line entries over 2023-2025 (two EUR lines, a USD line weighing in EUR and its EUR
counterpart) with gapless numbers per journal and fiscal year, their posted lines,
the sequences, and the daily balances (``ledger_balances``) summed from the lines.
Foreign keys are off and the lines' secondary indexes are dropped during the load and
rebuilt from their own definitions afterwards. The ledger's integrity checks then
prove the result consistent (entries balance, balances equal the sum of lines,
numbers gapless, trial balance zero). Building through ``import_journal`` would take
ten times the 1,000,000-line import of bench/ledger_import.py (about 10 minutes).

Then, in the same run:

- service: ``hansa.ledger.trial_balance`` as of 2025-12-31 (median of --runs, after
  one warm-up; each run a fresh read-only unit of work);
- baseline: ``SELECT account_id, commodity, SUM(amount) FROM ledger_lines
  WHERE company_id = ? GROUP BY account_id, commodity`` over the DBAPI (median of 3).

Prints JSON and writes bench/results/ledger_trial_balance-<backend>.json. Target:
the trial balance under 100 ms.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hansa import ledger
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from ledger_support import (
    begin,
    mark,
    median_ms,
    new_company,
    raw_connection,
    run_ledger_checks,
    scratch_database,
    timed,
    write_results,
)

FIRST, LAST = date(2023, 1, 1), date(2025, 12, 31)
CHUNK = 250_000  # entries per insert round (a million lines)
ENTRY_COLUMNS = (
    "id, company_id, journal_id, number, date, state, narration, created_by, created_at, posted_at"
)
LINE_COLUMNS = (
    "entry_id, company_id, line_no, account_id, date, commodity, amount, weight_currency, "
    "weight, posted"
)


def prepare_books(url: str, accounts: int) -> dict[str, Any]:
    """The company, its three fiscal years and *accounts* extra accounts; their ids."""
    engine = create_engine(url)
    company = new_company(engine, "BIG", FIRST)
    for year in (2024, 2025):
        ledger.open_fiscal_year(UnitOfWork(engine), SYSTEM, "BIG", date(year, 1, 1))
    for n in range(accounts):
        kind = ("asset", "liability", "income", "expense")[n % 4]
        ledger.add_account(
            UnitOfWork(engine), SYSTEM, "BIG", code=f"8{n:03d}", name=f"Bench {n}", type=kind
        )
    with engine.connect() as conn:
        ids = [
            r[0]
            for r in conn.execute(
                sa.text("SELECT id FROM ledger_accounts WHERE company_id = :c AND code LIKE '8%'"),
                {"c": company.id},
            )
        ]
        journal = conn.execute(
            sa.text("SELECT id FROM ledger_journals WHERE company_id = :c AND code = 'GEN'"),
            {"c": company.id},
        ).scalar_one()
        years = {
            int(r[1]): r[0]
            for r in conn.execute(
                sa.text("SELECT id, name FROM ledger_fiscal_years WHERE company_id = :c"),
                {"c": company.id},
            )
        }
    engine.dispose()
    return {"company": company.id, "journal": journal, "accounts": ids, "years": years}


def chunks(books: dict[str, Any], entries: int, seed: int = 3) -> Iterator[tuple[list, list]]:
    """(entry rows, line rows) per CHUNK entries, in date order, ids from 1."""
    rnd = random.Random(seed)
    company, journal, accounts = books["company"], books["journal"], books["accounts"]
    days = (LAST - FIRST).days + 1
    numbers = dict.fromkeys(books["years"], 0)
    at = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    for start in range(0, entries, CHUNK):
        entry_rows, line_rows = [], []
        for n in range(start, min(start + CHUNK, entries)):
            day = FIRST + timedelta(days=n * days // entries)
            numbers[day.year] += 1
            entry_id = n + 1
            entry_rows.append(
                (
                    entry_id,
                    company,
                    journal,
                    f"GEN/{day.year}/{numbers[day.year]:06d}",
                    day,
                    "posted",
                    f"Entry {n}",
                    "bench",
                    at,
                    at,
                )
            )
            a, b, c, d = rnd.sample(accounts, 4)
            eur, usd, weight = (rnd.randint(1, 10**6) * 10_000 for _ in range(3))
            line_rows += [
                (entry_id, company, 1, a, day, "EUR", eur, "EUR", eur, True),
                (entry_id, company, 2, b, day, "EUR", -eur, "EUR", -eur, True),
                (entry_id, company, 3, c, day, "USD", usd, "EUR", weight, True),
                (entry_id, company, 4, d, day, "EUR", -weight, "EUR", -weight, True),
            ]
        yield entry_rows, line_rows
    books["numbers"] = numbers


def secondary_indexes(conn: Any) -> list[tuple[str, str]]:
    """(name, CREATE statement) of ledger_lines' indexes other than its primary key."""
    if isinstance(conn, sqlite3.Connection):
        query = (
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'ledger_lines' AND sql IS NOT NULL"
        )
    else:
        query = (
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_lines' "
            "AND indexname <> 'pk_ledger_lines'"
        )
    return [(r[0], r[1]) for r in conn.execute(query).fetchall()]


def load(url: str, books: dict[str, Any], entries: int) -> dict[str, Any]:
    """Write the entries, lines, sequences and balances; how long each step took."""
    conn = raw_connection(url)
    sqlite = isinstance(conn, sqlite3.Connection)
    # Foreign keys are not checked during the load: the data is consistent by
    # construction, and the ledger checks prove it afterwards.
    if sqlite:
        conn.execute("PRAGMA foreign_keys = OFF")
    else:
        conn.execute("SET session_replication_role = replica")  # no FK triggers
    indexes = secondary_indexes(conn)
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    if not sqlite:
        conn.commit()
    m = mark(conn)

    def insert() -> None:
        for entry_rows, line_rows in chunks(books, entries):
            begin(conn)
            if sqlite:
                conn.executemany(
                    f"INSERT INTO ledger_entries ({ENTRY_COLUMNS}) VALUES ({', '.join([m] * 10)})",
                    [(*r[:4], r[4].isoformat(), *r[5:8], str(r[8]), str(r[9])) for r in entry_rows],
                )
                conn.executemany(
                    f"INSERT INTO ledger_lines ({LINE_COLUMNS}) VALUES ({', '.join([m] * 10)})",
                    [(*r[:4], r[4].isoformat(), *r[5:]) for r in line_rows],
                )
                conn.execute("COMMIT")
            else:
                with conn.cursor() as cur:
                    with cur.copy(f"COPY ledger_entries ({ENTRY_COLUMNS}) FROM STDIN") as copy:
                        for row in entry_rows:
                            copy.write_row(row)
                    with cur.copy(f"COPY ledger_lines ({LINE_COLUMNS}) FROM STDIN") as copy:
                        for row in line_rows:
                            copy.write_row(row)
                conn.commit()

    def finish() -> None:
        begin(conn)
        for _, sql in indexes:
            conn.execute(sql)
        for year, count in books["numbers"].items():
            conn.execute(
                "INSERT INTO ledger_sequences (company_id, journal_id, fiscal_year_id, "
                f"last_number) VALUES ({m}, {m}, {m}, {m})",
                (books["company"], books["journal"], books["years"][year], count),
            )
        conn.execute(
            "INSERT INTO ledger_balances (company_id, account_id, commodity, weight_currency, "
            "day, amount, weight, lines) SELECT company_id, account_id, commodity, "
            "weight_currency, date, SUM(amount), SUM(weight), COUNT(*) FROM ledger_lines "
            "WHERE posted GROUP BY company_id, account_id, commodity, weight_currency, date"
        )
        if sqlite:
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")

    insert_s, _ = timed(insert)
    finish_s, _ = timed(finish)
    balance_rows = conn.execute("SELECT COUNT(*) FROM ledger_balances").fetchone()[0]
    conn.close()
    return {
        "insert_entries_and_lines_s": round(insert_s, 1),
        "indexes_sequences_balances_s": round(finish_s, 1),
        "balance_rows": balance_rows,
    }


def service_trial_balance(url: str, runs: int) -> dict[str, Any]:
    engine = create_engine(url)

    def service() -> list[ledger.BalanceRow]:
        return ledger.trial_balance(UnitOfWork(engine, readonly=True), SYSTEM, "BIG", LAST)

    rows = service()  # warm-up: caches, statement compilation
    service_ms, service_runs = median_ms(service, runs)
    engine.dispose()
    return {"median_ms": service_ms, "runs_ms": service_runs, "rows": len(rows)}


def measure(url: str, runs: int) -> dict[str, Any]:
    service = service_trial_balance(url, runs)
    conn = raw_connection(url)
    query = (
        "SELECT account_id, commodity, SUM(amount) FROM ledger_lines "
        f"WHERE company_id = {mark(conn)} GROUP BY account_id, commodity"
    )
    company = conn.execute("SELECT id FROM ledger_companies WHERE code = 'BIG'").fetchone()[0]

    def raw() -> list[Any]:
        return list(conn.execute(query, (company,)).fetchall())

    raw_rows = raw()
    raw_ms, raw_runs = median_ms(raw, 3)
    conn.close()
    return {
        "service_trial_balance": service,
        "baseline_raw_sum_over_lines": {
            "median_ms": raw_ms,
            "runs_ms": raw_runs,
            "rows": len(raw_rows),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: a fresh SQLite file)")
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=60, help="accounts the lines use")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-checks", action="store_true", help="skip the integrity checks")
    opts = parser.parse_args()
    with scratch_database(opts.db) as (url, backend, work):
        books = prepare_books(url, opts.accounts)
        build = load(url, books, opts.lines // 4)
        timings = measure(url, opts.runs)
        checks = None if opts.no_checks else run_ledger_checks(url)
        size = sum(p.stat().st_size for p in Path(work).glob("hansa.db*"))
    results = {
        "ledger": {
            "lines": opts.lines // 4 * 4,
            "entries": opts.lines // 4,
            "accounts_used": opts.accounts,
            "sqlite_file_bytes": size or None,
            **build,
        },
        **timings,
        "target_ms": 100,
        "integrity_checks_after_build": checks,
    }
    results["target_met"] = timings["service_trial_balance"]["median_ms"] < 100
    write_results("ledger_trial_balance", backend, results)


if __name__ == "__main__":
    main()
