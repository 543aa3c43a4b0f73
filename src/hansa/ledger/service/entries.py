"""Journal entries: record (draft or posted), post a draft, reverse, read."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.ledger.domain.entries import (
    Entry,
    EntryDraft,
    EntryState,
    LineDraft,
    reversed_lines,
)
from hansa.ledger.errors import (
    AlreadyReversed,
    BadLedgerInput,
    EntryNotFound,
    MissingRate,
    PostedEntryImmutable,
)
from hansa.ledger.repository import fx as fx_repo
from hansa.ledger.repository import postings
from hansa.ledger.service.books import Books, load_books
from hansa.ledger.service.posting import post_existing, resolved, store, stored_entry

READ, WRITE, POST = "ledger.entry.read", "ledger.entry.write", "ledger.entry.post"


def _resolve(conn: sa.Connection, books: Books, draft: EntryDraft) -> EntryDraft:
    foreign = {
        ln.commodity
        for ln in draft.lines
        if ln.weight is None and ln.commodity != books.company.base_currency
    }
    rates = fx_repo.rates_on(conn, books.company.id, foreign, draft.date) if foreign else {}
    # A foreign currency must weigh its company-currency value: without a rate (or an
    # explicit weight) the entry is refused rather than balanced in the wrong currency.
    for code in sorted(foreign - set(rates)):
        if code and books.commodity(code).kind == "currency":
            raise MissingRate(
                f"no {code} rate on or before {draft.date}: set one with 'hansa fx set "
                f"{code} RATE --date {draft.date}' or give the line an explicit weight",
                details={"currency": code, "date": str(draft.date)},
            )
    return resolved(books, draft, rates)


def _load(conn: sa.Connection, books: Books, entry_id: int) -> Entry:
    entry = postings.get_entry(conn, books.company.id, entry_id, books.places)
    if entry is None:
        raise EntryNotFound(f"there is no entry {entry_id}")
    return entry


def _audit_after(entry_id: int, number: str | None, draft: EntryDraft) -> dict[str, object]:
    return {
        "id": entry_id,
        "number": number,
        "journal": draft.journal,
        "date": draft.date,
        "narration": draft.narration,
        "lines": [
            [ln.account, ln.commodity, str(ln.amount), str(ln.weight), ln.weight_currency]
            for ln in draft.lines
        ],
    }


def store_entry(
    uow: UnitOfWork,
    actor: Actor,
    books: Books,
    draft: EntryDraft,
    *,
    post: bool = True,
    reason: str | None = None,
) -> Entry:
    """Store *draft* inside the caller's open transaction by the rules every posting
    follows (checked lines, the day's fx rate for foreign lines, gapless number), with
    its audit record and event. Other use cases (write-offs, bank payments) call this
    instead of writing lines themselves."""
    ready = _resolve(uow.conn, books, draft)
    (stored,) = store(
        uow.conn,
        books,
        [ready],
        post=post,
        created_by=actor.username,
        at=clock.now(),
        line_ids=True,
    )
    entry = stored_entry(books, stored, ready, posted=post, created_by=actor.username)
    after = _audit_after(stored.entry_id, stored.number, ready)
    if reason:
        after["reason"] = reason
    audit.record(
        uow,
        actor,
        "ledger.entry.post" if post else "ledger.entry.draft",
        "entry",
        stored.entry_id,
        after=after,
    )
    if post:
        publish(
            uow,
            DomainEvent(
                "ledger.entry_posted",
                {
                    "company": books.company.code,
                    "entry_id": stored.entry_id,
                    "number": stored.number,
                },
            ),
        )
    return entry


def post_within(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    draft: EntryDraft,
    *,
    reason: str | None = None,
) -> Entry:
    """Post *draft* inside the caller's open unit of work, for other domains whose
    use case must move the books atomically with their own rows (a done stock move,
    a posted invoice). The caller owns the transaction and commits it, and has
    checked its own permission: the entry follows from that use case (a warehouse
    clerk's receipt values stock without the clerk holding ``ledger.entry.post``)."""
    books = load_books(uow.conn, company)
    return store_entry(uow, actor, books, draft, reason=reason)


@use_case
def record_entry(
    uow: UnitOfWork, actor: Actor, company: str | None, draft: EntryDraft, *, post: bool = True
) -> Entry:
    """Store an entry, posted (the default) or as a draft. A foreign-currency line
    without an explicit weight weighs its company-currency equivalent at the day's
    rate (see ``hansa fx``); without a rate it is refused."""
    actor.require(POST if post else WRITE)
    with uow:
        books = load_books(uow.conn, company)
        stored = store_entry(uow, actor, books, draft, post=post)
        uow.commit()
    return stored


@use_case
def post_draft(uow: UnitOfWork, actor: Actor, company: str | None, entry_id: int) -> Entry:
    """Post a draft: it gets the next number of its journal and year, and can no longer
    change."""
    actor.require(POST)
    with uow:
        books = load_books(uow.conn, company)
        entry = _load(uow.conn, books, entry_id)
        if entry.state is not EntryState.draft:
            raise PostedEntryImmutable(f"entry {entry.number} is already posted")
        ready = resolved(books, _draft_of(entry), None)
        number = post_existing(uow.conn, books, entry_id, entry.version, ready, clock.now())
        audit.record(
            uow,
            actor,
            "ledger.entry.post",
            "entry",
            entry_id,
            before={"state": "draft"},
            after=_audit_after(entry_id, number, ready),
        )
        publish(
            uow,
            DomainEvent(
                "ledger.entry_posted",
                {"company": books.company.code, "entry_id": entry_id, "number": number},
            ),
        )
        posted = _load(uow.conn, books, entry_id)
        uow.commit()
    return posted


def _draft_of(entry: Entry) -> EntryDraft:
    return EntryDraft(
        entry.journal,
        entry.date,
        tuple(
            LineDraft(
                ln.account_code,
                ln.commodity,
                ln.amount,
                ln.weight,
                ln.weight_currency,
                ln.partner,
                ln.due_date,
                ln.description,
                ln.cost_center,
                ln.tax_code,
                ln.tax_base,
            )
            for ln in entry.lines
        ),
        entry.narration,
        entry.partner,
        entry.reference,
    )


def reverse_in(
    uow: UnitOfWork, actor: Actor, books: Books, entry_id: int, on: date | None = None
) -> Entry:
    """Reverse a posted entry inside the caller's open unit of work (see
    :func:`reverse_entry`); the caller has checked its permission and commits."""
    entry = _load(uow.conn, books, entry_id)
    if entry.state is not EntryState.posted:
        raise BadLedgerInput(
            f"entry {entry_id} is a draft: delete it instead", code="ledger.reverse_draft"
        )
    if entry.reversed_by is not None:
        raise AlreadyReversed(
            f"entry {entry.number} was already reversed by entry {entry.reversed_by}"
        )
    if entry.reversal_of is not None:
        raise AlreadyReversed(
            f"entry {entry.number} is itself a reversal; post the original again instead",
            code="ledger.reverse_reversal",
        )
    original = _draft_of(entry)
    draft = EntryDraft(
        original.journal,
        on or clock.today(),
        reversed_lines(original.lines),
        f"Reversal of {entry.number}: {entry.narration}"[:500],
        original.partner,
        entry.number,
    )
    (stored,) = store(
        uow.conn,
        books,
        [resolved(books, draft, None)],
        post=True,
        created_by=actor.username,
        at=clock.now(),
        reversal_of=[entry.id],
    )
    postings.link_reversal(uow.conn, entry.id, stored.entry_id)
    audit.record(
        uow,
        actor,
        "ledger.entry.reverse",
        "entry",
        entry.id,
        after={"reversed_by": stored.entry_id, "number": stored.number, "date": draft.date},
    )
    publish(
        uow,
        DomainEvent(
            "ledger.entry_reversed",
            {
                "company": books.company.code,
                "entry_id": entry.id,
                "reversed_by": stored.entry_id,
            },
        ),
    )
    return _load(uow.conn, books, stored.entry_id)


@use_case
def reverse_entry(
    uow: UnitOfWork, actor: Actor, company: str | None, entry_id: int, on: date | None = None
) -> Entry:
    """Post the negated entry on *on* (default today), linked both ways. The original
    stays as it was; a closed period refuses the reversal's date like any posting."""
    actor.require(POST)
    with uow:
        result = reverse_in(uow, actor, load_books(uow.conn, company), entry_id, on)
        uow.commit()
    return result


@use_case
def delete_draft(uow: UnitOfWork, actor: Actor, company: str | None, entry_id: int) -> None:
    actor.require(WRITE)
    with uow:
        books = load_books(uow.conn, company)
        entry = _load(uow.conn, books, entry_id)
        if entry.state is not EntryState.draft:
            raise PostedEntryImmutable(
                f"entry {entry.number} is posted and cannot be deleted: reverse it"
            )
        postings.delete_draft(uow.conn, entry_id)
        audit.record(
            uow,
            actor,
            "ledger.entry.delete_draft",
            "entry",
            entry_id,
            before={"narration": entry.narration, "date": entry.date},
        )
        uow.commit()


def get_entry(uow: UnitOfWork, actor: Actor, company: str | None, entry_id: int) -> Entry:
    actor.require(READ)
    with uow:
        return _load(uow.conn, load_books(uow.conn, company), entry_id)


def list_entries(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    journal: str | None = None,
    start: date | None = None,
    end: date | None = None,
    state: str | None = None,
    limit: int = 100,
) -> list[Entry]:
    actor.require(READ)
    if not 1 <= limit <= 100_000:
        raise BadLedgerInput("--limit must be between 1 and 100000", code="ledger.bad_limit")
    with uow:
        company_id = load_books(uow.conn, company).company.id
        return postings.list_entries(
            uow.conn, company_id, journal=journal, start=start, end=end, state=state, limit=limit
        )
