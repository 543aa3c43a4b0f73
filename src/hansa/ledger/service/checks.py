"""The ledger's integrity checks, run by ``hansa check``."""

from __future__ import annotations

from collections import Counter, defaultdict

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.kernel.checks import Problem, register
from hansa.ledger.repository.reports import weight_totals
from hansa.ledger.tables import balances, entries, fiscal_years, journals, lines, sequences


@register("ledger.entries_balance", "every posted entry's weights sum to zero per currency")
def check_entries_balance(conn: sa.Connection) -> list[Problem]:
    total = exact_sum(lines.c.weight)
    query = (
        sa.select(lines.c.entry_id, lines.c.weight_currency, total)
        .where(lines.c.posted.is_(True))
        .group_by(lines.c.entry_id, lines.c.weight_currency)
        .having(sa.func.sum(lines.c.weight) != 0)
        .limit(100)
    )
    return [
        Problem("ledger.entries_balance", f"entry {r[0]} is off by {r[2]} {r[1]}", ref=str(r[0]))
        for r in conn.execute(query)
    ]


@register("ledger.trial_balance_zero", "each weight currency's trial balance nets to zero")
def check_trial_balance(conn: sa.Connection) -> list[Problem]:
    return [
        Problem(
            "ledger.trial_balance_zero",
            f"company {company}: weights in {currency} sum to {total}",
            ref=f"{company}:{currency}",
        )
        for company, currency, total in weight_totals(conn)
        if total != 0
    ]


@register("ledger.balances_match_lines", "stored balances equal the sum of posted lines")
def check_balances(conn: sa.Connection) -> list[Problem]:
    key = (lines.c.company_id, lines.c.account_id, lines.c.commodity, lines.c.weight_currency)
    from_lines = (
        sa.select(
            *key,
            exact_sum(lines.c.amount).label("amount"),
            exact_sum(lines.c.weight).label("weight"),
        )
        .where(lines.c.posted.is_(True))
        .group_by(*key)
    )
    bkey = (
        balances.c.company_id,
        balances.c.account_id,
        balances.c.commodity,
        balances.c.weight_currency,
    )
    stored = sa.select(
        *bkey,
        exact_sum(balances.c.amount).label("amount"),
        exact_sum(balances.c.weight).label("weight"),
    ).group_by(*bkey)
    left = {tuple(r[:4]): (r.amount, r.weight) for r in conn.execute(from_lines)}
    right = {tuple(r[:4]): (r.amount, r.weight) for r in conn.execute(stored)}
    problems = []
    for k in sorted(set(left) | set(right), key=str):
        a = left.get(k, (0, 0))
        b = right.get(k, (0, 0))
        if a[0] != b[0] or a[1] != b[1]:
            problems.append(
                Problem(
                    "ledger.balances_match_lines",
                    f"account id {k[1]} {k[2]}: lines sum to {a[0]}, stored balance is {b[0]}",
                    ref=str(k[1]),
                )
            )
    return problems


@register("ledger.sequences_gapless", "entry numbers have no gaps per journal and year")
def check_sequences(conn: sa.Connection) -> list[Problem]:
    taken: dict[tuple[int, str], list[int]] = defaultdict(list)
    for company_id, number in conn.execute(
        sa.select(entries.c.company_id, entries.c.number).where(entries.c.number.is_not(None))
    ):
        prefix, _, n = str(number).rpartition("/")
        taken[(int(company_id), prefix)].append(int(n))
    issued = {
        (int(r.company_id), f"{r.code}/{r.name}"): int(r.last_number)
        for r in conn.execute(
            sa.select(
                sequences.c.company_id,
                sequences.c.last_number,
                journals.c.code,
                fiscal_years.c.name,
            )
            .join(journals, journals.c.id == sequences.c.journal_id)
            .join(fiscal_years, fiscal_years.c.id == sequences.c.fiscal_year_id)
        )
    }
    problems = []
    for key in sorted(set(taken) | set(issued)):
        numbers = sorted(taken.get(key, []))
        expected = list(range(1, issued.get(key, 0) + 1))
        if numbers != expected:
            missing = sorted(set(expected) - set(numbers))[:5]
            doubled = sorted(n for n, count in Counter(numbers).items() if count > 1)[:5]
            problems.append(
                Problem(
                    "ledger.sequences_gapless",
                    f"{key[1]}: {len(numbers)} numbered entries but {len(expected)} numbers "
                    f"issued (missing {missing}, duplicated {doubled})",
                    ref=key[1],
                )
            )
    return problems
