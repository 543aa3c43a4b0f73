"""Statements that every posting runs, compiled once and sent straight to the driver.

SQLAlchemy Core spends tens of microseconds per execution looking the statement up in
its compiled cache, building an execution context and wrapping the result; a posting
runs about ten statements, so that overhead was a third of its time. A
:class:`Prepared` statement is compiled once per dialect and set of parameter names;
its parameters go through the same bind processors as Core would apply (exact
decimals become scaled integers, dates and times their stored form) and it runs with
``exec_driver_sql``, which keeps SQLAlchemy's error translation and transaction.

Binding is what a posting spends most of its Python time on, so each form gets a
binder generated for its parameters (one tuple or dict expression, no loop), and the
hot column types get a :func:`quick_processor` that gives the same stored form as
Core's for the values a posting binds (``tests/db/test_prepared.py`` compares them).

Rows come back as tuples whose values went through the columns' result processors,
as Core would give them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ReturnsRows

Processor = Callable[[Any], Any] | None


class Prepared:
    """A Core statement (``insert``, ``select``, an upsert ...) ready for the driver.

    >>> STATEMENT = Prepared(table.insert())                     # doctest: +SKIP
    >>> STATEMENT.run(conn, {"code": "A", "amount": Decimal(1)})  # doctest: +SKIP
    """

    def __init__(self, statement: sa.Executable) -> None:
        self.statement = cast(sa.ClauseElement, statement)
        self._forms: dict[tuple[str, tuple[str, ...]], _Form] = {}

    def run(self, conn: sa.Connection, params: Mapping[str, Any]) -> list[Any]:
        """Execute with *params*; returns the rows (tuples), if the statement has any."""
        form = self._form(conn.dialect, tuple(params))
        rows = on_driver(conn, form.sql, form.bind(params), many=False)
        return list(map(form.convert, rows)) if form.convert else rows

    def run_many(self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """One executemany; every row has the keys of the first."""
        if rows:
            form = self._form(conn.dialect, tuple(rows[0]))
            on_driver(conn, form.sql, list(map(form.bind, rows)), many=True)

    def run_rows(
        self, conn: sa.Connection, names: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """One executemany of *rows*, each the values of *names* in that order (rows
        taken from columns need no dict each)."""
        form = self._form(conn.dialect, tuple(names))
        params = list(map(form.bind_row, rows))
        if params:
            on_driver(conn, form.sql, params, many=True)

    def _form(self, dialect: sa.Dialect, names: tuple[str, ...]) -> _Form:
        key = (dialect.name, names)
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = _Form(self.statement, dialect, names)
        return form


def on_driver(conn: sa.Connection, sql: str, params: Any, *, many: bool = False) -> list[Any]:
    """Run *sql* on the connection's own driver connection, inside its transaction;
    driver errors become SQLAlchemy's, which the unit of work translates (a locked
    database is retried, a constraint violation named) as for any other statement."""
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if many:
            cursor.executemany(sql, params)
            return []
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []
    except dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance(
            sql, params, exc, dbapi.Error, dialect=conn.dialect, ismulti=many
        ) from exc
    finally:
        cursor.close()


class _Form:
    """The statement compiled for one dialect and one set of parameter names."""

    def __init__(self, statement: sa.ClauseElement, dialect: sa.Dialect, names: Sequence[str]):
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(names)))
        self.sql = str(compiled)
        binds = compiled.binds
        order = list(compiled.positiontup or ()) if dialect.positional else list(binds)
        # (name the driver sees, name given or None for a constant, constant, processor)
        self.order: list[tuple[str, str | None, Any, Processor]] = []
        for bind_name in order:
            bind = binds[bind_name]
            given = bind.key if bind.key in names else bind_name if bind_name in names else None
            if given is None and bind.required:
                raise ValueError(f"statement parameter {bind_name!r} was not given")
            process = quick_processor(bind.type, dialect)
            constant = None if given else bind.effective_value
            if constant is not None and process is not None:
                constant = process(constant)
            self.order.append((bind_name, given, constant, process))
        self.bind = _binder(self.order, dialect.positional)
        self.bind_row = _binder(self.order, dialect.positional, list(names))
        # What Core would do to each returned column (a SQLite date string -> date ...).
        returned = statement.exported_columns if isinstance(statement, ReturnsRows) else ()
        results = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in returned]
        self.convert = _converter(results) if any(results) else None


def _binder(
    order: Sequence[tuple[str, str | None, Any, Processor]],
    positional: bool,
    names: list[str] | None = None,
) -> Callable[[Any], Any]:
    """A function from the given parameters (a mapping, or with *names* a sequence in
    their order) to what the driver takes, generated for *order* so that it runs as one
    expression."""
    scope: dict[str, Any] = {}
    items = []
    for i, (_, given, constant, process) in enumerate(order):
        key = repr(given) if names is None or given is None else str(names.index(given))
        if given is None:
            scope[f"c{i}"] = constant
            items.append(f"c{i}")
        elif process is None:
            items.append(f"p[{key}]")
        else:
            scope[f"f{i}"] = process
            items.append(f"f{i}(p[{key}])")
    if positional:
        body = f"({', '.join(items)},)" if items else "()"
    else:
        body = "{" + ", ".join(f"{o[0]!r}: {v}" for o, v in zip(order, items, strict=True)) + "}"
    # Generated from bind names and repr()s only, never from values.
    exec(f"def bind(p):\n    return {body}\n", scope)  # noqa: S102
    return cast(Callable[[Mapping[str, Any]], Any], scope["bind"])


def _converter(results: Sequence[Processor]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function from a driver row to the row as Core would return it."""
    scope: dict[str, Any] = {f"f{i}": f for i, f in enumerate(results) if f is not None}
    items = [f"r[{i}]" if f is None else f"f{i}(r[{i}])" for i, f in enumerate(results)]
    exec(f"def convert(r):\n    return ({', '.join(items)},)\n", scope)  # noqa: S102
    return cast(Callable[[Sequence[Any]], tuple[Any, ...]], scope["convert"])


def quick_processor(type_: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> Processor:
    """The column type's bind processor for *dialect*, or a quicker one giving the same
    result: SQLite dates and UTC timestamps as ISO text, exact decimals without
    SQLAlchemy's wrapper. Values of any other kind go to Core's own processor."""
    impl = type_.dialect_impl(dialect)
    core = impl.bind_processor(dialect)
    bind_value = getattr(type_, "bind_value", None)  # ExactDecimal's, without a dialect
    if bind_value is not None and impl.impl_instance.bind_processor(dialect) is None:  # type: ignore[attr-defined]
        return cast(Processor, bind_value)
    if core is None or dialect.name != "sqlite" or getattr(dialect, "native_datetime", True):
        return core
    if isinstance(impl, sqlite.DATE) and impl._storage_format == sqlite.DATE._storage_format:

        def iso_date(value: Any, _core: Callable[[Any], Any] = core) -> Any:
            return value.isoformat() if value.__class__ is date else _core(value)

        return iso_date
    inner = getattr(impl, "impl_instance", None)
    if (
        getattr(type_, "utc_naive", False)
        and isinstance(inner, sqlite.DATETIME)
        and inner._storage_format == sqlite.DATETIME._storage_format
    ):

        def iso_utc(value: Any, _core: Callable[[Any], Any] = core) -> Any:
            if value.__class__ is datetime and value.tzinfo is UTC:
                return value.replace(tzinfo=None).isoformat(" ", "microseconds")
            return _core(value)

        return iso_utc
    return core
