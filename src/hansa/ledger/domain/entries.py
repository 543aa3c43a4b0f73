"""Journal entries: lines with a weight, balanced per weight currency.

A line records an *amount* of a *commodity* on an account and a *weight*, the amount
that counts for balancing, in a *weight currency*. A line in the company currency
weighs its own amount; a foreign-currency line weighs its company-currency
equivalent; a line in a non-monetary unit may weigh in that unit. An entry may be
posted only when, for every weight currency, its weights sum to exactly zero.

>>> from decimal import Decimal as D
>>> lines = [LineDraft("1000", "EUR", D("100"), D("100"), "EUR"),
...          LineDraft("4000", "EUR", D("-100"), D("-100"), "EUR")]
>>> imbalances(lines)
{}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from hansa.ledger.errors import BadLedgerInput, UnbalancedEntry


class EntryState(StrEnum):
    draft = "draft"
    posted = "posted"


class LineDraft(NamedTuple):
    """A line of an entry to post. (A named tuple rather than a frozen dataclass: an
    import drafts millions of lines, and a tuple is made several times faster.)"""

    account: str  # account code
    commodity: str
    amount: Decimal
    weight: Decimal | None = None  # None: weighs its own amount in its own commodity
    weight_currency: str | None = None
    partner: str | None = None
    due_date: date | None = None
    description: str | None = None
    cost_center: str | None = None
    tax_code: str | None = None  # set on a tax line: the code it posts, for the tax report
    tax_base: Decimal | None = None  # ... and the base the tax was charged on

    @property
    def weighed(self) -> tuple[Decimal, str]:
        if self.weight is None:
            return self.amount, self.commodity
        return self.weight, self.weight_currency or self.commodity

    @property
    def revalues(self) -> bool:
        """A zero amount weighing something in another currency: the line changes only
        the company-currency value of a foreign balance, never the balance itself
        (a revaluation, or the close of a value left on a settled account)."""
        return (
            self.amount == 0
            and self.weight is not None
            and (self.weight_currency or self.commodity) != self.commodity
        )


@dataclass(frozen=True)
class EntryDraft:
    journal: str
    date: date
    lines: tuple[LineDraft, ...]
    narration: str = ""
    partner: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Line:
    id: int
    line_no: int
    account_id: int
    account_code: str
    commodity: str
    amount: Decimal
    weight: Decimal
    weight_currency: str
    partner: str | None = None
    due_date: date | None = None
    description: str | None = None
    cost_center: str | None = None
    tax_code: str | None = None
    tax_base: Decimal | None = None


@dataclass(frozen=True)
class Entry:
    id: int
    company_id: int
    journal: str
    number: str | None
    date: date
    state: EntryState
    narration: str
    partner: str | None
    reference: str | None
    reversal_of: int | None
    reversed_by: int | None
    created_by: str
    version: int
    lines: tuple[Line, ...] = field(default=())


def imbalances(lines: Sequence[LineDraft]) -> dict[str, Decimal]:
    """The non-zero sums of weights per weight currency (empty when balanced)."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        weight, currency = line.weighed
        totals[currency] += weight
    return {currency: total for currency, total in totals.items() if total != 0}


def check_entry(draft: EntryDraft) -> None:
    """Refuse an entry that could never be posted: too few lines, or unbalanced."""
    if len(draft.lines) < 2:
        raise BadLedgerInput("an entry needs at least two lines", code="ledger.too_few_lines")
    for number, line in enumerate(draft.lines, 1):
        if (
            line.weight is not None
            and (line.amount == 0) != (line.weight == 0)
            and not line.revalues
        ):
            raise BadLedgerInput(
                f"line {number}: an amount of {line.amount} cannot weigh {line.weight}",
                code="ledger.bad_weight",
            )
    off = imbalances(draft.lines)
    if off:
        detail = ", ".join(f"{total:+} {currency}" for currency, total in sorted(off.items()))
        raise UnbalancedEntry(
            f"the entry does not balance: weights sum to {detail}",
            details={currency: str(total) for currency, total in off.items()},
        )


def reversed_lines(lines: Sequence[LineDraft]) -> tuple[LineDraft, ...]:
    """The negated lines that cancel an entry."""
    return tuple(
        line._replace(
            amount=-line.amount,
            weight=None if line.weight is None else -line.weight,
            tax_base=None if line.tax_base is None else -line.tax_base,
        )
        for line in lines
    )
