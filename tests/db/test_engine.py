"""Engines: SQLite settings and write locking, unsupported and unreachable databases."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from hansa.db import checkpoints
from hansa.db.engine import SQLITE_BUSY_TIMEOUT_MS, checkpointer_of, create_engine
from hansa.db.uow import TransientDatabaseError, UnitOfWork
from hansa.kernel.errors import ConfigurationError, Unavailable

PG_DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/hansa"


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'hansa.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    yield engine
    engine.dispose()


def impatient(engine: Engine, timeout_ms: int = 100) -> Engine:
    """A second engine on the same SQLite file that waits only *timeout_ms* for a lock."""
    other = create_engine(str(engine.url))

    @event.listens_for(other, "connect")
    def _short_timeout(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {timeout_ms}")  # type: ignore[attr-defined]

    return other


def notes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT text FROM notes ORDER BY id").scalars())


def test_sqlite_runs_in_wal_mode_with_foreign_keys_a_busy_timeout_and_checkpoints(
    sqlite_engine: Engine,
) -> None:
    with sqlite_engine.connect() as conn:
        pragma = conn.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS == 10_000
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert pragma("PRAGMA wal_autocheckpoint").scalar() == 4_000


def test_the_sqlite_data_directory_is_created(tmp_path: Path) -> None:
    target = tmp_path / "new" / "nested" / "hansa.db"
    engine = create_engine(f"sqlite:///{target}")
    with UnitOfWork(engine) as uow:
        uow.conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        uow.commit()
    assert target.is_file()


def test_a_write_transaction_takes_the_write_lock_when_it_begins(sqlite_engine: Engine) -> None:
    other = impatient(sqlite_engine)
    with UnitOfWork(sqlite_engine):  # has not written anything yet
        started = time.monotonic()
        with pytest.raises(TransientDatabaseError, match="database is locked"), UnitOfWork(other):
            pytest.fail("a second writer must not get in while the first is open")
        assert time.monotonic() - started < 2
    with UnitOfWork(other) as uow:  # the lock is free again once the first ends
        uow.conn.exec_driver_sql("INSERT INTO notes (text) VALUES ('second')")
        uow.commit()
    assert notes(sqlite_engine) == ["second"]


def test_a_reader_is_not_blocked_by_an_open_write_transaction(sqlite_engine: Engine) -> None:
    other = impatient(sqlite_engine)
    with UnitOfWork(sqlite_engine) as writer:
        writer.conn.exec_driver_sql("INSERT INTO notes (text) VALUES ('uncommitted')")
        with UnitOfWork(other, readonly=True) as reader:
            assert reader.conn.exec_driver_sql("SELECT COUNT(*) FROM notes").scalar() == 0
        writer.commit()


def test_a_second_writer_waits_for_the_first_to_commit_instead_of_failing(
    sqlite_engine: Engine,
) -> None:
    entered = threading.Event()
    attempting = threading.Event()
    seen: list[str] = []
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            attempting.set()
            with UnitOfWork(sqlite_engine) as uow:
                entered.set()
                seen.extend(uow.conn.exec_driver_sql("SELECT text FROM notes").scalars())
                uow.conn.exec_driver_sql("INSERT INTO notes (text) VALUES ('second')")
                uow.commit()
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)

    with UnitOfWork(sqlite_engine) as first:
        first.conn.exec_driver_sql("INSERT INTO notes (text) VALUES ('first')")
        thread = threading.Thread(target=second_writer)
        thread.start()
        assert attempting.wait(5)
        assert not entered.wait(0.3), "the second writer got in while the first was open"
        first.commit()
    thread.join(10)
    assert not errors
    assert entered.is_set()
    assert seen == ["first"]
    assert notes(sqlite_engine) == ["first", "second"]


def test_an_unsupported_database_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        create_engine("mysql://hansa@localhost/hansa")
    assert caught.value.code == "db.unsupported"
    assert "mysql" in caught.value.message


def test_a_malformed_database_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        create_engine("not a url")
    assert caught.value.code == "db.bad_url"


def test_a_plain_postgresql_url_uses_the_psycopg_driver() -> None:
    engine = create_engine("postgresql://hansa@localhost/hansa")
    assert engine.dialect.driver == "psycopg"


def test_a_sqlite_file_whose_directory_cannot_be_created_is_unavailable() -> None:
    with pytest.raises(Unavailable) as caught:
        create_engine("sqlite:////proc/hansa-test/hansa.db")
    assert caught.value.code == "db.unwritable"


def test_a_sqlite_file_under_a_regular_file_is_unavailable(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "file.txt"
    not_a_directory.write_text("not a directory")
    with pytest.raises(Unavailable) as caught:
        create_engine(f"sqlite:///{not_a_directory / 'hansa.db'}")
    assert caught.value.code == "db.unwritable"
    assert "cannot create the database file" in caught.value.message


def test_an_unreachable_postgresql_is_unavailable_when_a_unit_of_work_starts() -> None:
    engine = create_engine(PG_DOWN)
    started = time.monotonic()
    with pytest.raises(Unavailable) as caught, UnitOfWork(engine):
        pass
    assert caught.value.code == "db.unavailable"
    assert "cannot reach the database" in caught.value.message
    assert time.monotonic() - started < 10
    engine.dispose()


def test_a_readonly_unit_of_work_on_sqlite_does_not_take_the_write_lock(
    sqlite_engine: Engine,
) -> None:
    other = impatient(sqlite_engine)
    with UnitOfWork(sqlite_engine, readonly=True), UnitOfWork(other) as writer:
        writer.conn.exec_driver_sql("INSERT INTO notes (text) VALUES ('written')")
        writer.commit()
    assert notes(sqlite_engine) == ["written"]


def test_a_thread_checkpoints_the_wal_beside_the_writers(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'hansa.db'}")
    with UnitOfWork(engine) as uow:
        uow.conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        uow.commit()
    checkpointer = checkpointer_of(engine)
    assert checkpointer is not None
    for round_ in (1, 2):
        for n in range(checkpoints.EVERY):
            with UnitOfWork(engine) as uow:
                uow.conn.exec_driver_sql("INSERT INTO t VALUES (?)", (n,))
                uow.commit()
        deadline = time.monotonic() + 10
        while checkpointer.checkpoints < round_ and time.monotonic() < deadline:
            time.sleep(0.05)  # the thread works in the background
        # One per EVERY commits (wakes that come while the thread is busy make one).
        assert checkpointer.checkpoints == round_
    threads = [t for t in threading.enumerate() if t.name == "hansa-checkpoint"]
    assert threads
    with sqlite3.connect(tmp_path / "hansa.db") as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (2 * checkpoints.EVERY,)
    engine.dispose()
    del engine, uow
    gc.collect()
    for thread in threads:  # the engine is gone: so is its checkpoint thread
        thread.join(timeout=10)
        assert not thread.is_alive()
