"""Publishing through the transactional outbox and dispatching after commit.

A service calls :func:`publish` inside its unit of work, so the event is stored if and
only if the change commits. :func:`dispatch_pending` later hands due events to the
subscribers registered with :func:`subscribe` (webhooks, live updates). Delivery is
at-least-once: a subscriber that must not act twice calls :func:`consume_once` with
the event id in its own transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from hansa.db.uow import UnitOfWork, use_case
from hansa.events import repository
from hansa.events.domain import (
    DEAD,
    next_attempt,
    status_after_failure,
    topic_matches,
)
from hansa.events.errors import BadEventQuery
from hansa.events.repository import OutboxRow
from hansa.kernel import clock
from hansa.kernel.actor import SYSTEM, Actor
from hansa.kernel.events import DomainEvent

Handler = Callable[[DomainEvent], None]
log = logging.getLogger("hansa.events")

_subscribers: list[tuple[str, str, Handler]] = []
LEASE = timedelta(minutes=5)  # how long a dispatcher may take to deliver what it claimed


def publish(uow: UnitOfWork, event: DomainEvent) -> None:
    """Store *event* in the outbox inside the caller's transaction; once it commits, a
    running :class:`Dispatcher` of this process is woken to deliver it."""
    repository.insert(uow.conn, event)
    for dispatcher in list(_running):
        uow.after_commit(dispatcher.wake)


def subscribe(name: str, pattern: str, handler: Handler) -> None:
    """Register *handler* under a unique *name* for topics matching *pattern*."""
    unsubscribe(name)
    _subscribers.append((name, pattern, handler))


def unsubscribe(name: str) -> None:
    _subscribers[:] = [s for s in _subscribers if s[0] != name]


@dataclass(frozen=True)
class DispatchReport:
    delivered: int
    failed: int
    dead: int


def _deliver(event: DomainEvent) -> None:
    for _name, pattern, handler in list(_subscribers):
        if topic_matches(pattern, event.topic):
            handler(event)


def dispatch_pending(uow: UnitOfWork, actor: Actor, limit: int = 100) -> DispatchReport:
    """Deliver due events to the subscribers; failures are retried with back-off and
    dead-lettered after too many attempts.

    Subscribers run outside any transaction (a webhook may take seconds; SQLite's write
    lock must not wait for it): due events are first leased in a short transaction, so
    no other dispatcher takes them, then delivered, then settled in a second one. A
    dispatcher that dies mid-way leaves the lease to expire and the events are
    delivered again — at least once, as promised.
    """
    actor.require("events.outbox.dispatch")
    rows = _lease(uow, limit)
    outcomes: list[tuple[OutboxRow, Exception | None]] = []
    for row in rows:
        try:
            _deliver(row.event)
        except Exception as exc:  # a subscriber's failure must not stop the others
            log.warning(
                "event %s delivery failed (attempt %d): %s", row.event.id, row.attempts + 1, exc
            )
            outcomes.append((row, exc))
        else:
            outcomes.append((row, None))
    return _settle(uow, outcomes)


@use_case
def _lease(uow: UnitOfWork, limit: int) -> list[OutboxRow]:
    with uow:
        now = clock.now()
        rows = repository.claim_due(uow.conn, now, limit)
        repository.lease(uow.conn, [row.seq for row in rows], now + LEASE)
        uow.commit()
    return rows


@use_case
def _settle(uow: UnitOfWork, outcomes: list[tuple[OutboxRow, Exception | None]]) -> DispatchReport:
    delivered = failed = dead = 0
    with uow:
        now = clock.now()
        for row, exc in outcomes:
            if exc is None:
                repository.mark_delivered(uow.conn, row.seq, now)
                delivered += 1
                continue
            attempts = row.attempts + 1
            status = status_after_failure(attempts)
            repository.mark_failed(
                uow.conn,
                row.seq,
                attempts,
                status,
                f"{type(exc).__name__}: {exc}",
                next_attempt(now, attempts),
            )
            failed += 1
            dead += status == DEAD
        uow.commit()
    return DispatchReport(delivered, failed, dead)


def list_events(
    uow: UnitOfWork, actor: Actor, *, limit: int = 50, status: str | None = None
) -> list[OutboxRow]:
    actor.require("events.outbox.read")
    if not 1 <= limit <= 10_000:
        raise BadEventQuery("--limit must be between 1 and 10000")
    with uow:
        return repository.select_recent(uow.conn, limit, status)


def consume_once(uow: UnitOfWork, consumer: str, event: DomainEvent) -> bool:
    """Inside the consumer's open transaction: True the first time *consumer* sees
    *event*, False on a redelivery (then skip the work)."""
    return repository.remember_processed(uow.conn, consumer, event.id, clock.now())


_running: set[Dispatcher] = set()


class Dispatcher:
    """Delivers outbox events from a background thread: woken right after a commit that
    published, and every *interval* seconds for retries and other processes' events.

    Several dispatchers (API workers, machines) may run at once: PostgreSQL rows are
    claimed with SKIP LOCKED and SQLite serialises writers.
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], interval: float = 2.0) -> None:
        self._uow_factory = uow_factory
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="hansa-events", daemon=True)
            self._thread.start()
            _running.add(self)

    def stop(self, timeout: float = 10.0) -> None:
        _running.discard(self)
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                while dispatch_pending(self._uow_factory(), SYSTEM).delivered:
                    pass
            except Exception:  # the loop must outlive a database outage
                log.exception("event dispatch failed; retrying in %.0f s", self._interval)
