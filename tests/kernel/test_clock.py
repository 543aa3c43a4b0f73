"""The clock: UTC everywhere, fixable in tests, naive datetimes refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hansa.kernel import clock


def test_now_is_timezone_aware_utc() -> None:
    now = clock.now()
    assert now.tzinfo is UTC
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_fixed_clock_returns_the_fixed_time_inside_the_block_only() -> None:
    at = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    with clock.fixed(at):
        assert clock.now() == at
        assert clock.today() == date(2026, 1, 31)
    assert clock.now() != at
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_fixed_clock_in_another_zone_is_reported_in_utc() -> None:
    berlin_winter = timezone(timedelta(hours=1))
    with clock.fixed(datetime(2026, 1, 1, 0, 30, tzinfo=berlin_winter)):
        assert clock.now() == datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
        assert clock.now().utcoffset() == timedelta(0)
        assert clock.today() == date(2025, 12, 31)


def test_fixed_clocks_nest_and_restore_the_outer_time() -> None:
    outer = datetime(2026, 1, 1, tzinfo=UTC)
    inner = datetime(2026, 6, 1, tzinfo=UTC)
    with clock.fixed(outer):
        with clock.fixed(inner):
            assert clock.now() == inner
        assert clock.now() == outer


def test_a_fixed_clock_is_restored_when_the_block_raises() -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(RuntimeError), clock.fixed(at):
        raise RuntimeError("boom")
    assert clock.now() != at


def test_a_naive_datetime_is_refused_by_the_fixed_clock() -> None:
    with pytest.raises(ValueError, match="timezone-aware"), clock.fixed(datetime(2026, 1, 1)):
        pass
