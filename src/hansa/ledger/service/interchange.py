"""Import and export of accounts and journals in the interchange format.

An import is one transaction: by default all-or-nothing (any rejected row and nothing
is stored; every rejected row is named in the :class:`ImportRejected` error), with
``partial=True`` the valid entries are posted and the rejected ones listed. Journal
files are streamed: entries are parsed and checked a batch at a time, and each batch
is stored with one bulk :func:`~hansa.ledger.service.posting.store` call.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import HansaError
from hansa.kernel.events import DomainEvent
from hansa.ledger.domain.commodities import MAX_DECIMALS, Commodity, iso_currency, shown
from hansa.ledger.domain.entries import EntryDraft, LineDraft
from hansa.ledger.domain.interchange import (
    ImportSummary,
    ParsedEntry,
    Record,
    Rejection,
    decimals_seen,
    entry_draft,
    group_entries,
    plan_accounts,
)
from hansa.ledger.domain.periods import Period, check_postable
from hansa.ledger.errors import BadLedgerInput, ImportRejected, JournalNotFound, NoPeriod
from hansa.ledger.repository import books as repo
from hansa.ledger.repository import interchange as interchange_repo
from hansa.ledger.service.books import Books, load_books
from hansa.ledger.service.books import company as find_company
from hansa.ledger.service.periods import open_year_in
from hansa.ledger.service.posting import resolved, store

BATCH = 2_000  # entries checked and stored together
_LINE = re.compile(r"line (\d+): ")
Progress = Callable[[int], None]  # called with the number of rows read so far


def _replayable(rows: Iterable[Record]) -> Iterable[Record]:
    """*rows*, refused if they can be read only once: a retried transaction reads them
    again (pass a list, or an object whose ``__iter__`` reopens the file)."""
    if iter(rows) is rows:
        raise TypeError("import rows must be re-iterable, not a one-shot iterator")
    return rows


def _refuse_unless_stored(summary: ImportSummary, *, partial: bool, stored: bool) -> None:
    if not summary.rejected or (partial and stored):
        return
    count = len(summary.rejected)
    first = "; ".join(f"line {r.line}: {r.reason}" for r in summary.rejected[:3])
    more = f" (and {count - 3} more)" if count > 3 else ""
    raise ImportRejected(
        f"{count} row{'s' if count != 1 else ''} rejected, nothing was stored: {first}{more}",
        details={"rejected": [{"line": r.line, "reason": r.reason} for r in summary.rejected]},
    )


@use_case
def import_accounts(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    rows: Iterable[Record],
    *,
    partial: bool = False,
    source: Mapping[str, str] | None = None,
) -> ImportSummary:
    """Create the accounts of an accounts file (rows in any order; parents resolved
    across the file and the books). An account that exists already with the same type
    and currency is left as it is; with another type or currency it is rejected."""
    actor.require("ledger.account.write")
    records = _replayable(rows)
    with uow:
        found = find_company(uow.conn, company)
        existing = repo.find_accounts(uow.conn, found.id)
        commodities = repo.all_commodities(uow.conn)
        plan = plan_accounts(
            records, existing, lambda code: code in commodities or bool(iso_currency(code))
        )
        summary = ImportSummary(
            "accounts",
            accounts_created=len(plan.create),
            accounts_existing=plan.kept,
            rejected=plan.rejected,
        )
        _refuse_unless_stored(summary, partial=partial, stored=bool(plan.create))
        ids = {code: account.id for code, account in existing.items()}
        for row in plan.create:
            ids[row.code] = repo.insert_account(
                uow.conn,
                {
                    "company_id": found.id,
                    "code": row.code,
                    "name": row.name,
                    "type": row.type.value,
                    "parent_id": ids[row.parent] if row.parent else None,
                    "currency": row.currency,
                },
            )
        audit.record(
            uow,
            actor,
            "ledger.import.accounts",
            "company",
            found.code,
            after={**(source or {}), **_counts(summary)},
        )
        uow.commit()
    return summary


def _counts(summary: ImportSummary) -> dict[str, object]:
    return {
        "entries": summary.entries,
        "lines": summary.lines,
        "accounts_created": summary.accounts_created,
        "rejected": len(summary.rejected),
        "commodities_declared": [c.code for c in summary.commodities_declared],
        "fiscal_years_opened": list(summary.fiscal_years_opened),
    }


class _JournalImport:
    """The state of one journal import: the books as they grow (periods, provisional
    commodities), what was stored and what was rejected."""

    def __init__(
        self, conn: sa.Connection, books: Books, journal: str, created_by: str, partial: bool
    ) -> None:
        if journal not in books.journals:
            raise JournalNotFound(
                f"there is no journal {journal!r} (journals: {', '.join(sorted(books.journals))})"
            )
        self.conn, self.books, self.journal, self.partial = conn, books, journal, partial
        self.created_by, self.at = created_by, clock.now()
        self.rows_read = self.entries = self.lines = self.entries_rejected = 0
        self.rejected: list[Rejection] = []
        self.years: list[str] = []
        self.declared: dict[str, int] = {}  # new commodity -> most decimals posted

    def add(self, batch: Iterable[ParsedEntry]) -> int:
        """Check a batch of entries and store the valid ones in one bulk insert (unless
        an all-or-nothing import has already rejected something); returns the number
        of entries read. (*batch* is read as it goes: the parsed entries are dropped
        once checked, which spares the garbage collector millions of objects.)"""
        ready: list[EntryDraft] = []
        accepted: list[LineDraft] = []
        read = 0
        for parsed in batch:
            read += 1
            self.rows_read += parsed.size
            draft = entry_draft(parsed, self.journal)
            if isinstance(draft, list):
                self._reject(draft)
                continue
            self._provide_commodities(parsed.lines)
            try:
                period = self._period(draft.date)
                check_postable(period, self.books.company.lock_date, draft.date)
                ready.append(resolved(self.books, draft, None))
            except HansaError as exc:
                self._reject([_rejection(parsed, exc)])
                continue
            accepted.extend(parsed.lines)
        if not ready or (self.rejected and not self.partial):
            return read
        store(self.conn, self.books, ready, post=True, created_by=self.created_by, at=self.at)
        self.entries += len(ready)
        self.lines += len(accepted)
        if self.declared:
            for code, places in decimals_seen(accepted, self.declared).items():
                self.declared[code] = max(self.declared[code], places)
        return read

    def _reject(self, rejections: list[Rejection]) -> None:
        self.entries_rejected += 1
        self.rejected.extend(rejections)

    def _provide_commodities(self, lines: Iterable[LineDraft]) -> None:
        """Let unknown non-ISO commodities through for now: they are declared at the end
        with the most decimals the posted lines use. (ISO currencies go into the books'
        table too, which spares a lookup per line.)"""
        commodities = self.books.commodities
        for line in lines:
            for code in (line.commodity, line.weight_currency or line.commodity):
                if code not in commodities:
                    iso = iso_currency(code)
                    if iso is None:
                        iso = Commodity(code, code, MAX_DECIMALS, "commodity")
                        self.declared[code] = -1
                    commodities[code] = iso

    def _period(self, day: date) -> Period:
        """The period of *day*, opening its fiscal year if there is none."""
        try:
            return self.books.period_for(day)
        except NoPeriod:
            year = open_year_in(self.conn, self.books.company, day)
            if year is None:
                raise
            self.years.append(year.name)
            periods = repo.all_periods(self.conn, self.books.company.id)
            self.books = replace(self.books, periods=periods)
            return self.books.period_for(day)

    def finish(self) -> ImportSummary:
        """Declare the new commodities and sum up."""
        declared = tuple(
            Commodity(code, code, places, "commodity")
            for code, places in sorted(self.declared.items())
            if places >= 0
        )
        if self.entries and not (self.rejected and not self.partial):
            for commodity in declared:
                repo.insert_commodity(self.conn, commodity)
        return ImportSummary(
            "journal",
            entries=self.entries,
            lines=self.lines,
            entries_rejected=self.entries_rejected,
            commodities_declared=declared,
            fiscal_years_opened=tuple(self.years),
            rejected=tuple(sorted(self.rejected)),
        )


def _rejection(parsed: ParsedEntry, exc: HansaError) -> Rejection:
    """Where in the file a posting rule refused *parsed*: the line the error names
    (``details["line"]`` or a leading "line N: ", counting the entry's lines from 1),
    else the entry's first."""
    number = exc.details.get("line")
    if number is None and (named := _LINE.match(exc.message)):
        number = int(named.group(1))
    line = parsed.line
    reason = exc.message
    if isinstance(number, int) and 0 < number <= len(parsed.lines):
        line = parsed.line_numbers[number - 1]
        reason = reason.removeprefix(f"line {number}: ")
    return Rejection(line, f"entry {parsed.key}: {reason}")


@use_case
def import_journal(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    rows: Iterable[Record],
    *,
    partial: bool = False,
    journal: str = "GEN",
    progress: Progress | None = None,
    source: Mapping[str, str] | None = None,
) -> ImportSummary:
    """Post the entries of a journal file into *journal*. Unknown non-ISO commodities
    are declared (with the most decimals their posted amounts use, at most 6) and
    missing fiscal years opened; both are listed in the summary. *source* (file name,
    sha256) goes into the one audit record of the import."""
    actor.require("ledger.entry.post")
    records = _replayable(rows)
    with uow:
        run = _JournalImport(
            uow.conn, load_books(uow.conn, company), journal, actor.username, partial
        )
        entries = group_entries(records)
        while run.add(itertools.islice(entries, BATCH)):
            if progress is not None:
                progress(run.rows_read)
        summary = run.finish()
        _refuse_unless_stored(summary, partial=partial, stored=summary.entries > 0)
        company_code = run.books.company.code
        audit.record(
            uow,
            actor,
            "ledger.import.journal",
            "company",
            company_code,
            after={**(source or {}), "journal": journal, "partial": partial, **_counts(summary)},
        )
        publish(
            uow,
            DomainEvent(
                "ledger.journal_imported",
                {"company": company_code, "entries": summary.entries, "lines": summary.lines},
            ),
        )
        uow.commit()
    return summary


def export_journal(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    start: date | None = None,
    end: date | None = None,
) -> Iterator[dict[str, str]]:
    """The posted lines between *start* and *end* (inclusive, either open) as rows of
    the journal interchange format, streamed. The ``entry`` column is the entry's
    number; weights equal to the line's own amount and commodity are left blank."""
    actor.require("ledger.entry.read")
    if start and end and start > end:
        raise BadLedgerInput(f"--from {start} is after --to {end}", code="ledger.bad_period")
    return _exported(uow, company, start, end)


def _exported(
    uow: UnitOfWork, company: str | None, start: date | None, end: date | None
) -> Iterator[dict[str, str]]:
    with uow:
        found = find_company(uow.conn, company)
        places = repo.decimals(uow.conn)
        for r in interchange_repo.posted_lines(uow.conn, found.id, start, end):
            own = r.weight == r.amount and r.weight_currency == r.commodity
            yield {
                "date": r.date.isoformat(),
                "entry": r.number,
                "account": r.account,
                "commodity": r.commodity,
                "amount": str(shown(r.amount, places(r.commodity))),
                "weight_amount": "" if own else str(shown(r.weight, places(r.weight_currency))),
                "weight_currency": "" if own else r.weight_currency,
                "narration": r.narration,
                "payee": r.payee or "",
            }


def export_accounts(uow: UnitOfWork, actor: Actor, company: str | None) -> list[dict[str, Any]]:
    """The chart of accounts as rows of the accounts interchange format."""
    actor.require("ledger.account.read")
    with uow:
        accounts = repo.find_accounts(uow.conn, find_company(uow.conn, company).id)
    codes = {a.id: a.code for a in accounts.values()}
    return [
        {
            "code": a.code,
            "name": a.name,
            "type": a.type.value,
            "parent": codes.get(a.parent_id, "") if a.parent_id else "",
            "currency": a.currency or "",
        }
        for a in accounts.values()
    ]
