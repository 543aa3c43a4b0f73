"""The transactional outbox: publish with the change, deliver after commit, retry, dead-letter."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hansa.db.uow import UnitOfWork
from hansa.events import (
    Dispatcher,
    consume_once,
    dispatch_pending,
    list_events,
    publish,
    subscribe,
    unsubscribe,
)
from hansa.events.domain import MAX_ATTEMPTS
from hansa.events.tables import outbox
from hansa.kernel import clock
from hansa.kernel.actor import SYSTEM, Actor
from hansa.kernel.errors import PermissionDenied
from hansa.kernel.events import DomainEvent

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SUBSCRIBER = "test-outbox-subscriber"

Uow = Callable[..., UnitOfWork]


class Recorder:
    """A subscriber that remembers what it was given and can be told to fail."""

    def __init__(self) -> None:
        self.received: list[DomainEvent] = []
        self.failing = False

    def __call__(self, event: DomainEvent) -> None:
        self.received.append(event)
        if self.failing:
            raise RuntimeError("webhook endpoint returned 500")


@pytest.fixture
def subscriber() -> Iterator[Recorder]:
    recorder = Recorder()
    subscribe(SUBSCRIBER, "test.*", recorder)
    yield recorder
    unsubscribe(SUBSCRIBER)


def publish_committed(uow_factory: Uow, topic: str = "test.thing_happened") -> DomainEvent:
    event = DomainEvent(topic, {"thing": 42, "name": "Ada"})
    with uow_factory() as uow:
        publish(uow, event)
        uow.commit()
    return event


def dispatch_at(uow_factory: Uow, at: datetime) -> tuple[int, int, int]:
    with clock.fixed(at):
        report = dispatch_pending(uow_factory(), SYSTEM)
    return report.delivered, report.failed, report.dead


def outbox_row(engine: Engine) -> sa.Row[tuple[object, ...]]:
    with engine.connect() as conn:
        return conn.execute(sa.select(outbox)).one()


# --- publishing ----------------------------------------------------------------------


def test_an_event_published_in_a_committed_unit_of_work_is_stored_pending(
    uow_factory: Uow,
) -> None:
    with clock.fixed(T0):
        event = publish_committed(uow_factory)
    (row,) = list_events(uow_factory(), SYSTEM)
    assert row.status == "pending"
    assert row.attempts == 0
    assert row.last_error is None
    assert row.event.id == event.id
    assert row.event.topic == "test.thing_happened"
    assert row.event.payload == {"thing": 42, "name": "Ada"}
    assert row.event.occurred_at == T0


def test_an_event_published_in_a_rolled_back_unit_of_work_is_not_stored(
    uow_factory: Uow, subscriber: Recorder
) -> None:
    with uow_factory() as uow:
        publish(uow, DomainEvent("test.thing_happened", {}))

    def failing_change() -> None:
        with uow_factory() as uow:
            publish(uow, DomainEvent("test.thing_happened", {}))
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert list_events(uow_factory(), SYSTEM) == []
    assert dispatch_at(uow_factory, clock.now()) == (0, 0, 0)
    assert subscriber.received == []


# --- dispatching ---------------------------------------------------------------------


def test_dispatch_delivers_a_pending_event_to_a_matching_subscriber_once(
    uow_factory: Uow, subscriber: Recorder, engine: Engine
) -> None:
    with clock.fixed(T0):
        event = publish_committed(uow_factory)
    assert dispatch_at(uow_factory, T0) == (1, 0, 0)
    assert [e.id for e in subscriber.received] == [event.id]
    assert subscriber.received[0].payload == {"thing": 42, "name": "Ada"}

    (row,) = list_events(uow_factory(), SYSTEM)
    assert row.status == "delivered"
    assert outbox_row(engine).dispatched_at == T0

    assert dispatch_at(uow_factory, T0 + timedelta(hours=1)) == (0, 0, 0)
    assert len(subscriber.received) == 1


def test_a_subscriber_gets_only_the_topics_it_asked_for(
    uow_factory: Uow, subscriber: Recorder
) -> None:
    with clock.fixed(T0):
        publish_committed(uow_factory, "identity.user_created")
        wanted = publish_committed(uow_factory, "test.thing_happened")
    assert dispatch_at(uow_factory, T0) == (2, 0, 0)
    assert [e.id for e in subscriber.received] == [wanted.id]


def test_events_are_delivered_in_the_order_they_were_published(
    uow_factory: Uow, subscriber: Recorder
) -> None:
    with clock.fixed(T0):
        published = [publish_committed(uow_factory).id for _ in range(5)]
    dispatch_at(uow_factory, T0)
    assert [e.id for e in subscriber.received] == published


def test_an_event_is_not_delivered_before_it_occurred(
    uow_factory: Uow, subscriber: Recorder
) -> None:
    with clock.fixed(T0):
        publish_committed(uow_factory)
    assert dispatch_at(uow_factory, T0 - timedelta(seconds=1)) == (0, 0, 0)
    assert subscriber.received == []


def test_an_unsubscribed_handler_receives_nothing(uow_factory: Uow) -> None:
    recorder = Recorder()
    subscribe(SUBSCRIBER, "test.*", recorder)
    unsubscribe(SUBSCRIBER)
    with clock.fixed(T0):
        publish_committed(uow_factory)
    assert dispatch_at(uow_factory, T0) == (1, 0, 0)
    assert recorder.received == []


# --- failures, retries and dead letters ----------------------------------------------


def test_a_failed_delivery_stays_pending_and_is_retried_after_a_back_off(
    uow_factory: Uow, subscriber: Recorder, engine: Engine
) -> None:
    with clock.fixed(T0):
        event = publish_committed(uow_factory)
    subscriber.failing = True
    assert dispatch_at(uow_factory, T0) == (0, 1, 0)

    (row,) = list_events(uow_factory(), SYSTEM)
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.last_error == "RuntimeError: webhook endpoint returned 500"
    retry_at = outbox_row(engine).next_attempt_at
    assert retry_at > T0

    assert dispatch_at(uow_factory, retry_at - timedelta(milliseconds=1)) == (0, 0, 0)
    assert len(subscriber.received) == 1

    subscriber.failing = False
    assert dispatch_at(uow_factory, retry_at) == (1, 0, 0)
    assert [e.id for e in subscriber.received] == [event.id, event.id]
    (row,) = list_events(uow_factory(), SYSTEM)
    assert row.status == "delivered"
    assert row.attempts == 2
    assert row.last_error is None


def test_the_back_off_grows_with_each_failure(
    uow_factory: Uow, subscriber: Recorder, engine: Engine
) -> None:
    with clock.fixed(T0):
        publish_committed(uow_factory)
    subscriber.failing = True
    now, waits = T0, []
    for _ in range(3):
        dispatch_at(uow_factory, now)
        retry_at = outbox_row(engine).next_attempt_at
        waits.append(retry_at - now)
        now = retry_at
    assert waits[0] < waits[1] < waits[2]


def test_an_event_that_keeps_failing_is_dead_lettered_after_max_attempts(
    uow_factory: Uow, subscriber: Recorder
) -> None:
    with clock.fixed(T0):
        publish_committed(uow_factory)
    subscriber.failing = True
    reports = [
        dispatch_at(uow_factory, T0 + timedelta(hours=attempt)) for attempt in range(MAX_ATTEMPTS)
    ]
    assert reports[:-1] == [(0, 1, 0)] * (MAX_ATTEMPTS - 1)
    assert reports[-1] == (0, 1, 1)

    (row,) = list_events(uow_factory(), SYSTEM, status="dead")
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error == "RuntimeError: webhook endpoint returned 500"

    subscriber.failing = False
    assert dispatch_at(uow_factory, T0 + timedelta(days=30)) == (0, 0, 0)
    assert len(subscriber.received) == MAX_ATTEMPTS


def test_one_failing_event_does_not_stop_the_others(uow_factory: Uow, engine: Engine) -> None:
    received: list[str] = []

    def picky(event: DomainEvent) -> None:
        if event.topic == "test.bad":
            raise ValueError("cannot handle this one")
        received.append(event.topic)

    subscribe(SUBSCRIBER, "test.*", picky)
    try:
        with clock.fixed(T0):
            publish_committed(uow_factory, "test.bad")
            publish_committed(uow_factory, "test.good")
        assert dispatch_at(uow_factory, T0) == (1, 1, 0)
    finally:
        unsubscribe(SUBSCRIBER)
    assert received == ["test.good"]
    statuses = {row.event.topic: row.status for row in list_events(uow_factory(), SYSTEM)}
    assert statuses == {"test.bad": "pending", "test.good": "delivered"}


# --- idempotent consumers ------------------------------------------------------------


def test_consume_once_is_true_the_first_time_and_false_on_redelivery(uow_factory: Uow) -> None:
    event = DomainEvent("test.thing_happened", {})
    with uow_factory() as uow:
        assert consume_once(uow, "mailer", event) is True
        uow.commit()
    with uow_factory() as uow:
        assert consume_once(uow, "mailer", event) is False
    with uow_factory() as uow:
        assert consume_once(uow, "webhooks", event) is True  # another consumer


def test_consume_once_forgets_the_event_when_the_consumers_work_rolls_back(
    uow_factory: Uow,
) -> None:
    event = DomainEvent("test.thing_happened", {})
    with uow_factory() as uow:
        assert consume_once(uow, "mailer", event) is True
    with uow_factory() as uow:
        assert consume_once(uow, "mailer", event) is True


# --- permissions ---------------------------------------------------------------------


def test_dispatching_needs_the_dispatch_permission(uow_factory: Uow, subscriber: Recorder) -> None:
    reader = Actor("reader", permissions=frozenset({"events.outbox.read"}))
    publish_committed(uow_factory)
    with pytest.raises(PermissionDenied) as caught:
        dispatch_pending(uow_factory(), reader)
    assert caught.value.code == "identity.permission_denied"
    assert caught.value.details == {"permission": "events.outbox.dispatch"}
    assert subscriber.received == []
    (row,) = list_events(uow_factory(), SYSTEM)
    assert row.status == "pending"


def test_listing_events_needs_the_read_permission(uow_factory: Uow) -> None:
    dispatcher = Actor("dispatcher", permissions=frozenset({"events.outbox.dispatch"}))
    with pytest.raises(PermissionDenied) as caught:
        list_events(uow_factory(), dispatcher)
    assert caught.value.code == "identity.permission_denied"


def test_a_wildcard_grant_covers_dispatching(uow_factory: Uow, subscriber: Recorder) -> None:
    operator = Actor("operator", permissions=frozenset({"events.*"}))
    publish_committed(uow_factory)
    assert dispatch_pending(uow_factory(), operator).delivered == 1
    assert len(subscriber.received) == 1


# --- the background dispatcher ---------------------------------------------------------


def test_a_running_dispatcher_delivers_right_after_the_commit(uow_factory: Uow) -> None:
    delivered = threading.Event()
    received: list[DomainEvent] = []

    def handler(event: DomainEvent) -> None:
        received.append(event)
        delivered.set()

    subscribe("test-dispatcher", "test.*", handler)
    dispatcher = Dispatcher(uow_factory, interval=60)  # only a wake-up can deliver in time
    dispatcher.start()
    try:
        event = publish_committed(uow_factory)
        assert delivered.wait(10), "the dispatcher did not deliver after the commit"
    finally:
        dispatcher.stop()
        unsubscribe("test-dispatcher")
    assert [e.id for e in received] == [event.id]
    (row,) = list_events(uow_factory(), SYSTEM)
    assert row.status == "delivered"


def test_a_rolled_back_publish_does_not_wake_the_dispatcher(uow_factory: Uow) -> None:
    received: list[DomainEvent] = []
    subscribe("test-dispatcher", "test.*", received.append)
    dispatcher = Dispatcher(uow_factory, interval=60)
    dispatcher.start()
    try:
        with uow_factory() as uow:
            publish(uow, DomainEvent("test.never", {}))
        time.sleep(0.3)
    finally:
        dispatcher.stop()
        unsubscribe("test-dispatcher")
    assert received == []
    assert list_events(uow_factory(), SYSTEM) == []
