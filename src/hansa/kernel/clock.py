"""The one source of the current time; tests fix it with :func:`fixed`.

Times are timezone-aware UTC everywhere; a naive datetime is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

_fixed_now: ContextVar[datetime | None] = ContextVar("hansa_fixed_now", default=None)


def now() -> datetime:
    """The current time in UTC (or the time a test fixed)."""
    fixed_value = _fixed_now.get()
    return fixed_value if fixed_value is not None else datetime.now(UTC)


def today() -> date:
    return now().date()


@contextmanager
def fixed(at: datetime) -> Iterator[None]:
    """Make :func:`now` return *at* inside the block.

    >>> with fixed(datetime(2026, 1, 31, 12, tzinfo=UTC)):
    ...     now().isoformat()
    '2026-01-31T12:00:00+00:00'
    """
    if at.tzinfo is None:
        raise ValueError("a fixed clock needs a timezone-aware datetime")
    token = _fixed_now.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _fixed_now.reset(token)
