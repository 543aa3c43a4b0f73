"""Engines for the embedded SQLite default and for PostgreSQL.

SQLite runs in WAL mode with foreign keys on and a busy timeout; a write transaction
starts with ``BEGIN IMMEDIATE`` so that writers queue instead of failing half-way.
PostgreSQL gets a pooled engine with pre-ping.
"""

from __future__ import annotations

import os
import sqlite3
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from hansa.db.checkpoints import Checkpointer
from hansa.db.prepared import on_driver
from hansa.kernel.errors import ConfigurationError, Unavailable

READONLY = "hansa_readonly"
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_CHECKPOINT_PAGES = 4_000


_checkpointers: weakref.WeakKeyDictionary[Engine, Checkpointer] = weakref.WeakKeyDictionary()


def checkpointer_of(engine: Engine) -> Checkpointer | None:
    """The thread-backed WAL checkpointer of a SQLite file engine."""
    return _checkpointers.get(engine)


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> Engine:
    """An engine for *url*; only SQLite and PostgreSQL (psycopg 3) are supported."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigurationError(f"not a database URL: {url!r}", code="db.bad_url") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, echo)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return sa.create_engine(
            parsed,
            echo=echo,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            pool_recycle=1800,
            connect_args={"connect_timeout": 5, "application_name": "hansa"},
        )
    raise ConfigurationError(
        f"unsupported database {backend!r}: use sqlite:///PATH or postgresql+psycopg://...",
        code="db.unsupported",
    )


def _sqlite_engine(url: sa.URL, echo: bool) -> Engine:
    database = url.database or ""
    if database and database != ":memory:":
        path = Path(database).expanduser().resolve()
        try:
            # The books hold password hashes and personal data: owner-only from the start.
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not path.exists():
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise Unavailable(
                f"cannot create the database file {path}: {exc.strerror}",
                code="db.unwritable",
            ) from None
    engine = sa.create_engine(url, echo=echo)
    if database and database != ":memory:":
        checkpointer = _checkpointers[engine] = Checkpointer(database)  # see its module
        event.listen(engine, "commit", checkpointer.committed)
        weakref.finalize(engine, checkpointer.stop)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE can be issued.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # The Checkpointer thread copies the WAL into the database every 100 commits;
            # a writer checkpoints itself only past 4,000 pages (16 MB), the backstop.
            # (SQLite's 1,000 made every 40th posting wait for two fsyncs.)
            cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        readonly = conn.get_execution_options().get(READONLY, False)
        on_driver(conn, "BEGIN" if readonly else "BEGIN IMMEDIATE", ())

    return engine


@dataclass(frozen=True)
class Probe:
    database: str
    backend: str
    server_version: str
    round_trip_ms: float


def probe(engine: Engine) -> Probe:
    """Connect and run one query; a failure is the translated HansaError."""
    from hansa.db.uow import translate

    started = time.perf_counter()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
            version = conn.dialect.server_version_info or ()
    except sa.exc.DBAPIError as exc:
        raise translate(exc) from None
    return Probe(
        engine.url.render_as_string(hide_password=True),
        engine.dialect.name,
        ".".join(str(v) for v in version),
        round((time.perf_counter() - started) * 1000, 2),
    )
