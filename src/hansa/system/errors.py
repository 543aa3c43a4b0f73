"""Errors of the system package."""

from __future__ import annotations

from hansa.kernel.errors import InvalidInput


class UnknownCheck(InvalidInput):
    default_code = "system.unknown_check"
