"""Statements that every posting runs, compiled once and sent straight to the driver.

SQLAlchemy Core spends tens of microseconds per execution looking the statement up in
its compiled cache, building an execution context and wrapping the result; a posting
runs about ten statements, so that overhead was a third of its time. A
:class:`Prepared` statement is compiled once per dialect and set of parameter names;
its parameters go through the same bind processors as Core would apply (exact
decimals become scaled integers, dates and times their stored form) and it runs with
``exec_driver_sql``, which keeps SQLAlchemy's error translation and transaction.

Rows come back as tuples whose values went through the columns' result processors,
as Core would give them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import sqlalchemy as sa
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
        if not form.converts:
            return rows
        return [
            tuple(v if f is None else f(v) for f, v in zip(form.results, r, strict=True))
            for r in rows
        ]

    def run_many(self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """One executemany; every row has the keys of the first."""
        if rows:
            form = self._form(conn.dialect, tuple(rows[0]))
            on_driver(conn, form.sql, [form.bind(row) for row in rows], many=True)

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
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            constant = None if given else bind.effective_value
            if constant is not None and process is not None:
                constant = process(constant)
            self.order.append((bind_name, given, constant, process))
        self.positional = dialect.positional
        # What Core would do to each returned column (a SQLite date string -> date ...).
        returned = statement.exported_columns if isinstance(statement, ReturnsRows) else ()
        self.results: list[Processor] = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in returned
        ]
        self.converts = any(self.results)

    def bind(self, params: Mapping[str, Any]) -> Any:
        # Core's processors take None themselves (a NULL stays NULL).
        values = [
            constant
            if given is None
            else params[given]
            if process is None
            else process(params[given])
            for _, given, constant, process in self.order
        ]
        if self.positional:
            return tuple(values)
        return {name: value for (name, *_), value in zip(self.order, values, strict=True)}
