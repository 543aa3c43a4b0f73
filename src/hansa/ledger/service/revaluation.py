"""Unrealised exchange gains and losses: valuing foreign balances again at a date."""

from __future__ import annotations

from datetime import date, timedelta

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.events import publish
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.events import DomainEvent
from hansa.ledger.domain.accounts import EXCHANGE_DIFFERENCES_CODE
from hansa.ledger.domain.entries import Entry, EntryDraft, reversed_lines
from hansa.ledger.domain.fx import (
    RevaluationResult,
    foreign_positions,
    revaluation_lines,
    revaluations,
)
from hansa.ledger.errors import AccountNotFound, AccountRuleViolation
from hansa.ledger.repository import postings
from hansa.ledger.repository.holdings import holdings
from hansa.ledger.service.books import Books, load_books
from hansa.ledger.service.fx import required_rates
from hansa.ledger.service.posting import resolved, store

MONETARY = ("asset", "liability")  # income, expenses and equity keep historical values
JOURNAL = "GEN"


def check_gain_loss_account(books: Books, code: str) -> None:
    """Refuse *code* unless it is an income or expense account of the books."""
    account = books.accounts.get(code)
    if account is None:
        raise AccountNotFound(f"there is no gain/loss account {code!r}")
    if account.type.is_balance_sheet:
        raise AccountRuleViolation(
            f"account {code} is {account.type.value}: exchange gains and losses go to an "
            "income or expense account"
        )


@use_case
def revalue(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    day: date,
    gain_loss_account: str = EXCHANGE_DIFFERENCES_CODE,
    *,
    post: bool = True,
    reverse_next_day: bool = False,
) -> RevaluationResult:
    """Value every foreign-currency balance of the asset and liability accounts at the
    rate of *day* and post the difference to the value the books carry as one entry
    (journal GEN, reference ``revaluation``), the net to *gain_loss_account*.

    How it is represented: the trial balance is per account and commodity, and a
    foreign-currency line carries its company-currency value as its *weight*. So each
    account gets a line of **zero** of its currency weighing the difference in the
    company currency: the account still holds exactly the same 1,000 USD, but now worth
    950.00 EUR instead of 920.00 EUR; every entry still balances per weight currency.
    An account restricted to USD can take that line, where a EUR line would be refused.

    ``post=False`` previews the result and stores nothing. ``reverse_next_day`` posts
    the negated entry on the next day (the usual treatment of unrealised results, so
    the next revaluation starts again from historical values). Rounding: each new value
    is rounded to the company currency's minor unit, ROUND_HALF_UP.
    """
    actor.require("ledger.entry.post" if post else "ledger.account.read")
    with uow:
        books = load_books(uow.conn, company)
        check_gain_loss_account(books, gain_loss_account)
        base = books.company.base_currency
        positions = foreign_positions(
            holdings(uow.conn, books.company.id, MONETARY, None, day),
            base,
            lambda code: books.commodity(code).kind == "currency",
        )
        held = {currency for (_, currency), (amount, _) in positions.items() if amount}
        rates = required_rates(uow.conn, books.company.id, held, day) if held else {}
        rows = revaluations(positions, rates, base, lambda code: books.commodity(code).decimals)
        result = RevaluationResult(day, base, rows)
        if not post or not rows:
            return result
        draft = EntryDraft(
            JOURNAL,
            day,
            revaluation_lines(rows, base, gain_loss_account),
            f"Revaluation of foreign-currency balances at {day}",
            reference="revaluation",
        )
        entry = _post(uow, actor, books, draft)
        reversal = (
            _reverse(uow, actor, books, entry, draft, day + timedelta(days=1))
            if reverse_next_day
            else None
        )
        entry = _entry(uow, books, entry.id)  # now linked to its reversal
        audit.record(
            uow,
            actor,
            "ledger.revaluation.post",
            "entry",
            entry.id,
            after={
                "date": day,
                "number": entry.number,
                "total": result.total,
                "reversed_by": reversal.number if reversal else None,
                "accounts": [[r.account, r.commodity, r.difference] for r in rows],
            },
        )
        uow.commit()
    return RevaluationResult(day, base, rows, entry, reversal)


def _post(
    uow: UnitOfWork, actor: Actor, books: Books, draft: EntryDraft, reversal_of: int | None = None
) -> Entry:
    (stored,) = store(
        uow.conn,
        books,
        [resolved(books, draft, None)],
        post=True,
        created_by=actor.username,
        at=clock.now(),
        reversal_of=[reversal_of],
    )
    publish(
        uow,
        DomainEvent(
            "ledger.entry_posted",
            {"company": books.company.code, "entry_id": stored.entry_id, "number": stored.number},
        ),
    )
    return _entry(uow, books, stored.entry_id)


def _entry(uow: UnitOfWork, books: Books, entry_id: int) -> Entry:
    entry = postings.get_entry(uow.conn, books.company.id, entry_id)
    assert entry is not None, "an entry just posted exists"
    return entry


def _reverse(
    uow: UnitOfWork, actor: Actor, books: Books, entry: Entry, lines: EntryDraft, on: date
) -> Entry:
    """Post the negated *lines* of *entry* on *on*, linked both ways like any reversal."""
    draft = EntryDraft(
        entry.journal,
        on,
        reversed_lines(lines.lines),
        f"Reversal of {entry.number}: {entry.narration}"[:500],
        reference=entry.number,
    )
    reversal = _post(uow, actor, books, draft, reversal_of=entry.id)
    postings.link_reversal(uow.conn, entry.id, reversal.id)
    return reversal
