"""Posting single 4-line entries through the service layer vs hand-written SQL.

    .venv/bin/python bench/ledger_post.py [--db URL] [--entries 5000]

- service: ``hansa.ledger.record_entry`` once per entry, each its own transaction:
  load the books, check and resolve the entry, take the next gapless number, insert
  the entry and its lines, add them to the daily balances, one audit record, one
  outbox event, read the posted entry back;
- baseline: the same entries written by hand-written SQL over the DBAPI (sqlite3 or
  psycopg), one transaction each: find the partner, take the number (upsert ...
  RETURNING), insert the entry (RETURNING id), its 4 lines and the 4 balance upserts.
  No checks, no audit, no event.

Both run on the same database, in two companies. Prints JSON and writes
bench/results/ledger_post-<backend>.json. Target: at least 1,000 entries/s on SQLite.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
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

YEAR = 2026
WARM_UP = 50
ACCOUNTS = ("1100", "4000", "4100", "2100")


def entries(count: int, seed: int = 11) -> list[tuple[date, str, str, list[int]]]:
    """(day, narration, partner, amounts in cents per line of ACCOUNTS) per entry."""
    rnd = random.Random(seed)
    result = []
    for n in range(count):
        a, b, c = (rnd.randint(100, 999_999) for _ in range(3))
        day = date(YEAR, 1 + n % 12, 1 + n % 28)
        result.append((day, f"Invoice {n}", f"Customer {n % 50}", [a + b + c, -a, -b, -c]))
    return result


def service_posting(url: str, data: list[tuple[date, str, str, list[int]]]) -> dict[str, Any]:
    engine = create_engine(url)
    new_company(engine, "SERVICE", date(YEAR, 1, 1))

    def post(item: tuple[date, str, str, list[int]]) -> None:
        day, narration, partner, cents = item
        lines = tuple(
            ledger.LineDraft(account, "EUR", Decimal(money(amount)))
            for account, amount in zip(ACCOUNTS, cents, strict=True)
        )
        draft = ledger.EntryDraft("GEN", day, lines, narration, partner)
        ledger.record_entry(UnitOfWork(engine), SYSTEM, "SERVICE", draft)

    for item in data[:WARM_UP]:
        post(item)
    seconds, _ = timed(lambda: [post(item) for item in data[WARM_UP:]])
    engine.dispose()
    count = len(data) - WARM_UP
    return {"entries": count, "seconds": round(seconds, 2), "entries_per_s": round(count / seconds)}


class HandWritten:
    """The writes of one posting as plain SQL statements."""

    def __init__(self, conn: Any) -> None:
        self.conn, self.sqlite = conn, isinstance(conn, sqlite3.Connection)
        m = mark(conn)
        self.partner = f"SELECT id FROM ledger_partners WHERE company_id = {m} AND name = {m}"
        self.new_partner = (
            f"INSERT INTO ledger_partners (company_id, name) VALUES ({m}, {m}) RETURNING id"
        )
        self.number = (
            "INSERT INTO ledger_sequences (company_id, journal_id, fiscal_year_id, last_number) "
            f"VALUES ({m}, {m}, {m}, 1) ON CONFLICT (company_id, journal_id, fiscal_year_id) "
            "DO UPDATE SET last_number = ledger_sequences.last_number + excluded.last_number "
            "RETURNING last_number"
        )
        self.entry = (
            "INSERT INTO ledger_entries (company_id, journal_id, number, date, state, narration, "
            f"partner_id, created_by, created_at, posted_at) VALUES ({m}, {m}, {m}, {m}, "
            f"'posted', {m}, {m}, 'bench', {m}, {m}) RETURNING id"
        )
        self.line = (
            "INSERT INTO ledger_lines (entry_id, company_id, line_no, account_id, date, "
            "commodity, amount, weight_currency, weight, posted) VALUES "
            f"({m}, {m}, {m}, {m}, {m}, 'EUR', {m}, 'EUR', {m}, TRUE)"
        )
        self.balance = (
            "INSERT INTO ledger_balances (company_id, account_id, commodity, weight_currency, "
            f"day, amount, weight, lines) VALUES ({m}, {m}, 'EUR', 'EUR', {m}, {m}, {m}, 1) "
            "ON CONFLICT (company_id, account_id, commodity, weight_currency, day) DO UPDATE "
            "SET amount = ledger_balances.amount + excluded.amount, "
            "weight = ledger_balances.weight + excluded.weight, "
            "lines = ledger_balances.lines + excluded.lines"
        )

    def ids(self, company: str) -> tuple[int, int, int, list[int]]:
        cur = self.conn.cursor()
        m = mark(self.conn)
        cur.execute(f"SELECT id FROM ledger_companies WHERE code = {m}", (company,))
        company_id = cur.fetchone()[0]
        cur.execute(
            f"SELECT id FROM ledger_journals WHERE company_id = {m} AND code = 'GEN'", (company_id,)
        )
        journal_id = cur.fetchone()[0]
        cur.execute(f"SELECT id FROM ledger_fiscal_years WHERE company_id = {m}", (company_id,))
        year_id = cur.fetchone()[0]
        accounts = []
        for code in ACCOUNTS:
            cur.execute(
                f"SELECT id FROM ledger_accounts WHERE company_id = {m} AND code = {m}",
                (company_id, code),
            )
            accounts.append(cur.fetchone()[0])
        return company_id, journal_id, year_id, accounts

    def post(self, ids: tuple[int, int, int, list[int]], item: Any) -> None:
        company_id, journal_id, year_id, accounts = ids
        day, narration, partner, cents = item
        day_value = day.isoformat() if self.sqlite else day
        now = datetime.now(UTC).replace(tzinfo=None)
        at = now.isoformat(" ") if self.sqlite else now
        begin(self.conn)
        cur = self.conn.cursor()
        cur.execute(self.partner, (company_id, partner))
        found = cur.fetchone()
        if found is None:
            cur.execute(self.new_partner, (company_id, partner))
            found = cur.fetchone()
        cur.execute(self.number, (company_id, journal_id, year_id))
        number = f"GEN/{YEAR}/{cur.fetchone()[0]:06d}"
        cur.execute(
            self.entry, (company_id, journal_id, number, day_value, narration, found[0], at, at)
        )
        entry_id = cur.fetchone()[0]
        scaled = [amount * 10_000 for amount in cents]  # cents -> millionths
        cur.executemany(
            self.line,
            [
                (entry_id, company_id, no, account, day_value, amount, amount)
                for no, (account, amount) in enumerate(zip(accounts, scaled, strict=True), 1)
            ],
        )
        cur.executemany(
            self.balance,
            [
                (company_id, account, day_value, amount, amount)
                for account, amount in zip(accounts, scaled, strict=True)
            ],
        )
        if self.sqlite:
            self.conn.execute("COMMIT")
        else:
            self.conn.commit()


def raw_posting(url: str, data: list[tuple[date, str, str, list[int]]]) -> dict[str, Any]:
    engine = create_engine(url)
    new_company(engine, "RAW", date(YEAR, 1, 1))
    engine.dispose()
    conn = raw_connection(url)
    writer = HandWritten(conn)
    ids = writer.ids("RAW")
    for item in data[:WARM_UP]:
        writer.post(ids, item)
    seconds, _ = timed(lambda: [writer.post(ids, item) for item in data[WARM_UP:]])
    conn.close()
    count = len(data) - WARM_UP
    return {"entries": count, "seconds": round(seconds, 2), "entries_per_s": round(count / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default: a fresh SQLite file)")
    parser.add_argument("--entries", type=int, default=5_000)
    opts = parser.parse_args()
    data = entries(opts.entries + WARM_UP)
    with scratch_database(opts.db) as (url, backend, _):
        service = service_posting(url, data)
        raw = raw_posting(url, data)
        checks = run_ledger_checks(url)
    results = {
        "lines_per_entry": len(ACCOUNTS),
        "warm_up_entries_not_timed": WARM_UP,
        "service_record_entry": service,
        "baseline_hand_written_sql": raw,
        "ratio_raw_over_service_rate": round(raw["entries_per_s"] / service["entries_per_s"], 2),
        "target_entries_per_s_sqlite": 1000,
        "integrity_checks_after": checks,
    }
    results["target_met"] = backend != "sqlite" or service["entries_per_s"] >= 1000
    write_results("ledger_post", backend, results)


if __name__ == "__main__":
    main()
