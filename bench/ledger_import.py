"""Journal import: 1,000,000 CSV lines through the service layer vs raw executemany.

    .venv/bin/python bench/ledger_import.py [--db URL] [--entries 250000]

Generates a journal file of 4-line entries (default 250,000 entries = 1,000,000 lines)
spread over 2023-2025, in EUR (the company currency), USD (weighing in EUR) and a
share commodity SHR (3 decimals, weighing in USD). Then, in the same run and on the
same database:

- service: ``hansa.ledger.import_journal`` reads the file (csv module, streamed),
  checks and posts every entry (batches of 2,000 entries, one bulk ``store`` each),
  opens the fiscal years 2024 and 2025, declares SHR and writes one audit record;
- baseline: csv.reader over the same file and DBAPI ``executemany`` (sqlite3 or
  psycopg, batches of 10,000 rows, one transaction) into a plain table with the
  file's nine columns — no checks, no indexes, no balances.

Prints JSON and writes bench/results/ledger_import-<backend>.json. Target: the
service within 5x of the baseline. The ledger's integrity checks run afterwards
(untimed in the ratio) to show the import left consistent books.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hansa import ledger
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from ledger_support import (
    begin,
    mark,
    money,
    new_company,
    raw_connection,
    run_ledger_checks,
    scratch_database,
    timed,
    write_results,
)

FIRST, LAST = date(2023, 1, 1), date(2025, 12, 31)
RAW_BATCH = 10_000


def entry_lines(n: int, rnd: random.Random) -> list[tuple[str, ...]]:
    """(account, commodity, amount, weight, weight currency, narration, payee) of the
    *n*-th entry: a EUR sale, a USD bill weighing in EUR, or shares bought for USD."""
    kind = n % 3
    if kind == 0:
        a, b, c = (rnd.randint(100, 999_999) for _ in range(3))
        return [
            ("1100", "EUR", money(a + b + c), "", "", f"Invoice {n}", f"Customer {n % 500}"),
            ("4000", "EUR", money(-a), "", "", "", ""),
            ("4100", "EUR", money(-b), "", "", "", ""),
            ("2100", "EUR", money(-c), "", "", "", ""),
        ]
    if kind == 1:
        usd, eur = rnd.randint(100, 999_999), rnd.randint(100, 999_999)
        v, t = rnd.randint(100, 99_999), rnd.randint(100, 99_999)
        return [
            ("1010", "USD", money(usd), money(eur), "EUR", f"Bill {n}", f"Vendor {n % 200}"),
            ("6200", "EUR", money(v), "", "", "", ""),
            ("6400", "EUR", money(t), "", "", "", ""),
            ("2000", "EUR", money(-(eur + v + t)), "", "", "", ""),
        ]
    qty, usd, fee = rnd.randint(1, 99_999), rnd.randint(100, 999_999), rnd.randint(1, 9_999)
    return [
        ("1500", "SHR", money(qty, 3), money(usd), "USD", f"Shares {n}", ""),
        ("1010", "USD", money(-usd), "", "", "", ""),
        ("6400", "EUR", money(fee), "", "", "", ""),
        ("1000", "EUR", money(-fee), "", "", "", ""),
    ]


def generate(path: Path, entries: int, seed: int = 7) -> int:
    """Write the journal file, entries in date order; returns its number of lines."""
    rnd = random.Random(seed)
    days = (LAST - FIRST).days + 1
    with path.open("w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(ledger.JOURNAL_HEADER)
        for n in range(entries):
            day = (FIRST + timedelta(days=n * days // entries)).isoformat()
            out.writerows((day, str(n + 1), *line) for line in entry_lines(n, rnd))
    return entries * 4


class JournalFile:
    """The file's records, read again from the top on each iteration."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[tuple[int, Mapping[str, str]]]:
        with self.path.open(newline="") as handle:
            _, records = ledger.read_interchange(handle)
            yield from records


def service_import(url: str, path: Path) -> dict[str, Any]:
    engine = create_engine(url)
    new_company(engine, "BENCH", FIRST)
    seconds, summary = timed(
        lambda: ledger.import_journal(UnitOfWork(engine), SYSTEM, "BENCH", JournalFile(path))
    )
    engine.dispose()
    return {
        "seconds": round(seconds, 2),
        "entries": summary.entries,
        "lines": summary.lines,
        "rejected": len(summary.rejected),
        "fiscal_years_opened": list(summary.fiscal_years_opened),
        "commodities_declared": [f"{c.code}/{c.decimals}" for c in summary.commodities_declared],
    }


def raw_import(url: str, path: Path) -> dict[str, Any]:
    conn = raw_connection(url)
    sqlite = mark(conn) == "?"
    number = "NUMERIC" if sqlite else "NUMERIC(24, 6)"
    conn.execute(
        "CREATE TABLE bench_raw_lines (date DATE, entry TEXT, "
        f"account TEXT, commodity TEXT, amount {number}, weight_amount {number}, "
        "weight_currency TEXT, narration TEXT, payee TEXT)"
    )
    if not sqlite:
        conn.commit()
    insert = (
        "INSERT INTO bench_raw_lines (date, entry, account, commodity, amount, weight_amount, "
        f"weight_currency, narration, payee) VALUES ({', '.join([mark(conn)] * 9)})"
    )

    def run() -> int:
        count = 0
        begin(conn)
        cursor = conn.cursor()
        with path.open(newline="") as handle:
            rows = csv.reader(handle)
            next(rows)
            while True:
                batch = [
                    tuple(v if v else None for v in row)
                    for row in itertools.islice(rows, RAW_BATCH)
                ]
                if not batch:
                    break
                cursor.executemany(insert, batch)
                count += len(batch)
        if sqlite:
            conn.execute("COMMIT")
        else:
            conn.commit()
        return count

    seconds, count = timed(run)
    conn.close()
    return {"seconds": round(seconds, 2), "lines": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: a fresh SQLite file)")
    parser.add_argument("--entries", type=int, default=250_000)
    parser.add_argument("--no-checks", action="store_true", help="skip the integrity checks")
    opts = parser.parse_args()
    with scratch_database(opts.db) as (url, backend, work):
        path = work / "journal.csv"
        gen_seconds, lines = timed(lambda: generate(path, opts.entries))
        service = service_import(url, path)
        raw = raw_import(url, path)
        checks = None if opts.no_checks else run_ledger_checks(url)
        size = path.stat().st_size
    results = {
        "file": {"lines": lines, "bytes": size, "generated_in_s": round(gen_seconds, 2)},
        "service_import_journal": service
        | {"lines_per_s": round(service["lines"] / service["seconds"])},
        "baseline_raw_executemany": raw | {"lines_per_s": round(raw["lines"] / raw["seconds"])},
        "ratio_service_over_raw_time": round(service["seconds"] / raw["seconds"], 2),
        "target_ratio": 5,
        "integrity_checks_after_import": checks,
    }
    results["target_met"] = results["ratio_service_over_raw_time"] <= 5
    write_results("ledger_import", backend, results)


if __name__ == "__main__":
    main()
