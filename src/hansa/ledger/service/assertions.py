"""Balance assertions, and the checks of reconciliations and assertions.

An assertion says what an account's balance (with its sub-accounts) in one commodity
is at the end of a day, e.g. the closing balance of a bank statement; ``hansa check``
proves every assertion still holds, so a later posting into that past is caught."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.kernel.checks import Problem, register
from hansa.kernel.money import quantize
from hansa.ledger.domain.bank import BalanceAssertion, subtree
from hansa.ledger.domain.commodities import shown
from hansa.ledger.errors import BadLedgerInput, DuplicateAssertion
from hansa.ledger.repository import bank as repo
from hansa.ledger.repository import matching as matching_repo
from hansa.ledger.repository.books import decimals
from hansa.ledger.service.books import load_books
from hansa.ledger.service.matching import RECONCILE, account_of


def _balance(
    conn: sa.Connection, company_id: int, account_id: int, commodity: str, day: date
) -> Decimal:
    accounts = subtree(repo.account_tree(conn, company_id), account_id)
    return shown(
        repo.balance_on(conn, company_id, accounts, commodity, day), decimals(conn)(commodity)
    )


@use_case
def assert_balance(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    account: str,
    amount: Decimal,
    day: date,
    commodity: str | None = None,
) -> BalanceAssertion:
    """Record that *account* (with its sub-accounts) holds *amount* of *commodity*
    (default: the account's currency, else the company's) at the end of *day*, debit
    positive. It is recorded even if the books disagree today (the missing entries
    may come later); the result says whether it holds now, and ``hansa check``
    verifies it from then on."""
    actor.require(RECONCILE)
    with uow:
        books = load_books(uow.conn, company)
        found = account_of(books, account, reconcilable=False)
        code = (commodity or found.currency or books.company.base_currency).upper()
        places = books.commodity(code).decimals
        if quantize(amount, places) != amount:
            raise BadLedgerInput(
                f"{amount} has more decimals than {code} ({places})",
                code="ledger.too_many_decimals",
            )
        if repo.assertion_exists(uow.conn, books.company.id, found.id, code, day):
            raise DuplicateAssertion(
                f"account {found.code} already has an asserted {code} balance on {day}"
            )
        repo.insert_assertion(
            uow.conn,
            {
                "company_id": books.company.id,
                "account_id": found.id,
                "commodity": code,
                "date": day,
                "amount": amount,
                "created_by": actor.username,
                "created_at": clock.now(),
            },
        )
        actual = _balance(uow.conn, books.company.id, found.id, code, day)
        result = BalanceAssertion(found.code, code, day, shown(amount, places), actual)
        audit.record(
            uow,
            actor,
            "ledger.balance_assert",
            "account",
            found.code,
            after={"commodity": code, "date": day, "amount": str(amount), "holds": result.holds},
        )
        uow.commit()
    return result


@register("ledger.balance_assertions_hold", "every asserted balance equals the books")
def check_balance_assertions(conn: sa.Connection) -> list[Problem]:
    problems = []
    for row in repo.all_assertions(conn):
        actual = _balance(conn, row.company_id, row.account_id, row.commodity, row.date)
        asserted = shown(row.amount, decimals(conn)(row.commodity))
        if actual != asserted:
            problems.append(
                Problem(
                    "ledger.balance_assertions_hold",
                    f"company {row.company_code}: account {row.account_code} was asserted to "
                    f"hold {asserted} {row.commodity} on {row.date}; the books show {actual} "
                    f"(off by {actual - asserted})",
                    ref=f"{row.company_code}:{row.account_code}:{row.commodity}:{row.date}",
                )
            )
    return problems


@register(
    "ledger.reconciliations_net_zero",
    "every reconciliation nets to zero and matches no line beyond its amount",
)
def check_reconciliations(conn: sa.Connection) -> list[Problem]:
    name = "ledger.reconciliations_net_zero"
    places = decimals(conn)
    problems = [
        Problem(
            name,
            f"reconciliation {rec} sums to {shown(total, places(commodity))} {commodity}, not zero"
            if total
            else f"reconciliation {rec} is off by {weight.normalize():f} in the company "
            "currency (its realised exchange difference is missing)",
            ref=str(rec),
        )
        for rec, commodity, total, weight in matching_repo.unbalanced_reconciliations(conn)
    ]
    problems += [
        Problem(
            name,
            f"line {line} of {shown(amount, places(commodity))} {commodity} is matched by "
            f"{shown(matched, places(commodity))}: beyond its amount, against its sign or "
            "in a group of another account",
            ref=f"line:{line}",
        )
        for line, commodity, amount, matched in matching_repo.over_matched_lines(conn)
    ]
    return problems
