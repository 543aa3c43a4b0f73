"""Domain events through a transactional outbox, delivered at least once."""

from hansa.events.repository import OutboxRow
from hansa.events.service import (
    Dispatcher,
    DispatchReport,
    consume_once,
    dispatch_pending,
    list_events,
    publish,
    subscribe,
    unsubscribe,
)

__all__ = [
    "DispatchReport",
    "Dispatcher",
    "OutboxRow",
    "consume_once",
    "dispatch_pending",
    "list_events",
    "publish",
    "subscribe",
    "unsubscribe",
]
