"""Identifiers: time-ordered UUIDs (version 7) for events and requests."""

from __future__ import annotations

import os
import time
import uuid


def new_uuid() -> uuid.UUID:
    """A UUIDv7: 48 bits of Unix milliseconds then 74 random bits, so ids sort by time."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # 12 random bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new identifier as 32 lowercase hex digits."""
    return new_uuid().hex
