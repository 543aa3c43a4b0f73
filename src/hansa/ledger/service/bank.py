"""Bank statements: import a CSV export, match its lines against the books.

Matching a statement line does one of two things:

* against a line already booked on the bank account (an uncleared payment), it
  clears that line: the statement line points at it and it is no longer open;
* against an open receivable or payable item, it posts the payment in the bank
  journal on the statement date (bank account / the item's account, for the
  statement amount and the item's partner), reconciles the item with the payment's
  line (partially when the amounts differ), and clears the payment's bank line.

Exact matches (see :func:`hansa.ledger.domain.bank.exact_matches`) are made
automatically; the others are suggested, best first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.errors import Conflict
from hansa.ledger.domain.accounts import Account
from hansa.ledger.domain.bank import (
    BankMatch,
    BankMatching,
    BankStatement,
    BankStatementLine,
    BankSuggestion,
    decode,
    exact_matches,
    read_statement,
    suggestions,
)
from hansa.ledger.domain.entries import EntryDraft, LineDraft
from hansa.ledger.domain.matching import OpenItem
from hansa.ledger.errors import (
    AccountRuleViolation,
    DuplicateStatement,
    EntryNotFound,
    MatchRefused,
    StatementLineNotFound,
)
from hansa.ledger.repository import bank as repo
from hansa.ledger.repository import matching as matching_repo
from hansa.ledger.service.books import Books, load_books
from hansa.ledger.service.entries import reverse_in
from hansa.ledger.service.matching import (
    READ,
    RECONCILE,
    account_of,
    post_in,
    reconcile_in,
    unreconcile_in,
)

BANK_JOURNAL = "BNK"


def _bank(books: Books, code: str) -> tuple[Account, str]:
    account = account_of(books, code, reconcilable=False)
    if not account.active:
        raise AccountRuleViolation(f"account {code} is archived")
    return account, account.currency or books.company.base_currency


@use_case
def import_bank_statement(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    account: str,
    data: bytes,
    *,
    file_name: str,
    mapping: Mapping[str, str] | None = None,
    decimal_comma: bool = False,
    date_format: str = "%Y-%m-%d",
) -> BankStatement:
    """Store the lines of a bank statement CSV for *account*, unmatched.

    The file has a header row; its columns date, amount, description and reference
    may have other names, given by *mapping* (``{"date": "Buchungstag", "amount":
    "Betrag"}``). Amounts may use a decimal comma (``1.234,56``), dates any
    *date_format*. The same file (by its SHA-256) is never imported twice, and a file
    with any bad row is refused whole, naming every bad row."""
    actor.require(RECONCILE)
    digest = hashlib.sha256(data).hexdigest()
    with uow:
        books = load_books(uow.conn, company)
        bank, commodity = _bank(books, account)
        earlier = repo.statement_with_hash(uow.conn, books.company.id, digest)
        if earlier is not None:
            raise DuplicateStatement(
                f"this file was already imported as statement {earlier.id} "
                f"({earlier.file_name}, {earlier.imported_at:%Y-%m-%d %H:%M} UTC)",
                details={"statement": earlier.id},
            )
        rows = read_statement(
            decode(data),
            mapping,
            decimal_comma=decimal_comma,
            date_format=date_format,
            decimals=books.commodity(commodity).decimals,
        )
        statement_id = repo.insert_statement(
            uow.conn,
            {
                "company_id": books.company.id,
                "account_id": bank.id,
                "imported_at": clock.now(),
                "imported_by": actor.username,
                "file_name": file_name[:255],
                "sha256": digest,
            },
            [{**asdict(row), "status": "unmatched"} for row in rows],
        )
        audit.record(
            uow,
            actor,
            "ledger.bank.import",
            "bank_statement",
            statement_id,
            after={
                "account": bank.code,
                "file": file_name,
                "sha256": digest,
                "lines": len(rows),
                "total": str(sum(r.amount for r in rows)),
            },
        )
        lines = repo.statement_lines(uow.conn, books.company.id, statement_id=statement_id)
        uow.commit()
    return BankStatement(statement_id, bank.code, file_name, digest, tuple(lines))


def _candidates(conn: sa.Connection, books: Books, bank: Account, commodity: str) -> list[OpenItem]:
    """Uncleared lines of the bank account (but none of a reversed entry or of a
    reversal: the two cancel and no statement shows them), then open items of the other
    reconcilable accounts, in the bank's commodity."""
    company_id = books.company.id
    own = matching_repo.items(
        conn, company_id, account_ids=[bank.id], reconcilable=False, unreversed=True
    )
    others = [i for i in matching_repo.items(conn, company_id) if i.account != bank.code]
    return [i for i in own + others if i.commodity == commodity]


def _match(
    uow: UnitOfWork,
    actor: Actor,
    books: Books,
    bank: Account,
    line: BankStatementLine,
    seen: OpenItem,
) -> BankMatch:
    # Lock the item's line and read it again: another matcher may have taken it since.
    matching_repo.lock_lines(uow.conn, [seen.line_id])
    (item,) = matching_repo.items(
        uow.conn, books.company.id, line_ids=[seen.line_id], reconcilable=False, open_only=False
    )
    if item.residual == 0:
        raise MatchRefused(
            f"line {item.line_id} is already reconciled or cleared",
            code="ledger.match_already_reconciled",
        )
    if (item.residual > 0) != (line.amount > 0):
        raise MatchRefused(
            f"statement line {line.id} ({line.amount}) and line {item.line_id} (open "
            f"{item.residual}) are on opposite sides",
            code="ledger.match_opposite_sides",
        )
    entry_id = rec_id = None
    if item.account == bank.code:
        if item.residual != line.amount:
            raise MatchRefused(
                f"statement line {line.id} ({line.amount}) cannot clear line {item.line_id} "
                f"({item.residual}): the amounts differ",
                code="ledger.match_amounts_differ",
            )
        cleared = item.line_id
    else:
        draft = EntryDraft(
            BANK_JOURNAL,
            line.date,
            (
                LineDraft(bank.code, item.commodity, line.amount),
                LineDraft(item.account, item.commodity, -line.amount, partner=item.partner),
            ),
            (line.description or f"Payment of {item.entry_number or item.line_id}")[:500],
            item.partner,
            line.reference,
        )
        entry_id, line_ids = post_in(uow, actor, books, draft, f"bank statement line {line.id}")
        rec_id = reconcile_in(uow, actor, books, [item.line_id, line_ids[1]]).id
        cleared = line_ids[0]
    if repo.mark_matched(uow.conn, line.id, cleared, rec_id, entry_id) != 1:
        raise Conflict(
            f"statement line {line.id} was matched by someone else; reload",
            code="db.stale_version",
        )
    audit.record(
        uow,
        actor,
        "ledger.bank.match",
        "bank_statement_line",
        line.id,
        before={"status": line.status},
        after={"line": cleared, "item": item.line_id, "entry": entry_id, "reconciliation": rec_id},
    )
    return BankMatch(line, item, entry_id, rec_id)


@use_case
def match_bank_lines(
    uow: UnitOfWork, actor: Actor, company: str | None, account: str
) -> BankMatching:
    """Match every exact statement line of *account* (same amount and an equal
    reference, or the only candidate of that amount) and suggest items for the rest."""
    actor.require(RECONCILE)
    with uow:
        books = load_books(uow.conn, company)
        bank, commodity = _bank(books, account)
        lines = repo.statement_lines(
            uow.conn, books.company.id, account_id=bank.id, status="unmatched"
        )
        pairs = exact_matches(lines, _candidates(uow.conn, books, bank, commodity))
        matched = tuple(_match(uow, actor, books, bank, line, item) for line, item in pairs)
        done = {m.statement_line.id for m in matched}
        rest = [ln for ln in lines if ln.id not in done]
        items = _candidates(uow.conn, books, bank, commodity) if rest else []
        uow.commit()
    ranked = tuple(s for line in rest for s in suggestions(line, items))
    return BankMatching(matched, ranked, len(rest))


def _statement_line(conn: sa.Connection, company_id: int, line_id: int) -> BankStatementLine:
    found = repo.statement_lines(conn, company_id, line_id=line_id)
    if not found:
        raise StatementLineNotFound(f"there is no statement line {line_id}")
    return found[0]


@use_case
def match_bank_line(
    uow: UnitOfWork, actor: Actor, company: str | None, statement_line_id: int, line_id: int
) -> BankMatch:
    """Match one statement line to the posted line *line_id* by hand (a suggestion
    taken): clear it when it is on the bank account, else pay it (see the module)."""
    actor.require(RECONCILE)
    with uow:
        books = load_books(uow.conn, company)
        line = _statement_line(uow.conn, books.company.id, statement_line_id)
        if line.status != "unmatched":
            raise MatchRefused(
                f"statement line {line.id} is already matched", code="ledger.match_done"
            )
        account_id = repo.statement_account_id(uow.conn, line.statement_id)
        code = next(a.code for a in books.accounts.values() if a.id == account_id)
        bank, commodity = _bank(books, code)
        found = matching_repo.items(
            uow.conn, books.company.id, line_ids=[line_id], reconcilable=False, open_only=False
        )
        if not found:
            raise EntryNotFound(f"there is no posted line {line_id}", code="ledger.line_not_found")
        item = found[0]
        if item.commodity != commodity:
            raise MatchRefused(
                f"line {line_id} is in {item.commodity}, the bank account in {commodity}",
                code="ledger.match_commodity_differs",
            )
        if item.account != bank.code:
            account_of(books, item.account)
        result = _match(uow, actor, books, bank, line, item)
        uow.commit()
    return result


def _settle(uow: UnitOfWork, actor: Actor, books: Books, entry_id: int, reversal_id: int) -> None:
    """Reconcile each line of a payment with its reversal's on the reconcilable
    accounts (the item's, and the bank's when it is): the two cancel, so neither stays
    an open item."""
    pairs = zip(
        matching_repo.items(
            uow.conn, books.company.id, entry_id=entry_id, reconcilable=True, open_only=False
        ),
        matching_repo.items(
            uow.conn, books.company.id, entry_id=reversal_id, reconcilable=True, open_only=False
        ),
        strict=True,
    )
    for paid, undone in pairs:
        if paid.residual and undone.residual:  # else matched elsewhere since: left alone
            reconcile_in(uow, actor, books, [paid.line_id, undone.line_id])


@use_case
def unmatch_bank_line(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    statement_line_id: int,
    on: date | None = None,
) -> BankStatementLine:
    """Undo the match of a statement line: it is unmatched again and the line it
    cleared is open again. When matching paid an open item, the reconciliation it made
    is undone and the payment entry reversed, on *on* (default: the statement line's
    date, so the books read as if the line had never been matched; a closed period
    refuses it like any posting); the payment's line and its reversal's are reconciled
    together, so the item is open again and nothing else is. Returns the line as it
    was."""
    actor.require(RECONCILE)
    with uow:
        books = load_books(uow.conn, company)
        line = _statement_line(uow.conn, books.company.id, statement_line_id)
        if line.status != "matched":
            raise MatchRefused(
                f"statement line {line.id} is not matched", code="ledger.bank_line_not_matched"
            )
        if repo.mark_unmatched(uow.conn, line.id) != 1:
            raise Conflict(
                f"statement line {line.id} was un-matched by someone else; reload",
                code="db.stale_version",
            )
        if line.reconciliation_id is not None:
            unreconcile_in(uow, actor, books, line.reconciliation_id)
        reversal = None
        if line.entry_id is not None:
            reversal = reverse_in(uow, actor, books, line.entry_id, on or line.date)
            _settle(uow, actor, books, line.entry_id, reversal.id)
        audit.record(
            uow,
            actor,
            "ledger.bank.unmatch",
            "bank_statement_line",
            line.id,
            before={
                "status": line.status,
                "line": line.line_id,
                "reconciliation": line.reconciliation_id,
                "entry": line.entry_id,
            },
            after={"status": "unmatched", "reversal": reversal.id if reversal else None},
        )
        uow.commit()
    return line


def list_statement_lines(
    uow: UnitOfWork, actor: Actor, company: str | None, account: str, status: str | None = None
) -> list[BankStatementLine]:
    """The imported statement lines of *account* (optionally only 'unmatched' or
    'matched'), in date order."""
    actor.require(READ)
    with uow:
        books = load_books(uow.conn, company)
        bank, _ = _bank(books, account)
        return repo.statement_lines(uow.conn, books.company.id, account_id=bank.id, status=status)


def bank_suggestions(
    uow: UnitOfWork, actor: Actor, company: str | None, account: str
) -> list[BankSuggestion]:
    """For each unmatched statement line of *account*, the best open items to match
    it with: the same amount first, then the nearest date, then reference and partner
    similarity."""
    actor.require(READ)
    with uow:
        books = load_books(uow.conn, company)
        bank, commodity = _bank(books, account)
        lines = repo.statement_lines(
            uow.conn, books.company.id, account_id=bank.id, status="unmatched"
        )
        items = _candidates(uow.conn, books, bank, commodity) if lines else []
    return [s for line in lines for s in suggestions(line, items)]
