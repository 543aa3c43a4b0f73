"""The ledger's reports: trial balance, balance sheet, income statement."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hansa.db.uow import UnitOfWork
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.reports import BalanceRow, LedgerRow, Statement
from hansa.ledger.errors import AccountNotFound, BadLedgerInput
from hansa.ledger.repository import books as books_repo
from hansa.ledger.repository import reports as repo
from hansa.ledger.repository.books import decimals
from hansa.ledger.service.books import company as find_company
from hansa.ledger.service.year_end import without_closing_entries

READ = "reports.financial.read"
_BALANCE_SHEET = ("asset", "liability", "equity")
_INCOME = ("income", "expense")


def _rows(
    uow: UnitOfWork,
    company: str | None,
    start: date | None,
    end: date | None,
    in_base: bool = False,
) -> list[BalanceRow]:
    found = find_company(uow.conn, company)
    places = decimals(uow.conn)
    weight_currency = found.base_currency if in_base else None
    return [
        BalanceRow(r.code, r.name, r.type, r.commodity, shown(r.balance, places(r.commodity)))
        for r in repo.account_balances(uow.conn, found.id, start, end, weight_currency)
    ]


def trial_balance(
    uow: UnitOfWork, actor: Actor, company: str | None, as_of: date | None = None
) -> list[BalanceRow]:
    """Every account's balance per commodity on *as_of* (today by default), debit
    positive and credit negative, zero balances left out."""
    actor.require(READ)
    with uow:
        return _rows(uow, company, None, as_of or clock.today())


def _totals(rows: list[BalanceRow]) -> dict[str, dict[str, Decimal]]:
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        totals[row.type][row.commodity] += row.balance
    return {t: dict(c) for t, c in totals.items()}


def balance_sheet(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    as_of: date | None = None,
    *,
    in_base: bool = False,
) -> Statement:
    """Assets, liabilities and equity on *as_of*, per commodity. Income and expenses
    not yet closed into retained earnings show as the period's result within equity.

    With *in_base*, each account shows one balance in the company currency: the sum
    of its lines' company-currency weights (a foreign-currency account shows the value
    it is booked at, a commodity weighing in the company currency its cost), so that
    assets + liabilities + equity (with the result) = 0, debit positive. Lines weighing
    in another unit are left out: they balance among themselves."""
    actor.require(READ)
    end = as_of or clock.today()
    with uow:
        rows = _rows(uow, company, None, end, in_base)
    sheet = [r for r in rows if r.type in _BALANCE_SHEET]
    result: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.type in _INCOME:
            result[row.commodity] += row.balance
    sheet += [
        BalanceRow("", "Result not yet closed", "equity", c, b)
        for c, b in sorted(result.items())
        if b
    ]
    return Statement("Balance sheet", None, end, tuple(sheet), _totals(sheet))


def _profit_and_loss(
    uow: UnitOfWork, company: str | None, start: date, end: date, in_base: bool
) -> list[BalanceRow]:
    """Income and expense rows of a period, closing entries left out: a closed year
    shows its result, not the zeros its closing entry leaves."""
    rows = [r for r in _rows(uow, company, start, end, in_base) if r.type in _INCOME]
    found = find_company(uow.conn, company)
    weight_currency = found.base_currency if in_base else None
    return without_closing_entries(uow.conn, found.id, rows, start, end, weight_currency)


def income_statement(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    start: date,
    end: date,
    compare_start: date | None = None,
    compare_end: date | None = None,
    *,
    in_base: bool = False,
) -> Statement:
    """Income and expenses between *start* and *end* (inclusive), optionally beside a
    comparison period. Income shows negative (credit), expenses positive; the net
    result is the sum (negative = profit). Per commodity, or with *in_base* one
    company-currency balance per account (see :func:`balance_sheet`)."""
    actor.require(READ)
    if start > end:
        raise BadLedgerInput(
            f"the period starts ({start}) after it ends ({end})", code="ledger.bad_period"
        )
    if (compare_start is None) != (compare_end is None):
        raise BadLedgerInput(
            "a comparison needs both its start and its end", code="ledger.bad_period"
        )
    with uow:
        rows = _profit_and_loss(uow, company, start, end, in_base)
        other = None
        if compare_start and compare_end:
            previous = _profit_and_loss(uow, company, compare_start, compare_end, in_base)
            other = Statement(
                "Income statement", compare_start, compare_end, tuple(previous), _totals(previous)
            )
    return Statement("Income statement", start, end, tuple(rows), _totals(rows), other)


def general_ledger(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    start: date,
    end: date,
    account: str | None = None,
) -> list[LedgerRow]:
    """Every posted line from *start* to *end* (of one account, or all), account by
    account, each account opening with its balance before *start* and each line showing
    the running balance in its commodity."""
    actor.require(READ)
    if start > end:
        raise BadLedgerInput(
            f"the period starts ({start}) after it ends ({end})", code="ledger.bad_period"
        )
    with uow:
        found = find_company(uow.conn, company)
        accounts = {a.id: a for a in books_repo.find_accounts(uow.conn, found.id).values()}
        account_id = None
        if account is not None:
            matches = [a for a in accounts.values() if a.code == account]
            if not matches:
                raise AccountNotFound(f"there is no account {account!r}")
            account_id = matches[0].id
        opening = repo.opening_balances(uow.conn, found.id, start, account_id)
        posted = repo.posted_lines(uow.conn, found.id, start, end, account_id)
        places = decimals(uow.conn)
    running: dict[tuple[int, str], Decimal] = {}
    rows: list[LedgerRow] = []

    def open_account(key: tuple[int, str]) -> None:
        running[key] = opening.get(key, Decimal(0))
        acc = accounts[key[0]]
        rows.append(
            LedgerRow(
                acc.code,
                acc.name,
                None,
                None,
                "Opening balance",
                None,
                key[1],
                Decimal(0),
                shown(running[key], places(key[1])),
            )
        )

    for line in posted:
        key = (int(line.account_id), str(line.commodity))
        if key not in running:
            open_account(key)
        running[key] += line.amount
        acc = accounts[key[0]]
        rows.append(
            LedgerRow(
                acc.code,
                acc.name,
                line.date,
                line.number,
                line.description or line.narration,
                line.partner,
                key[1],
                shown(line.amount, places(key[1])),
                shown(running[key], places(key[1])),
            )
        )
    for key in sorted(set(opening) - set(running), key=lambda k: (accounts[k[0]].code, k[1])):
        if opening[key]:
            open_account(key)
    return sorted(rows, key=lambda r: (r.account, r.commodity, r.date or date.min))
