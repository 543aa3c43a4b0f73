"""CRM: leads, pipeline stages, opportunities, activities; the weighted pipeline and
RFM segmentation as pure functions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from hansa.kernel.money import currency_places as places
from hansa.kernel.money import quantize
from hansa.parties.errors import BadPartyInput, PartyRuleViolation


class LeadStatus(StrEnum):
    new = "new"
    qualified = "qualified"
    converted = "converted"
    lost = "lost"


class ActivityKind(StrEnum):
    call = "call"
    email = "email"
    meeting = "meeting"
    note = "note"
    task = "task"


@dataclass(frozen=True)
class Lead:
    id: int
    name: str
    organisation: str | None
    email: str | None
    phone: str | None
    source: str | None
    status: LeadStatus
    party_code: str | None
    owner: str | None
    version: int = 1


@dataclass(frozen=True)
class Stage:
    name: str
    sequence: int
    probability: int  # percent
    outcome: str | None = None  # won | lost | None while open


# The pipeline until someone changes it (``crm stage set``).
DEFAULT_STAGES = (
    Stage("new", 1, 10),
    Stage("qualified", 2, 25),
    Stage("proposal", 3, 50),
    Stage("negotiation", 4, 75),
    Stage("won", 5, 100, "won"),
    Stage("lost", 6, 0, "lost"),
)


@dataclass(frozen=True)
class Opportunity:
    id: int
    name: str
    party_code: str | None
    stage: str
    expected_revenue: Decimal
    currency: str
    probability: int
    close_date: date | None
    owner: str
    version: int = 1

    @property
    def weighted(self) -> Decimal:
        return self.expected_revenue * self.probability / 100


@dataclass(frozen=True)
class Activity:
    id: int
    kind: ActivityKind
    subject: str
    notes: str | None
    due_date: date | None
    done: bool
    owner: str
    at: datetime
    party_code: str | None = None
    lead_id: int | None = None
    opportunity_id: int | None = None


@dataclass(frozen=True)
class PipelineRow:
    stage: str
    owner: str
    currency: str
    count: int
    expected: Decimal
    weighted: Decimal


def lead_transition(status: LeadStatus, to: LeadStatus) -> LeadStatus:
    """new -> qualified -> converted; new or qualified -> lost; lost -> new (revived)."""
    allowed = {
        LeadStatus.new: {LeadStatus.qualified, LeadStatus.lost, LeadStatus.converted},
        LeadStatus.qualified: {LeadStatus.converted, LeadStatus.lost},
        LeadStatus.lost: {LeadStatus.new},
        LeadStatus.converted: set(),
    }
    if to not in allowed[status]:
        raise PartyRuleViolation(f"a {status.value} lead cannot become {to.value}")
    return to


def check_probability(percent: int) -> int:
    if not 0 <= percent <= 100:
        raise BadPartyInput(f"a probability is 0 to 100 percent, not {percent}")
    return percent


def pipeline(opportunities: Iterable[Opportunity], stages: Sequence[Stage]) -> list[PipelineRow]:
    """Expected and probability-weighted revenue per stage, owner and currency, in stage
    order then owner; sums rounded to the currency's minor unit (half up) once.

    >>> s = [Stage("new", 1, 10), Stage("proposal", 2, 50)]
    >>> o = [Opportunity(1, "A", None, "proposal", Decimal("1000"), "EUR", 50, None, "ann"),
    ...      Opportunity(2, "B", None, "proposal", Decimal("200"), "EUR", 40, None, "ann")]
    >>> [(r.stage, r.count, r.expected, r.weighted) for r in pipeline(o, s)]
    [('proposal', 2, Decimal('1200.00'), Decimal('580.00'))]
    """
    groups: dict[tuple[str, str, str], list[Opportunity]] = defaultdict(list)
    for opp in opportunities:
        groups[(opp.stage, opp.owner, opp.currency)].append(opp)
    order = {s.name: s.sequence for s in stages}
    rows = [
        PipelineRow(
            stage,
            owner,
            currency,
            len(opps),
            quantize(sum((o.expected_revenue for o in opps), Decimal(0)), places(currency)),
            quantize(sum((o.weighted for o in opps), Decimal(0)), places(currency)),
        )
        for (stage, owner, currency), opps in groups.items()
    ]
    return sorted(rows, key=lambda r: (order.get(r.stage, 1 << 30), r.owner, r.currency))


@dataclass(frozen=True)
class Sale:
    """One sale of a customer: its day and its amount."""

    party: str
    day: date
    amount: Decimal


@dataclass(frozen=True)
class RfmScore:
    party: str
    recency_days: int
    frequency: int
    monetary: Decimal
    r: int
    f: int
    m: int

    @property
    def segment(self) -> str:
        return f"{self.r}{self.f}{self.m}"


def _rank_scores(
    values: dict[str, Decimal], buckets: int, higher_is_better: bool
) -> dict[str, int]:
    """Score 1..*buckets* by rank: the share of parties doing no better than this one,
    times *buckets*, rounded up. The best always scores *buckets*; ties share a score.

    >>> _rank_scores({"a": Decimal(1), "b": Decimal(2), "c": Decimal(2)}, 3, True)
    {'a': 1, 'b': 3, 'c': 3}
    """
    ascending = sorted(values.values())
    n = len(ascending)

    def no_better(v: Decimal) -> int:
        if higher_is_better:
            return bisect_right(ascending, v)
        return n - bisect_left(ascending, v)

    return {party: -(-no_better(v) * buckets // n) for party, v in values.items()}


def rfm(sales: Iterable[Sale], as_of: date, buckets: int = 5) -> list[RfmScore]:
    """Recency (days since the last sale), frequency (number of sales) and monetary
    (sum of amounts) per party, each scored 1..*buckets* by rank (see
    :func:`_rank_scores`): *buckets* is best (most recent, most frequent, largest).

    >>> s = [Sale("A", date(2026, 1, 1), Decimal(100)), Sale("A", date(2026, 3, 1), Decimal(50)),
    ...      Sale("B", date(2025, 6, 1), Decimal(10))]
    >>> [(x.party, x.recency_days, x.frequency, x.monetary, x.segment)
    ...  for x in rfm(s, date(2026, 3, 31), buckets=2)]
    [('A', 30, 2, Decimal('150'), '222'), ('B', 303, 1, Decimal('10'), '111')]
    """
    if buckets < 1:
        raise BadPartyInput("RFM needs at least one bucket")
    last: dict[str, date] = {}
    count: dict[str, int] = defaultdict(int)
    total: dict[str, Decimal] = defaultdict(Decimal)
    for sale in sales:
        last[sale.party] = max(last.get(sale.party, sale.day), sale.day)
        count[sale.party] += 1
        total[sale.party] += sale.amount
    if not last:
        return []
    recency = {p: Decimal((as_of - d).days) for p, d in last.items()}
    r = _rank_scores(recency, buckets, higher_is_better=False)
    f = _rank_scores({p: Decimal(c) for p, c in count.items()}, buckets, True)
    m = _rank_scores(dict(total), buckets, True)
    scores = [RfmScore(p, int(recency[p]), count[p], total[p], r[p], f[p], m[p]) for p in last]
    return sorted(scores, key=lambda s: (-(s.r + s.f + s.m), s.party))
