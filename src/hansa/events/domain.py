"""Outbox delivery rules (pure): which events are due and when to try again."""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_ATTEMPTS = 8
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


def next_attempt(now: datetime, attempts: int) -> datetime:
    """Exponential back-off: 2, 4, 8 ... seconds after the *attempts*-th failure, at most
    one hour.

    >>> from datetime import UTC
    >>> next_attempt(datetime(2026, 1, 1, tzinfo=UTC), 3).second
    8
    """
    return now + timedelta(seconds=min(2**attempts, 3600))


def status_after_failure(attempts: int) -> str:
    return DEAD if attempts >= MAX_ATTEMPTS else PENDING


def topic_matches(pattern: str, topic: str) -> bool:
    """``identity.*`` matches ``identity.user_created``; ``*`` matches every topic."""
    if pattern.endswith("*"):
        return topic.startswith(pattern[:-1])
    return pattern == topic
