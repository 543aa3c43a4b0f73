"""The unit of work: commit, rollback, after-commit callbacks, retries, versioned updates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from hansa.db import uow as uow_module
from hansa.db.engine import create_engine
from hansa.db.metadata import version_column
from hansa.db.uow import (
    MAX_ATTEMPTS,
    TransientDatabaseError,
    UnitOfWork,
    update_versioned,
    use_case,
)
from hansa.kernel.errors import Conflict

scratch = sa.MetaData()
accounts = sa.Table(
    "test_uow_accounts",
    scratch,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(50), nullable=False),
    version_column(),
)


@pytest.fixture
def account_table(engine: Engine) -> Iterator[sa.Table]:
    scratch.create_all(engine)
    with engine.begin() as conn:
        conn.execute(accounts.insert().values(id=1, name="Cash"))
    yield accounts
    scratch.drop_all(engine)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays use_case asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(uow_module, "time", SimpleNamespace(sleep=asked.append))
    return asked


def account(engine: Engine) -> tuple[str, int]:
    with engine.connect() as conn:
        row = conn.execute(sa.select(accounts.c.name, accounts.c.version)).one()
    return row.name, row.version


def names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(accounts.c.name).order_by(accounts.c.id)).scalars())


@pytest.fixture
def impatient(db_url: str) -> Iterator[Engine]:
    """A second engine on the test database that gives up on a lock after 50 ms."""
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)

        @event.listens_for(engine, "connect")
        def _short_timeout(dbapi_connection: object, _record: object) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout = 50")  # type: ignore[attr-defined]

    else:
        url = sa.make_url(db_url).update_query_dict({"options": "-c lock_timeout=50"})
        engine = create_engine(url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def hold_write_lock(stack: ExitStack, engine: Engine) -> None:
    """Another transaction holds the account row (SQLite: the whole database) locked."""
    holder = stack.enter_context(UnitOfWork(engine))
    holder.conn.execute(sa.select(accounts).where(accounts.c.id == 1).with_for_update())


# --- commit and rollback -------------------------------------------------------------


def test_a_committed_change_is_stored(engine: Engine, account_table: sa.Table) -> None:
    with UnitOfWork(engine) as uow:
        uow.conn.execute(accounts.insert().values(id=2, name="Bank"))
        uow.commit()
    assert names(engine) == ["Cash", "Bank"]


def test_leaving_the_block_without_commit_rolls_back(
    engine: Engine, account_table: sa.Table
) -> None:
    with UnitOfWork(engine) as uow:
        uow.conn.execute(accounts.insert().values(id=2, name="Bank"))
    assert names(engine) == ["Cash"]


def test_an_exception_in_the_block_rolls_back_and_propagates(
    engine: Engine, account_table: sa.Table
) -> None:
    def failing_use_case() -> None:
        with UnitOfWork(engine) as uow:
            uow.conn.execute(accounts.insert().values(id=2, name="Bank"))
            raise ValueError("the domain refused")

    with pytest.raises(ValueError, match="the domain refused"):
        failing_use_case()
    assert names(engine) == ["Cash"]


def test_a_database_error_in_the_block_is_translated(
    engine: Engine, account_table: sa.Table
) -> None:
    def duplicate() -> None:
        with UnitOfWork(engine) as uow:
            uow.conn.execute(accounts.insert().values(id=1, name="Cash again"))

    with pytest.raises(Conflict) as caught:
        duplicate()
    assert caught.value.code == "db.integrity"
    assert names(engine) == ["Cash"]


def test_a_unit_of_work_can_run_again_after_it_ends(
    engine: Engine, account_table: sa.Table
) -> None:
    uow = UnitOfWork(engine)
    for number, name in [(2, "Bank"), (3, "Petty cash")]:
        with uow:
            uow.conn.execute(accounts.insert().values(id=number, name=name))
            uow.commit()
    assert names(engine) == ["Cash", "Bank", "Petty cash"]


def test_the_connection_is_only_available_inside_the_block(engine: Engine) -> None:
    uow = UnitOfWork(engine)
    with pytest.raises(RuntimeError, match="not open"):
        _ = uow.conn
    with uow, pytest.raises(RuntimeError, match="already open"):
        uow.__enter__()


# --- after-commit callbacks ----------------------------------------------------------


def test_after_commit_callbacks_run_once_the_change_is_visible_to_others(
    engine: Engine, account_table: sa.Table
) -> None:
    seen_by_callback: list[list[str]] = []
    with UnitOfWork(engine) as uow:
        uow.conn.execute(accounts.insert().values(id=2, name="Bank"))
        uow.after_commit(lambda: seen_by_callback.append(names(engine)))
        assert seen_by_callback == []
        uow.commit()
    assert seen_by_callback == [["Cash", "Bank"]]


def test_after_commit_callbacks_do_not_run_on_rollback(
    engine: Engine, account_table: sa.Table
) -> None:
    calls: list[str] = []
    uow = UnitOfWork(engine)
    with uow:
        uow.after_commit(lambda: calls.append("left without commit"))

    def refuse() -> None:
        with uow:
            uow.after_commit(lambda: calls.append("raised"))
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        refuse()
    with uow:
        uow.commit()  # a later commit must not run callbacks of the rolled-back runs
    assert calls == []


# --- use_case retries ----------------------------------------------------------------


def test_use_case_retries_a_transient_failure_and_returns_the_result(sleeps: list[float]) -> None:
    attempts: list[int] = []

    @use_case
    def flaky() -> str:
        attempts.append(len(attempts) + 1)
        if len(attempts) < 3:
            raise TransientDatabaseError("the database is busy: deadlock detected")
        return "done"

    assert flaky() == "done"
    assert attempts == [1, 2, 3]
    assert len(sleeps) == 2
    assert all(0 < delay <= 1 for delay in sleeps)


def test_use_case_gives_up_after_max_attempts_with_db_busy(sleeps: list[float]) -> None:
    attempts: list[int] = []

    @use_case
    def always_busy() -> None:
        attempts.append(1)
        raise TransientDatabaseError("the database is busy: database is locked")

    with pytest.raises(Conflict) as caught:
        always_busy()
    assert caught.value.code == "db.busy"
    assert f"{MAX_ATTEMPTS} attempts" in caught.value.message
    assert len(attempts) == MAX_ATTEMPTS == 5
    assert len(sleeps) == MAX_ATTEMPTS - 1


def test_use_case_does_not_retry_other_errors(sleeps: list[float]) -> None:
    attempts: list[int] = []

    @use_case
    def refused() -> None:
        attempts.append(1)
        raise Conflict("duplicate", code="db.integrity")

    with pytest.raises(Conflict) as caught:
        refused()
    assert caught.value.code == "db.integrity"
    assert attempts == [1]
    assert sleeps == []


def rename_account(engine: Engine, attempts: list[int]) -> Callable[[str], None]:
    @use_case
    def rename(name: str) -> None:
        attempts.append(1)
        with UnitOfWork(engine) as uow:
            uow.conn.execute(accounts.update().where(accounts.c.id == 1).values(name=name))
            uow.commit()

    return rename


def test_a_use_case_blocked_by_a_lock_is_refused_as_busy_after_max_attempts(
    engine: Engine, impatient: Engine, account_table: sa.Table, sleeps: list[float]
) -> None:
    attempts: list[int] = []
    rename = rename_account(impatient, attempts)
    with ExitStack() as stack:
        hold_write_lock(stack, engine)
        with pytest.raises(Conflict) as caught:
            rename("Bank")
    assert caught.value.code == "db.busy"
    assert len(attempts) == MAX_ATTEMPTS
    assert account(engine) == ("Cash", 1)


def test_a_use_case_succeeds_once_the_lock_is_released(
    engine: Engine, impatient: Engine, account_table: sa.Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []
    rename = rename_account(impatient, attempts)
    with ExitStack() as stack:
        hold_write_lock(stack, engine)

        def back_off(_delay: float) -> None:
            if len(attempts) == 2:
                stack.close()  # the other transaction ends during the second back-off

        monkeypatch.setattr(uow_module, "time", SimpleNamespace(sleep=back_off))
        rename("Bank")
    assert len(attempts) == 3
    assert account(engine) == ("Bank", 1)


# --- optimistic locking --------------------------------------------------------------


def test_a_versioned_update_at_the_read_version_applies_and_bumps_the_version(
    engine: Engine, account_table: sa.Table
) -> None:
    with UnitOfWork(engine) as uow:
        update_versioned(uow.conn, accounts, accounts.c.id == 1, 1, {"name": "Bank"}, "account 1")
        uow.commit()
    assert account(engine) == ("Bank", 2)


def test_a_versioned_update_at_a_stale_version_is_a_conflict(
    engine: Engine, account_table: sa.Table
) -> None:
    read_version = account(engine)[1]
    assert read_version == 1
    with UnitOfWork(engine) as uow:  # someone else saves first
        update_versioned(uow.conn, accounts, accounts.c.id == 1, 1, {"name": "Bank"}, "account 1")
        uow.commit()

    def save_stale() -> None:
        with UnitOfWork(engine) as uow:
            update_versioned(
                uow.conn, accounts, accounts.c.id == 1, read_version, {"name": "Till"}, "account 1"
            )
            uow.commit()

    with pytest.raises(Conflict) as caught:
        save_stale()
    assert caught.value.code == "db.stale_version"
    assert "account 1" in caught.value.message
    assert account(engine) == ("Bank", 2)


def test_a_versioned_update_of_a_missing_row_is_a_conflict(
    engine: Engine, account_table: sa.Table
) -> None:
    with pytest.raises(Conflict) as caught, UnitOfWork(engine) as uow:
        update_versioned(uow.conn, accounts, accounts.c.id == 99, 1, {"name": "x"}, "account 99")
    assert caught.value.code == "db.stale_version"
