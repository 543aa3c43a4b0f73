"""Outcomes of integrity checks (pure data)."""

from __future__ import annotations

from dataclasses import dataclass

from hansa.kernel.checks import Problem


@dataclass(frozen=True)
class CheckOutcome:
    name: str
    description: str
    problems: tuple[Problem, ...]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.error is None
