"""Time-ordered identifiers (UUID version 7)."""

from __future__ import annotations

import re
import time
import uuid
from types import SimpleNamespace
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from hansa.kernel import ids

MAX_MILLIS = (1 << 48) - 1
millis = st.integers(min_value=0, max_value=MAX_MILLIS)


def id_at(ms: int) -> str:
    with mock.patch.object(ids, "time", SimpleNamespace(time_ns=lambda: ms * 1_000_000 + 999)):
        return ids.new_id()


def test_an_id_is_32_lowercase_hex_digits() -> None:
    for _ in range(200):
        assert re.fullmatch(r"[0-9a-f]{32}", ids.new_id())


def test_a_uuid_has_version_7_and_the_rfc_4122_variant() -> None:
    for _ in range(200):
        value = ids.new_uuid()
        assert value.version == 7
        assert value.variant == uuid.RFC_4122
        assert value.hex[12] == "7"
        assert value.hex[16] in "89ab"


def test_an_id_carries_the_current_unix_milliseconds_in_its_first_48_bits() -> None:
    before = time.time_ns() // 1_000_000
    value = ids.new_uuid()
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after


@given(millis, millis)
def test_ids_sort_by_the_millisecond_they_were_made_in(first: int, second: int) -> None:
    a, b = id_at(first), id_at(second)
    assert uuid.UUID(hex=a).int >> 80 == first
    if first < second:
        assert a < b
    elif first > second:
        assert a > b


def test_ids_made_over_time_sort_in_the_order_they_were_made() -> None:
    made = []
    for _ in range(5):
        made.append(ids.new_id())
        time.sleep(0.002)
    assert sorted(made) == made


def test_ids_are_unique() -> None:
    assert len({ids.new_id() for _ in range(10_000)}) == 10_000
