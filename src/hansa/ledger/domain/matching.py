"""Open items, reconciliation, aging and the partner ledger (pure).

An *open item* is a posted line on a reconcilable account whose *residual* (its
amount minus what reconciliations matched of it) is not zero. Lines reconcile
together only when they share the account, the partner and the commodity. A
reconciliation matches the smaller side in full and as much of the larger side
(oldest due first); its parts always sum to zero, so a reconciled group nets to zero.

>>> from datetime import date
>>> from decimal import Decimal as D
>>> invoice = OpenItem(1, 1, "SAL/2026/000001", date(2026, 1, 5), None, "1100",
...                    "Globex", "EUR", D("119.00"), D("119.00"))
>>> payment = OpenItem(2, 2, "BNK/2026/000001", date(2026, 1, 20), None, "1100",
...                    "Globex", "EUR", D("-50.00"), D("-50.00"))
>>> match = plan_match([invoice, payment])
>>> match.parts, match.left_open
(((1, Decimal('50.00')), (2, Decimal('-50.00'))), Decimal('69.00'))
>>> write_off_amount([invoice, payment])
Decimal('-69.00')
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hansa.kernel.money import quantize
from hansa.ledger.errors import MatchRefused


@dataclass(frozen=True)
class OpenItem:
    """A posted line and what is still open of it (debit positive, credit negative)."""

    line_id: int
    entry_id: int
    entry_number: str | None
    date: dt.date
    due_date: dt.date | None
    account: str
    partner: str | None
    commodity: str
    amount: Decimal
    residual: Decimal
    description: str | None = None
    reference: str | None = None
    # The line's weight, its currency and what of the weight is still unmatched.
    weight: Decimal | None = None
    weight_currency: str | None = None
    open_weight: Decimal | None = None

    @property
    def due(self) -> dt.date:
        """The day the item falls due: its due date, else its entry date."""
        return self.due_date or self.date


@dataclass(frozen=True)
class Match:
    """What a reconciliation matches of each line (the parts sum to zero) and the
    residual the larger side keeps open (zero: a full reconciliation)."""

    parts: tuple[tuple[int, Decimal], ...]
    left_open: Decimal

    @property
    def full(self) -> bool:
        return self.left_open == 0


@dataclass(frozen=True)
class Reconciliation:
    """A stored group: the amount matched of each line (the parts sum to zero)."""

    id: int
    account: str
    partner: str | None
    commodity: str
    date: date
    created_by: str
    write_off_entry_id: int | None
    parts: tuple[tuple[int, Decimal], ...]
    # Set by reconcile: the residual the larger side keeps (None when read back).
    left_open: Decimal | None = None
    exchange_entry_id: int | None = None
    # Set by reconcile: the realised exchange difference posted (debit positive).
    exchange_difference: Decimal | None = None


def _one(values: Iterable[object], what: str) -> None:
    found = sorted({str(v) if v is not None else "(none)" for v in values})
    if len(found) > 1:
        raise MatchRefused(
            f"lines to reconcile must share one {what}; these have {', '.join(found)}",
            code=f"ledger.match_{what}_differs",
            details={what: found},
        )


def check_matchable(items: Sequence[OpenItem]) -> None:
    """Refuse lines that cannot be reconciled together, with the reason."""
    if not items:
        raise MatchRefused("name at least one line to reconcile", code="ledger.match_empty")
    ids = [i.line_id for i in items]
    if len(set(ids)) != len(ids):
        raise MatchRefused("a line is named twice", code="ledger.match_duplicate_line")
    _one((i.account for i in items), "account")
    _one((i.partner for i in items), "partner")
    _one((i.commodity for i in items), "commodity")
    closed = [i.line_id for i in items if i.residual == 0]
    if closed:
        raise MatchRefused(
            f"line {closed[0]} is already fully reconciled",
            code="ledger.match_already_reconciled",
            details={"lines": closed},
        )


def _allocate(side: Sequence[OpenItem], total: Decimal) -> list[tuple[int, Decimal]]:
    """Spread *total* over *side* (all of one sign), oldest due first."""
    parts = []
    remaining = total
    for item in sorted(side, key=lambda i: (i.due, i.date, i.line_id)):
        take = min(abs(item.residual), abs(remaining))
        if take == 0:
            break
        signed = take if item.residual > 0 else -take
        parts.append((item.line_id, signed))
        remaining -= signed
    return parts


def plan_match(items: Sequence[OpenItem]) -> Match:
    """Match debits against credits: the smaller side in full, the larger side as far
    as it goes, oldest due date first."""
    check_matchable(items)
    debits = [i for i in items if i.residual > 0]
    credits = [i for i in items if i.residual < 0]
    if not debits or not credits:
        side = "debits" if debits else "credits"
        raise MatchRefused(
            f"nothing to match: the lines are all {side}; name a line of the other side "
            "or write the difference off",
            code="ledger.match_one_sided",
        )
    matched = min(
        sum((i.residual for i in debits), Decimal(0)),
        -sum((i.residual for i in credits), Decimal(0)),
    )
    parts = _allocate(debits, matched) + _allocate(credits, -matched)
    return Match(tuple(parts), sum((i.residual for i in items), Decimal(0)))


def part_weights(
    items: Sequence[OpenItem], parts: Sequence[tuple[int, Decimal]], base: str, places: int
) -> dict[int, Decimal]:
    """The company-currency value of each matched part: the line's weight in
    proportion to the part, rounded to *places* (ROUND_HALF_UP); a part that closes its
    line takes all of the weight still unmatched, so a line matched in several steps
    gives exactly its weight. A line that does not weigh in *base* gives zero.

    >>> from datetime import date
    >>> from decimal import Decimal as D
    >>> invoice = OpenItem(1, 1, None, date(2026, 1, 5), None, "1100", "Globex", "USD",
    ...                    D("1000"), D("1000"), weight=D("900.00"), weight_currency="EUR",
    ...                    open_weight=D("900.00"))
    >>> payment = OpenItem(2, 2, None, date(2026, 2, 5), None, "1100", "Globex", "USD",
    ...                    D("-400"), D("-400"), weight=D("-380.00"), weight_currency="EUR",
    ...                    open_weight=D("-380.00"))
    >>> weights = part_weights([invoice, payment], [(1, D("400")), (2, D("-400"))], "EUR", 2)
    >>> weights
    {1: Decimal('360.00'), 2: Decimal('-380.00')}
    >>> exchange_difference(weights)  # received 20.00 EUR more than the invoice carried
    Decimal('20.00')
    """
    by_id = {i.line_id: i for i in items}
    weights = {}
    for line_id, part in parts:
        item = by_id[line_id]
        if item.weight is None or item.weight_currency != base or item.amount == 0:
            weights[line_id] = Decimal(0)
        elif part == item.residual and item.open_weight is not None:
            weights[line_id] = item.open_weight
        else:
            weights[line_id] = quantize(item.weight * part / item.amount, places)
    return weights


def exchange_difference(weights: Mapping[int, Decimal]) -> Decimal:
    """What a line on the items' account must weigh so that the group nets to zero in
    the company currency: positive when the payment was worth more than the invoice
    (a gain on a receivable), negative otherwise."""
    return -sum(weights.values(), Decimal(0))


def write_off_amount(items: Sequence[OpenItem]) -> Decimal:
    """The amount a write-off line on the items' account needs so that the items and
    it net to zero (zero when they already do)."""
    check_matchable(items)
    return -sum((i.residual for i in items), Decimal(0))


# Aging -----------------------------------------------------------------------------

BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "over_90")


def bucket(due: date, as_of: date) -> str:
    """The aging bucket of an item due on *due*, seen on *as_of*.

    >>> bucket(date(2026, 3, 31), date(2026, 3, 31)), bucket(date(2026, 3, 1), date(2026, 3, 31))
    ('current', 'days_1_30')
    >>> bucket(date(2025, 12, 30), date(2026, 3, 31))  # 91 days
    'over_90'
    """
    days = (as_of - due).days
    if days <= 0:
        return "current"
    if days <= 30:
        return "days_1_30"
    if days <= 60:
        return "days_31_60"
    if days <= 90:
        return "days_61_90"
    return "over_90"


@dataclass(frozen=True)
class AgingRow:
    """A partner's open amounts per bucket in one commodity (partner None: the total)."""

    partner: str | None
    commodity: str
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal

    @property
    def total(self) -> Decimal:
        return self.current + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.over_90


@dataclass(frozen=True)
class AgingReport:
    """Open items by age on *as_of*; amounts are what is owed (receivables: by the
    partner, payables: to the partner), so both read positive."""

    as_of: date
    accounts: tuple[str, ...]
    rows: tuple[AgingRow, ...]
    totals: tuple[AgingRow, ...]


def _rows(sums: Mapping[tuple[str | None, str], Mapping[str, Decimal]]) -> list[AgingRow]:
    return [
        AgingRow(partner, commodity, *(b.get(name, Decimal(0)) for name in BUCKETS))
        for (partner, commodity), b in sorted(sums.items(), key=lambda kv: (kv[0][0] or "", kv[0]))
    ]


def aging_rows(items: Iterable[OpenItem], as_of: date, *, sign: int = 1) -> list[AgingRow]:
    """Open residuals per partner and commodity in the five buckets, by days past the
    due date (or past the entry date when there is none). *sign* -1 shows credit
    balances (payables) as positive amounts owed."""
    sums: dict[tuple[str | None, str], dict[str, Decimal]] = defaultdict(dict)
    for item in items:
        row = sums[(item.partner, item.commodity)]
        if not row:  # empty buckets show the commodity's places too: 0.00, not 0
            row.update(dict.fromkeys(BUCKETS, abs(item.residual) * 0))
        row[bucket(item.due, as_of)] += sign * item.residual
    return _rows(sums)


def aging_totals(rows: Iterable[AgingRow]) -> list[AgingRow]:
    """One total row per commodity."""
    sums: dict[tuple[str | None, str], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for row in rows:
        for name in BUCKETS:
            sums[(None, row.commodity)][name] += getattr(row, name)
    return _rows(sums)


# Partner ledger --------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerLedgerRow:
    line_id: int
    date: date
    entry_number: str | None
    account: str
    description: str
    commodity: str
    amount: Decimal
    balance: Decimal
    open: Decimal  # what is still unreconciled of this line


@dataclass(frozen=True)
class PartnerLedger:
    partner: str
    start: date
    end: date
    opening: dict[str, Decimal]
    rows: tuple[PartnerLedgerRow, ...]
    closing: dict[str, Decimal]


def running_ledger(
    partner: str,
    start: date,
    end: date,
    opening: Mapping[str, Decimal],
    items: Iterable[OpenItem],
) -> PartnerLedger:
    """The partner's lines in order with a running balance per commodity, starting
    from the *opening* balances (the sums before *start*)."""
    balance: dict[str, Decimal] = defaultdict(Decimal, opening)
    rows = []
    for item in items:
        balance[item.commodity] += item.amount
        rows.append(
            PartnerLedgerRow(
                item.line_id,
                item.date,
                item.entry_number,
                item.account,
                item.description or "",
                item.commodity,
                item.amount,
                balance[item.commodity],
                item.residual,
            )
        )
    return PartnerLedger(partner, start, end, dict(opening), tuple(rows), dict(balance))
