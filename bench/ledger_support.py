"""What the ledger benchmarks share: a scratch database, a company, the results file.

``--db URL`` names a PostgreSQL *server* (any database on it): the benchmark creates a
scratch database ``hansa_bench_<random>`` there and drops it at the end. Without
``--db`` it uses a fresh SQLite file in a temporary directory.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa import ledger
from hansa.db import migrate
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.system import run_checks

ROOT = Path(__file__).resolve().parent.parent
LOAD_AT_START = os.getloadavg()  # other work on the machine skews every timing


@contextmanager
def scratch_database(server_url: str | None) -> Iterator[tuple[str, str, Path]]:
    """(database URL, backend, work directory) of a fresh, migrated database."""
    work = Path(tempfile.mkdtemp(prefix="hansa-bench-"))
    try:
        if not server_url:
            url = f"sqlite:///{work / 'hansa.db'}"
            _migrate(url)
            yield url, "sqlite", work
            return
        admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        name = f"hansa_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
        try:
            _migrate(url)
            yield url, "postgresql", work
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _migrate(url: str) -> None:
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()


def new_company(engine: Engine, code: str, year_of: date) -> ledger.Company:
    """A company with the standard chart, its books opened for *year_of*'s year."""
    return ledger.create_company(
        UnitOfWork(engine),
        SYSTEM,
        name=code,
        code=code,
        currency="EUR",
        chart="standard",
        year_of=year_of,
    )


def raw_connection(url: str) -> Any:
    """A plain DBAPI connection (sqlite3 in autocommit mode, or psycopg) to *url*."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(parsed.database or "", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")  # as Hansa's engine sets them
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn
    return psycopg.connect(parsed.set(drivername="postgresql").render_as_string(False))


def begin(conn: Any) -> None:
    if isinstance(conn, sqlite3.Connection):
        conn.execute("BEGIN IMMEDIATE")


def mark(conn: Any) -> str:
    """The DBAPI parameter marker of *conn*."""
    return "?" if isinstance(conn, sqlite3.Connection) else "%s"


def money(cents: int, places: int = 2) -> str:
    """An exact decimal string of an integer count of minor units: -12345 -> '-123.45'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 10**places)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    times = [timed(fn)[0] * 1000 for _ in range(runs)]
    return round(statistics.median(times), 2), [round(t, 2) for t in times]


def run_ledger_checks(url: str) -> dict[str, Any]:
    """The ledger's integrity checks over the whole database, and how long they took."""
    engine = create_engine(url)
    names = [
        "ledger.entries_balance",
        "ledger.trial_balance_zero",
        "ledger.balances_match_lines",
        "ledger.sequences_gapless",
    ]
    seconds, outcomes = timed(lambda: run_checks(UnitOfWork(engine, readonly=True), SYSTEM, names))
    engine.dispose()
    return {
        "all_green": all(o.ok for o in outcomes),
        "failed": [o.name for o in outcomes if not o.ok],
        "seconds": round(seconds, 2),
    }


def write_results(name: str, backend: str, results: dict[str, Any]) -> None:
    results = {
        "benchmark": name,
        "command": "python " + " ".join([f"bench/{name}.py", *sys.argv[1:]]),
        "backend": backend,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_1_5_15_min": {
            "at_start": [round(x, 2) for x in LOAD_AT_START],
            "at_end": [round(x, 2) for x in os.getloadavg()],
        },
        **results,
    }
    out = ROOT / "bench" / "results" / f"{name}-{backend}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
