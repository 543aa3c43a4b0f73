"""Errors of the events domain."""

from __future__ import annotations

from hansa.kernel.errors import InvalidInput


class BadEventQuery(InvalidInput):
    default_code = "events.bad_query"
