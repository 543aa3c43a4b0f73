"""The integrity-check registry that ``hansa check`` runs.

A check is a function that reads the books and returns its problems as data; it never
repairs anything. Domains register theirs at import time with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    ref: str = ""


CheckFn = Callable[[Any], Sequence[Problem]]


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    run: CheckFn


_REGISTRY: dict[str, Check] = {}


def register(name: str, description: str) -> Callable[[CheckFn], CheckFn]:
    """Register *fn* under *name*; the function gets an open connection to read from."""

    def decorate(fn: CheckFn) -> CheckFn:
        _REGISTRY[name] = Check(name, description, fn)
        return fn

    return decorate


def registered() -> list[Check]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
