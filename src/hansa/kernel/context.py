"""Per-request context: the request id every audit record and log line carries."""

from __future__ import annotations

from contextvars import ContextVar

from hansa.kernel.ids import new_id

_request_id: ContextVar[str | None] = ContextVar("hansa_request_id", default=None)


def request_id() -> str:
    """The current request id, created on first use in a context."""
    value = _request_id.get()
    if value is None:
        value = new_id()
        _request_id.set(value)
    return value


def set_request_id(value: str) -> None:
    _request_id.set(value)
