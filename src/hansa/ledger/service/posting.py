"""Turning entry drafts into stored lines: the one path every posting takes.

Used by single postings, reversals and the journal import alike, so the rules (accounts
active and of the right currency, commodities known, weights balanced, period open,
gapless numbers) are checked in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.kernel.errors import Conflict
from hansa.kernel.money import quantize
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.entries import (
    Entry,
    EntryDraft,
    EntryState,
    Line,
    LineDraft,
    check_entry,
)
from hansa.ledger.domain.periods import check_postable, fiscal_year_name
from hansa.ledger.errors import AccountNotFound, AccountRuleViolation, BadLedgerInput
from hansa.ledger.repository import books as books_repo
from hansa.ledger.repository import postings
from hansa.ledger.service.books import Books

Rates = Mapping[str, Decimal]  # currency -> base units per unit, for one day


def weigh(books: Books, line: LineDraft, rate: Decimal | None) -> tuple[Decimal, str]:
    """The weight of *line*: explicit, else its own amount for the company currency and
    non-monetary units, else (a foreign currency) its company-currency equivalent at
    *rate*, rounded to the company currency's minor unit."""
    if line.weight is not None:
        return line.weight, line.weight_currency or line.commodity
    base = books.company.base_currency
    commodity = books.commodity(line.commodity)
    if line.commodity == base or commodity.kind != "currency" or rate is None:
        return line.amount, line.commodity
    return quantize(line.amount * rate, books.commodity(base).decimals), base


def resolved(books: Books, draft: EntryDraft, rates: Rates | None) -> EntryDraft:
    """*draft* with every weight made explicit (*draft* itself when they all are);
    refused if it cannot be posted."""
    lines = []
    for number, given in enumerate(draft.lines, 1):
        line = given if given.commodity else given._replace(commodity=books.company.base_currency)
        account = books.accounts.get(line.account)
        if account is None:
            raise AccountNotFound(
                f"line {number}: there is no account {line.account!r}",
                details={"line": number, "account": line.account},
            )
        if not account.active:
            raise AccountRuleViolation(
                f"line {number}: account {account.code} is archived", details={"line": number}
            )
        if account.currency and account.currency != line.commodity:
            raise AccountRuleViolation(
                f"line {number}: account {account.code} takes only {account.currency}, "
                f"not {line.commodity}",
                details={"line": number},
            )
        commodity = books.commodity(line.commodity)
        if commodity.decimals < 6 and quantize(line.amount, commodity.decimals) != line.amount:
            raise BadLedgerInput(
                f"line {number}: {line.amount} has more decimals than {commodity.code} "
                f"({commodity.decimals})",
                code="ledger.too_many_decimals",
                details={"line": number},
            )
        if line.weight is not None and line.weight_currency:
            lines.append(line)  # already explicit (every imported line): no copy
            continue
        rate = rates.get(line.commodity) if rates else None
        weight, currency = weigh(books, line, rate)
        lines.append(
            LineDraft(
                line.account,
                line.commodity,
                line.amount,
                weight,
                currency,
                line.partner,
                line.due_date,
                line.description,
                line.cost_center,
                line.tax_code,
                line.tax_base,
            )
        )
    result = draft
    if any(line is not given for line, given in zip(lines, draft.lines, strict=True)):
        result = EntryDraft(
            draft.journal, draft.date, tuple(lines), draft.narration, draft.partner, draft.reference
        )
    check_entry(result)
    return result


@dataclass(frozen=True)
class Stored:
    entry_id: int
    number: str | None
    line_ids: tuple[int, ...] = ()  # when asked for (see :func:`store`)


def store(
    conn: sa.Connection,
    books: Books,
    drafts: Sequence[EntryDraft],
    *,
    post: bool,
    created_by: str,
    at: datetime,
    reversal_of: Sequence[int | None] | None = None,
    line_ids: bool = False,
) -> list[Stored]:
    """Insert resolved *drafts* as entries (posted, with gapless numbers, or drafts) and
    add posted lines to the balances. Drafts must come from :func:`resolved`. With
    *line_ids*, the ids of the new lines are returned too (so the caller need not read
    the entry back)."""
    company = books.company
    journal_ids = []
    for draft in drafts:
        if draft.journal not in books.journals:
            raise BadLedgerInput(
                f"there is no journal {draft.journal!r}", code="ledger.journal_not_found"
            )
        journal_ids.append(books.journals[draft.journal])
        if post:
            check_postable(books.period_for(draft.date), company.lock_date, draft.date)
    numbers = _numbers(conn, books, drafts, journal_ids) if post else [None] * len(drafts)
    partner_ids = books_repo.partner_ids(
        conn,
        company.id,
        [d.partner for d in drafts if d.partner]
        + [ln.partner for d in drafts for ln in d.lines if ln.partner],
    )
    count = len(drafts)
    columns: dict[str, list[Any]] = {
        "company_id": [company.id] * count,
        "journal_id": journal_ids,
        "number": numbers,
        "date": [draft.date for draft in drafts],
        "state": [EntryState.posted.value if post else EntryState.draft.value] * count,
        "narration": [draft.narration[:500] for draft in drafts],
        "partner_id": [partner_ids.get(d.partner) if d.partner else None for d in drafts],
        "reference": [draft.reference for draft in drafts],
        "reversal_of": list(reversal_of) if reversal_of else [None] * count,
        "created_by": [created_by] * count,
        "created_at": [at] * count,
        "posted_at": [at if post else None] * count,
    }
    ids = postings.insert_entries(conn, columns)
    lines = line_columns(books, drafts, ids, partner_ids, posted=post)
    new_ids = postings.new_line_ids(conn, len(lines["entry_id"])) if line_ids else []
    postings.insert_lines(conn, {"id": new_ids, **lines} if line_ids else lines)
    if post:
        postings.add_to_balances(conn, company.id, lines)
    taken = iter(new_ids)
    return [
        Stored(i, n, tuple(next(taken) for _ in draft.lines) if line_ids else ())
        for i, n, draft in zip(ids, numbers, drafts, strict=True)
    ]


def stored_entry(
    books: Books, stored: Stored, draft: EntryDraft, *, posted: bool, created_by: str
) -> Entry:
    """The entry :func:`store` just wrote from the resolved *draft* (stored with
    ``line_ids``), as reading it back would give it."""
    places = books.places
    lines = tuple(
        Line(
            line_id,
            no,
            books.accounts[ln.account].id,
            ln.account,
            ln.commodity,
            shown(ln.amount, places(ln.commodity)),
            shown(ln.weighed[0], places(ln.weighed[1])),
            ln.weighed[1],
            ln.partner,
            ln.due_date,
            ln.description,
            ln.cost_center,
            ln.tax_code,
            None if ln.tax_base is None else shown(ln.tax_base, places(ln.commodity)),
        )
        for no, (ln, line_id) in enumerate(zip(draft.lines, stored.line_ids, strict=True), 1)
    )
    state = EntryState.posted if posted else EntryState.draft
    return Entry(
        stored.entry_id,
        books.company.id,
        draft.journal,
        stored.number,
        draft.date,
        state,
        draft.narration[:500],
        draft.partner,
        draft.reference,
        None,
        None,
        created_by,
        1,
        lines,
    )


def post_existing(
    conn: sa.Connection, books: Books, entry_id: int, version: int, draft: EntryDraft, at: datetime
) -> str:
    """Post the stored draft *entry_id* (already checked by :func:`resolved`) in place:
    it keeps its id and gets its number now."""
    if draft.journal not in books.journals:
        raise BadLedgerInput(
            f"there is no journal {draft.journal!r}", code="ledger.journal_not_found"
        )
    check_postable(books.period_for(draft.date), books.company.lock_date, draft.date)
    (number,) = _numbers(conn, books, [draft], [books.journals[draft.journal]])
    assert number is not None
    if postings.mark_posted(conn, entry_id, number, at, version) != 1:
        raise Conflict(
            f"entry {entry_id} was changed by someone else; reload it", code="db.stale_version"
        )
    postings.add_to_balances(
        conn, books.company.id, line_columns(books, [draft], [entry_id], {}, posted=True)
    )
    return number


def line_columns(
    books: Books,
    drafts: Sequence[EntryDraft],
    entry_ids: Sequence[int],
    partner_ids: Mapping[str, int],
    *,
    posted: bool,
) -> dict[str, list[Any]]:
    """The lines of *drafts* as columns of the lines table, one list per column (an
    import stores millions of lines: a dict per line would cost more than its insert)."""
    lines = [line for draft in drafts for line in draft.lines]
    count = len(lines)
    accounts = books.accounts
    return {
        "entry_id": [i for draft, i in zip(drafts, entry_ids, strict=True) for _ in draft.lines],
        "company_id": [books.company.id] * count,
        "line_no": [no for draft in drafts for no in range(1, len(draft.lines) + 1)],
        "account_id": [accounts[line.account].id for line in lines],
        "date": [draft.date for draft in drafts for _ in draft.lines],
        "commodity": [line.commodity for line in lines],
        "amount": [line.amount for line in lines],
        "weight_currency": [line.weight_currency for line in lines],
        "weight": [line.weight for line in lines],
        "posted": [posted] * count,
        "partner_id": [partner_ids.get(line.partner) if line.partner else None for line in lines],
        "due_date": [line.due_date for line in lines],
        "description": [line.description for line in lines],
        "cost_center": [line.cost_center for line in lines],
        "tax_code": [line.tax_code for line in lines],
        "tax_base": [line.tax_base for line in lines],
    }


def _numbers(
    conn: sa.Connection, books: Books, drafts: Sequence[EntryDraft], journal_ids: Sequence[int]
) -> list[str | None]:
    """Gapless numbers per journal and fiscal year, in the order of *drafts*."""
    wanted: dict[tuple[int, int], list[int]] = {}
    for index, (draft, journal_id) in enumerate(zip(drafts, journal_ids, strict=True)):
        period = books.period_for(draft.date)
        wanted.setdefault((journal_id, period.fiscal_year_id), []).append(index)
    years = books.fiscal_years
    if any(fy_id not in years for _, fy_id in wanted):  # a year opened since loading
        years = {fy.id: fy for fy in books_repo.fiscal_year_rows(conn, books.company.id)}
    codes = {v: k for k, v in books.journals.items()}
    numbers: list[str | None] = [None] * len(drafts)
    for (journal_id, fy_id), indexes in sorted(wanted.items()):
        first = postings.take_numbers(conn, books.company.id, journal_id, fy_id, len(indexes))
        fy = years[fy_id]
        label = fiscal_year_name(fy.start, fy.end)
        for offset, index in enumerate(sorted(indexes, key=lambda i: (drafts[i].date, i))):
            numbers[index] = f"{codes[journal_id]}/{label}/{first + offset:06d}"
    return numbers
