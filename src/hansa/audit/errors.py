"""Errors of the audit domain."""

from __future__ import annotations

from hansa.kernel.errors import InvalidInput


class BadAuditQuery(InvalidInput):
    default_code = "audit.bad_query"
