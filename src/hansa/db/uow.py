"""The unit of work: one database transaction that a service use case owns.

>>> with uow:                       # doctest: +SKIP
...     repository.add_user(uow.conn, user)
...     audit.record(uow, actor, "identity.user.create", ...)
...     uow.commit()

Leaving the block without :meth:`commit` rolls back. A unit of work can be entered
again after it ends, which is what lets :func:`use_case` re-run a whole use case when
the database reports a transient failure (a serialization failure or deadlock on
PostgreSQL, ``database is locked`` on SQLite).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa.db.engine import READONLY, is_sqlite
from hansa.kernel.errors import Conflict, HansaError, InternalError, Unavailable

P = ParamSpec("P")
R = TypeVar("R")

MAX_ATTEMPTS = 5
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}


class TransientDatabaseError(HansaError):
    """A failure that re-running the same transaction can cure."""

    kind = Conflict.kind
    default_code = "db.transient"


class UnitOfWork:
    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self.engine = engine
        self.readonly = readonly
        self.sqlite = is_sqlite(engine)
        self._conn: sa.Connection | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def conn(self) -> sa.Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open: use 'with uow:'")
        return self._conn

    def __enter__(self) -> UnitOfWork:
        if self._conn is not None:
            raise RuntimeError("the unit of work is already open")
        try:
            conn = self.engine.connect()
        except sa.exc.DBAPIError as exc:
            raise translate(exc) from None
        try:
            if self.readonly:
                conn = conn.execution_options(**{READONLY: True})
            conn.begin()
        except sa.exc.DBAPIError as exc:
            conn.close()
            raise translate(exc) from None
        self._conn = conn
        self._after_commit = []
        return self

    def for_reading(self) -> UnitOfWork:
        """This unit of work if read-only, else a read-only one on the same engine (on
        SQLite it does not take the write lock a writing unit of work holds)."""
        return self if self.readonly else UnitOfWork(self.engine, readonly=True)

    def for_writing(self) -> UnitOfWork:
        """This unit of work if it may write, else a writing one on the same engine."""
        return UnitOfWork(self.engine) if self.readonly else self

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run *callback* once the transaction has committed (never if it rolls back)."""
        self._after_commit.append(callback)

    def commit(self) -> None:
        try:
            self.conn.commit()
        except sa.exc.DBAPIError as exc:
            raise translate(exc) from None
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.conn.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        self._after_commit = []
        if conn is not None:
            try:
                if conn.in_transaction():
                    conn.rollback()
            finally:
                conn.close()
        if isinstance(exc, sa.exc.DBAPIError):
            raise translate(exc) from exc
        if isinstance(exc, sa.exc.StatementError) and isinstance(exc.orig, HansaError):
            # A column type refused a value (a float amount, a naive time): say so.
            raise exc.orig from None


def translate(exc: sa.exc.DBAPIError) -> HansaError:
    """Map a driver error to a HansaError a user can act on."""
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(
        getattr(orig, "diag", None), "sqlstate", None
    )
    text = str(orig).strip().splitlines()[0] if orig is not None else str(exc)
    lowered = text.lower()
    if sqlstate in _TRANSIENT_SQLSTATES or "database is locked" in lowered:
        return TransientDatabaseError(f"the database is busy: {text}")
    if isinstance(exc, sa.exc.IntegrityError):
        return Conflict(f"the change conflicts with stored data: {text}", code="db.integrity")
    if "readonly database" in lowered or "unable to open database" in lowered:
        return Unavailable(
            f"cannot write the database file ({text}); check the path and its permissions",
            code="db.unwritable",
        )
    if isinstance(exc, sa.exc.OperationalError) or exc.connection_invalidated:
        return Unavailable(f"cannot reach the database: {text}", code="db.unavailable")
    return InternalError(f"unexpected database error: {text}", code="db.error")


def use_case(fn: Callable[P, R]) -> Callable[P, R]:
    """Re-run *fn* (a whole use case) a bounded number of times on transient failures."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return fn(*args, **kwargs)
            except TransientDatabaseError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise Conflict(
                        f"gave up after {MAX_ATTEMPTS} attempts: {exc.message}",
                        code="db.busy",
                    ) from None
                time.sleep(random.uniform(0.01, 0.05) * 2**attempt)  # noqa: S311
        raise AssertionError("unreachable")

    return wrapper


def update_versioned(
    conn: sa.Connection,
    table: sa.Table,
    key: sa.ColumnElement[bool],
    expected_version: int,
    values: dict[str, object],
    what: str,
) -> None:
    """UPDATE a row only if its version is still *expected_version*; else Conflict."""
    result = conn.execute(
        table.update()
        .where(key, table.c.version == expected_version)
        .values(**values, version=table.c.version + 1)
    )
    if result.rowcount != 1:
        raise Conflict(
            f"{what} was changed by someone else; reload it and try again",
            code="db.stale_version",
        )
