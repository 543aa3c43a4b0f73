"""Receivables and payables: open items, reconciliation, aging, the partner ledger.

Posted lines never change; what is matched of a line is recorded in reconciliations
beside it (see :mod:`hansa.ledger.domain.matching`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.ledger.domain.accounts import EXCHANGE_DIFFERENCES_CODE, Account, AccountType
from hansa.ledger.domain.entries import EntryDraft, LineDraft
from hansa.ledger.domain.matching import (
    AgingReport,
    OpenItem,
    PartnerLedger,
    Reconciliation,
    aging_rows,
    aging_totals,
    check_matchable,
    exchange_difference,
    part_weights,
    plan_match,
    running_ledger,
    write_off_amount,
)
from hansa.ledger.errors import (
    AccountNotFound,
    BadLedgerInput,
    EntryNotFound,
    MatchRefused,
    PartnerNotFound,
    ReconciliationNotFound,
)
from hansa.ledger.repository import matching as repo
from hansa.ledger.service.books import Books, load_books
from hansa.ledger.service.entries import reverse_in, store_entry
from hansa.ledger.service.revaluation import check_gain_loss_account

READ = "ledger.entry.read"
RECONCILE = "ledger.reconciliation.write"
REPORTS = "reports.financial.read"
WRITE_OFF_JOURNAL = "GEN"  # write-offs and realised exchange differences


def account_of(books: Books, code: str, *, reconcilable: bool = True) -> Account:
    """The account *code* of the books; with *reconcilable*, refused unless it is."""
    account = books.accounts.get(code)
    if account is None:
        raise AccountNotFound(f"there is no account {code!r}")
    if reconcilable and not account.reconcilable:
        raise MatchRefused(
            f"account {code} is not reconcilable: make it so with "
            f"'hansa ledger account update {code} --reconcilable'",
            code="ledger.not_reconcilable",
        )
    return account


def _partner_id(conn: sa.Connection, company_id: int, name: str) -> int:
    found = repo.partner_id(conn, company_id, name)
    if found is None:
        raise PartnerNotFound(f"there is no partner {name!r}")
    return found


def open_items(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    account: str | None = None,
    partner: str | None = None,
    as_of: date | None = None,
) -> list[OpenItem]:
    """Lines of reconcilable accounts not yet fully reconciled on *as_of* (default:
    now), oldest first; optionally of one account and one partner."""
    actor.require(READ)
    with uow:
        books = load_books(uow.conn, company)
        ids = [account_of(books, account).id] if account else None
        pid = _partner_id(uow.conn, books.company.id, partner) if partner else None
        return repo.items(uow.conn, books.company.id, account_ids=ids, partner_id=pid, as_of=as_of)


def post_in(
    uow: UnitOfWork, actor: Actor, books: Books, draft: EntryDraft, reason: str
) -> tuple[int, list[int]]:
    """Post *draft* in the caller's transaction, by the same rules as every posting;
    returns the entry id and its line ids."""
    entry = store_entry(uow, actor, books, draft, reason=reason)
    return entry.id, [line.id for line in entry.lines]


def _lines(conn: sa.Connection, books: Books, line_ids: Sequence[int]) -> list[OpenItem]:
    found = repo.items(
        conn, books.company.id, line_ids=line_ids, reconcilable=False, open_only=False
    )
    missing = sorted(set(line_ids) - {i.line_id for i in found})
    if missing:
        raise EntryNotFound(f"there is no posted line {missing[0]}", code="ledger.line_not_found")
    return found


def _write_off(
    uow: UnitOfWork,
    actor: Actor,
    books: Books,
    items: Sequence[OpenItem],
    account: str,
    day: date | None,
) -> tuple[int | None, list[OpenItem]]:
    """Post the difference of *items* to *account*; returns the entry and the line it
    put on the items' account (nothing when they already net to zero)."""
    amount = write_off_amount(items)
    if amount == 0:
        return None, []
    first = items[0]
    target = account_of(books, account, reconcilable=False)
    if target.code == first.account:
        raise MatchRefused(
            f"write the difference off to another account than {first.account}",
            code="ledger.write_off_same_account",
        )
    label = f"Write-off {first.partner or first.account}"
    draft = EntryDraft(
        WRITE_OFF_JOURNAL,
        day or clock.today(),
        (
            LineDraft(first.account, first.commodity, amount, partner=first.partner),
            LineDraft(target.code, first.commodity, -amount, description=label),
        ),
        f"{label}: difference of lines {', '.join(str(i.line_id) for i in items)}",
        first.partner,
    )
    entry_id, line_ids = post_in(uow, actor, books, draft, "write-off")
    return entry_id, _lines(uow.conn, books, line_ids[:1])


def _exchange(
    uow: UnitOfWork,
    actor: Actor,
    books: Books,
    first: OpenItem,
    difference: Decimal,
    account: str,
    day: date,
) -> tuple[int, int]:
    """Post the realised exchange *difference* of a group on *first*'s account: a line
    of zero in the group's currency weighing *difference* in the company currency (the
    account keeps its foreign balance, its company-currency value moves) against
    *account*. Returns the entry and that line."""
    check_gain_loss_account(books, account)
    base = books.company.base_currency
    kind = "gain" if difference > 0 else "loss"
    label = f"Realised exchange {kind} {first.partner or first.account}"
    draft = EntryDraft(
        WRITE_OFF_JOURNAL,
        day,
        (
            LineDraft(
                first.account,
                first.commodity,
                Decimal(0),
                difference,
                base,
                partner=first.partner,
                description=label,
            ),
            LineDraft(account, base, -difference, description=label),
        ),
        label,
        first.partner,
        reference="exchange difference",
    )
    entry_id, line_ids = post_in(uow, actor, books, draft, "exchange difference")
    return entry_id, line_ids[0]


def reconcile_in(
    uow: UnitOfWork,
    actor: Actor,
    books: Books,
    line_ids: Sequence[int],
    write_off_account: str | None = None,
    write_off_date: date | None = None,
    exchange_account: str = EXCHANGE_DIFFERENCES_CODE,
) -> Reconciliation:
    """Reconcile *line_ids* in the caller's transaction (see :func:`reconcile`)."""
    repo.lock_lines(uow.conn, line_ids)
    items = _lines(uow.conn, books, line_ids)
    check_matchable(items)
    account = account_of(books, items[0].account)
    entry_id = None
    if write_off_account:
        entry_id, extra = _write_off(uow, actor, books, items, write_off_account, write_off_date)
        items += extra
    match = plan_match(items)
    first = items[0]
    day = max(i.date for i in items)
    base = books.company.base_currency
    weights = part_weights(items, match.parts, base, books.commodity(base).decimals)
    difference = exchange_difference(weights)
    parts, exchange_id = match.parts, None
    if difference:
        exchange_id, line_id = _exchange(
            uow, actor, books, first, difference, exchange_account, day
        )
        parts += ((line_id, Decimal(0)),)
        weights[line_id] = difference
    values = {
        "company_id": books.company.id,
        "account_id": account.id,
        "partner_id": repo.partner_id(uow.conn, books.company.id, first.partner)
        if first.partner
        else None,
        "commodity": first.commodity,
        "date": day,
        "created_at": clock.now(),
        "created_by": actor.username,
        "write_off_entry_id": entry_id,
        "exchange_entry_id": exchange_id,
    }
    rec_id = repo.insert_reconciliation(uow.conn, values, parts, weights)
    result = Reconciliation(
        rec_id,
        account.code,
        first.partner,
        first.commodity,
        day,
        actor.username,
        entry_id,
        match.parts,
        match.left_open,
        exchange_id,
        difference if exchange_id else None,
    )
    audit.record(uow, actor, "ledger.reconcile", "reconciliation", rec_id, after=_audit(result))
    return result


def _audit(rec: Reconciliation) -> dict[str, object]:
    return {
        "account": rec.account,
        "partner": rec.partner,
        "commodity": rec.commodity,
        "parts": [[line_id, str(amount)] for line_id, amount in rec.parts],
        "left_open": None if rec.left_open is None else str(rec.left_open),
        "write_off_entry": rec.write_off_entry_id,
        "exchange_entry": rec.exchange_entry_id,
        "exchange_difference": None
        if rec.exchange_difference is None
        else str(rec.exchange_difference),
    }


@use_case
def reconcile(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    line_ids: Sequence[int],
    write_off_account: str | None = None,
    write_off_date: date | None = None,
    exchange_account: str = EXCHANGE_DIFFERENCES_CODE,
) -> Reconciliation:
    """Match posted lines of one reconcilable account, partner and commodity.

    When debits and credits are equal the reconciliation is full. Otherwise the
    smaller side is matched in full and the larger side keeps the difference open
    (partial), unless *write_off_account* is given: then an entry dated
    *write_off_date* (default today) posts the difference from the account to it, and
    everything nets to zero. An invoice of 119.00 and a payment of 118.99 reconcile
    with a write-off of 0.01 to bank charges, for example.

    In a foreign currency the matched amounts net to zero but their company-currency
    values need not: an invoice of 1,000 USD booked at 0.90 (900.00 EUR) paid by
    1,000 USD at 0.95 (950.00 EUR) leaves 50.00 EUR. That realised exchange
    difference is posted in the same transaction (journal GEN, dated the group's
    latest line) from the account to *exchange_account* (default: the chart's
    exchange differences account, as for revaluation), and its line joins the
    group, so the group nets to zero in the company currency too. A partial match
    realises the difference of the part matched, the line's weight taken in
    proportion (rounded to the company currency, ROUND_HALF_UP)."""
    actor.require(RECONCILE)
    with uow:
        books = load_books(uow.conn, company)
        result = reconcile_in(
            uow, actor, books, line_ids, write_off_account, write_off_date, exchange_account
        )
        uow.commit()
    return result


def unreconcile_in(
    uow: UnitOfWork, actor: Actor, books: Books, reconciliation_id: int
) -> Reconciliation:
    """Undo a reconciliation in the caller's transaction (see :func:`unreconcile`)."""
    found = repo.get_reconciliation(uow.conn, books.company.id, reconciliation_id)
    if found is None:
        raise ReconciliationNotFound(f"there is no reconciliation {reconciliation_id}")
    repo.lock_lines(uow.conn, [line_id for line_id, _ in found.parts])
    repo.delete_reconciliation(uow.conn, found.id)
    if found.exchange_entry_id is not None:
        reverse_in(uow, actor, books, found.exchange_entry_id, found.date)
    audit.record(uow, actor, "ledger.unreconcile", "reconciliation", found.id, before=_audit(found))
    return found


@use_case
def unreconcile(
    uow: UnitOfWork, actor: Actor, company: str | None, reconciliation_id: int
) -> Reconciliation:
    """Undo a reconciliation: its lines are open again by what it matched. A realised
    exchange difference it posted is reversed on the reconciliation's date. A
    write-off entry it posted stays posted (posted entries never change): its line
    becomes an open item like the others; reverse it with 'hansa ledger entry reverse'
    if the write-off itself was wrong. A bank statement line that made it stays
    matched ('hansa ledger bank unmatch' undoes the match too)."""
    actor.require(RECONCILE)
    with uow:
        found = unreconcile_in(uow, actor, load_books(uow.conn, company), reconciliation_id)
        uow.commit()
    return found


def aging(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    kind: str = "receivable",
    account: str | None = None,
    as_of: date | None = None,
) -> AgingReport:
    """Open items per partner in the buckets current, 1-30, 31-60, 61-90 and over 90
    days past due (past the entry date when a line has no due date) on *as_of*
    (default today). *kind* receivable covers the reconcilable asset accounts, payable
    the reconcilable liability accounts, lines with a partner only; *account* names
    one account instead (all its open lines)."""
    actor.require(REPORTS)
    if kind not in ("receivable", "payable"):
        raise BadLedgerInput(
            f"aging is of 'receivable' or 'payable', not {kind!r}", code="ledger.bad_aging_kind"
        )
    day = as_of or clock.today()
    with uow:
        books = load_books(uow.conn, company)
        if account:
            chosen = [account_of(books, account)]
        else:
            wanted = AccountType.asset if kind == "receivable" else AccountType.liability
            chosen = [a for a in books.accounts.values() if a.reconcilable and a.type is wanted]
        items = (
            repo.items(
                uow.conn,
                books.company.id,
                account_ids=[a.id for a in chosen],
                partnered=account is None,
                as_of=day,
            )
            if chosen
            else []
        )
    credit_side = all(a.type is AccountType.liability for a in chosen) and bool(chosen)
    rows = aging_rows(items, day, sign=-1 if credit_side else 1)
    return AgingReport(day, tuple(a.code for a in chosen), tuple(rows), tuple(aging_totals(rows)))


def partner_ledger(
    uow: UnitOfWork, actor: Actor, company: str | None, partner: str, start: date, end: date
) -> PartnerLedger:
    """The partner's lines on reconcilable accounts from *start* to *end* with a
    running balance per commodity from the balance before *start* (debit positive);
    each row also shows what is still open of the line at *end*."""
    actor.require(REPORTS)
    if start > end:
        raise BadLedgerInput(
            f"the period starts ({start}) after it ends ({end})", code="ledger.bad_period"
        )
    with uow:
        company_id = load_books(uow.conn, company).company.id
        pid = _partner_id(uow.conn, company_id, partner)
        opening = repo.balances_before(uow.conn, company_id, pid, start)
        found = repo.items(
            uow.conn, company_id, partner_id=pid, start=start, as_of=end, open_only=False
        )
    return running_ledger(partner, start, end, opening, found)


def partner_in_use(uow: UnitOfWork, partner: str) -> bool:
    """Whether the ledger holds entries or lines of *partner* in any company, inside the
    caller's open unit of work (another domain asks before it deletes what the partner
    stands for, e.g. a customer)."""
    return repo.partner_has_entries(uow.conn, partner)
