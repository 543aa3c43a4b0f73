"""Prepared statements: the same values stored and the same errors as through Core."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from hansa.db.prepared import Prepared, quick_processor
from hansa.db.types import ExactDecimal, UTCDateTime
from hansa.db.uow import UnitOfWork
from hansa.kernel.errors import Conflict, InvalidInput

scratch = sa.MetaData()
things = sa.Table(
    "test_prepared_things",
    scratch,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(10), nullable=False, unique=True),
    sa.Column("amount", ExactDecimal(6), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("note", sa.String(20), nullable=False, server_default="none"),
)
INSERT = Prepared(things.insert().returning(things.c.id))
LATEST = Prepared(
    sa.select(things.c.id, things.c.code)
    .where(things.c.day == sa.bindparam("day"))
    .order_by(things.c.id.desc())
    .limit(1)
)
AT = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


@pytest.fixture
def table(engine: Engine) -> Iterator[sa.Table]:
    scratch.create_all(engine)
    yield things
    scratch.drop_all(engine)


def row(code: str, amount: str = "0.10", day: date = date(2026, 3, 1)) -> dict[str, object]:
    return {"code": code, "amount": Decimal(amount), "day": day, "at": AT}


def test_values_read_back_through_core_as_written(engine: Engine, table: sa.Table) -> None:
    with UnitOfWork(engine) as uow:
        (first,) = INSERT.run(uow.conn, row("A", "12.345678"))
        Prepared(table.insert()).run_many(uow.conn, [row("B"), row("C", day=date(2026, 3, 2))])
        assert LATEST.run(uow.conn, {"day": date(2026, 3, 1)}) == [(first[0] + 1, "B")]
        uow.commit()
    with engine.connect() as conn:
        stored = conn.execute(sa.select(table).order_by(table.c.id)).all()
    assert [(r.code, r.amount, r.day, r.at, r.note) for r in stored] == [
        ("A", Decimal("12.345678"), date(2026, 3, 1), AT, "none"),
        ("B", Decimal("0.10"), date(2026, 3, 1), AT, "none"),
        ("C", Decimal("0.10"), date(2026, 3, 2), AT, "none"),
    ]


def test_a_constraint_violation_is_the_usual_conflict(engine: Engine, table: sa.Table) -> None:
    with UnitOfWork(engine) as uow:
        INSERT.run(uow.conn, row("A"))
        uow.commit()
    with pytest.raises(Conflict) as raised, UnitOfWork(engine) as uow:
        INSERT.run(uow.conn, row("A"))
    assert raised.value.code == "db.integrity"


def test_a_value_the_column_refuses_is_refused_as_through_core(
    engine: Engine, table: sa.Table
) -> None:
    with pytest.raises(InvalidInput), UnitOfWork(engine) as uow:
        INSERT.run(uow.conn, row("A", "0.0000001"))  # more places than the column keeps


def test_a_missing_parameter_is_a_programming_error(engine: Engine, table: sa.Table) -> None:
    with pytest.raises(ValueError, match="day"), UnitOfWork(engine) as uow:
        LATEST.run(uow.conn, {"date": date(2026, 3, 1)})


CORE_AND_QUICK = [
    (sa.Date(), st.dates()),
    (sa.Date(), st.datetimes()),  # a datetime in a date column: Core's result
    (UTCDateTime(), st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=5))]))),
    (ExactDecimal(6), st.decimals(allow_nan=False, allow_infinity=False, places=6)),
    (ExactDecimal(2), st.integers(min_value=-(10**12), max_value=10**12)),
]


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.psycopg.dialect()])
@pytest.mark.parametrize(("column_type", "values"), CORE_AND_QUICK)
@settings(max_examples=200)
@given(data=st.data())
def test_quick_processors_store_what_core_stores(
    dialect: sa.Dialect,
    column_type: sa.types.TypeEngine[object],
    values: st.SearchStrategy[object],
    data: st.DataObject,
) -> None:
    value = data.draw(st.one_of(st.none(), values))
    core = column_type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)
    quick = quick_processor(column_type, dialect) or (lambda v: v)
    try:
        expected = core(value)
    except Exception as exc:  # the quick one must refuse alike
        with pytest.raises(type(exc)):
            quick(value)
    else:
        assert quick(value) == expected


def test_quick_processors_refuse_what_core_refuses() -> None:
    dialect = sqlite.dialect()
    for column_type, value in [
        (UTCDateTime(), datetime(2026, 3, 1)),  # naive
        (ExactDecimal(2), Decimal("0.001")),
        (ExactDecimal(2), 1.5),
    ]:
        with pytest.raises(InvalidInput):
            quick_processor(column_type, dialect)(value)  # type: ignore[misc]


def test_rows_given_as_sequences_store_what_mappings_store(engine: Engine, table: sa.Table) -> None:
    names = ["code", "amount", "day", "at"]
    with UnitOfWork(engine) as uow:
        Prepared(table.insert()).run_rows(
            uow.conn, names, [[r[n] for n in names] for r in (row("A", "1.25"), row("B"))]
        )
        uow.commit()
    with engine.connect() as conn:
        stored = conn.execute(sa.select(table).order_by(table.c.id)).all()
    assert [(r.code, r.amount, r.day, r.at) for r in stored] == [
        ("A", Decimal("1.25"), date(2026, 3, 1), AT),
        ("B", Decimal("0.10"), date(2026, 3, 1), AT),
    ]
