"""Exact column types on both engines: ExactDecimal and UTCDateTime.

The acceptance test of the data layer is here: no float reaches a money or quantity
column, so a million 0.10 amounts summed in SQL give exactly 100000.00 on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from hansa.db.types import ExactDecimal, UTCDateTime, exact_sum
from hansa.db.uow import UnitOfWork
from hansa.kernel.errors import InvalidInput

MAX_EXACT = Decimal("9223372036854.775807")  # 2**63 - 1 millionths
DIALECT = sa.create_engine("sqlite://").dialect

samples = sa.MetaData()
amounts = sa.Table(
    "test_exact_amounts",
    samples,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("amount", ExactDecimal(6)),
    sa.Column("at", UTCDateTime()),
)

db_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def sample_table(engine: Engine) -> Iterator[sa.Table]:
    samples.create_all(engine)
    yield amounts
    samples.drop_all(engine)


def store(engine: Engine, rows: list[dict[str, object]]) -> None:
    """Replace the sample rows in one unit of work, as a service would write them."""
    with UnitOfWork(engine) as uow:
        uow.conn.execute(amounts.delete())
        uow.conn.execute(amounts.insert(), rows)
        uow.commit()


def stored_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(amounts)).scalar_one())


# --- ExactDecimal --------------------------------------------------------------------


@db_settings
@given(
    st.lists(
        st.decimals(
            min_value=-MAX_EXACT,
            max_value=MAX_EXACT,
            places=6,
            allow_nan=False,
            allow_infinity=False,
        ),
        min_size=1,
        max_size=20,
    )
)
def test_exact_decimals_round_trip_unchanged(
    engine: Engine, sample_table: sa.Table, values: list[Decimal]
) -> None:
    store(engine, [{"id": i, "amount": v} for i, v in enumerate(values)])
    with engine.connect() as conn:
        read = conn.execute(sa.select(amounts.c.amount).order_by(amounts.c.id)).scalars().all()
    assert read == values
    assert all(isinstance(v, Decimal) for v in read)


def test_an_exact_decimal_is_stored_as_a_scaled_integer(
    engine: Engine, sample_table: sa.Table
) -> None:
    store(engine, [{"id": 1, "amount": Decimal("0.10")}, {"id": 2, "amount": 7}])
    with engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT amount FROM test_exact_amounts ORDER BY id")).all()
        total = conn.execute(sa.select(exact_sum(amounts.c.amount))).scalar_one()
    assert [int(r.amount) for r in raw] == [100_000, 7_000_000]
    assert total == Decimal("7.100000")


def test_the_exact_sum_of_no_rows_is_zero(engine: Engine, sample_table: sa.Table) -> None:
    with engine.connect() as conn:
        assert conn.execute(sa.select(exact_sum(amounts.c.amount))).scalar_one() == Decimal(0)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0.1, "money.float_refused"),
        (True, "money.float_refused"),
        ("0.10", "money.float_refused"),
        (Decimal("0.1234567"), "money.too_many_decimals"),
        (MAX_EXACT + Decimal("0.000001"), "money.out_of_range"),
    ],
)
def test_the_column_type_refuses_what_it_cannot_store_exactly(value: object, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        ExactDecimal(6).process_bind_param(value, DIALECT)
    assert caught.value.code == code


def test_a_value_with_more_digits_than_decimal_precision_is_refused_not_rounded() -> None:
    # 29 significant digits: more than the default decimal context (28) can multiply
    # exactly, so a naive `value * 10**6` rounds the 7th decimal away before the check.
    value = Decimal("1.0000000000000000000000000001")
    with pytest.raises(InvalidInput) as caught:
        ExactDecimal(6).process_bind_param(value, DIALECT)
    assert caught.value.code == "money.too_many_decimals"


@pytest.mark.parametrize(
    ("value", "code"),
    [(0.1, "money.float_refused"), (Decimal("0.1234567"), "money.too_many_decimals")],
)
def test_a_caller_writing_an_inexact_amount_gets_invalid_input_and_nothing_is_stored(
    engine: Engine, sample_table: sa.Table, value: object, code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        store(engine, [{"id": 1, "amount": value}])
    assert caught.value.code == code
    assert stored_rows(engine) == 0


@pytest.mark.slow
def test_a_million_ten_cent_amounts_sum_to_exactly_100000_in_sql(engine: Engine) -> None:
    """No float reaches a money or quantity column: sum one million 0.10 amounts in SQL
    and get exactly 100000.00 on both engines."""
    scratch = sa.MetaData()
    seed = sa.Table("test_seed_amounts", scratch, sa.Column("amount", ExactDecimal(6)))
    ledger = sa.Table("test_million_amounts", scratch, sa.Column("amount", ExactDecimal(6)))
    scratch.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(seed.insert(), [{"amount": Decimal("0.10")}] * 1_000)
            left, right = seed.alias("l"), seed.alias("r")
            conn.execute(
                ledger.insert().from_select(
                    ["amount"], sa.select(left.c.amount).select_from(left.join(right, sa.true()))
                )
            )
        with engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(ledger)).scalar_one()
            total = conn.execute(sa.select(exact_sum(ledger.c.amount))).scalar_one()
            raw_total = conn.execute(sa.text("SELECT SUM(amount) FROM test_million_amounts"))
            raw = raw_total.scalar_one()
        assert count == 1_000_000
        assert isinstance(total, Decimal)
        assert total == Decimal("100000.00")
        assert str(total) == "100000.000000"
        assert int(raw) == 100_000_000_000
        assert Decimal(raw) == int(raw)  # an integer sum, never a float
    finally:
        scratch.drop_all(engine)


# --- UTCDateTime ---------------------------------------------------------------------

zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
)


@db_settings
@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=zones
        ),
        min_size=1,
        max_size=10,
    )
)
def test_aware_datetimes_round_trip_as_the_same_instant_in_utc(
    engine: Engine, sample_table: sa.Table, values: list[datetime]
) -> None:
    store(engine, [{"id": i, "at": v} for i, v in enumerate(values)])
    with engine.connect() as conn:
        read = conn.execute(sa.select(amounts.c.at).order_by(amounts.c.id)).scalars().all()
    assert read == values
    assert all(v.utcoffset() == timedelta(0) for v in read)


def test_the_column_type_refuses_a_naive_datetime() -> None:
    with pytest.raises(InvalidInput) as caught:
        UTCDateTime().process_bind_param(datetime(2026, 1, 1, 12), DIALECT)
    assert caught.value.code == "hansa.naive_datetime"


def test_a_caller_writing_a_naive_datetime_gets_invalid_input_and_nothing_is_stored(
    engine: Engine, sample_table: sa.Table
) -> None:
    with pytest.raises(InvalidInput) as caught:
        store(engine, [{"id": 1, "at": datetime(2026, 1, 1, 12)}])
    assert caught.value.code == "hansa.naive_datetime"
    assert stored_rows(engine) == 0
