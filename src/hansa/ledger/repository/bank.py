"""Bank statements, their lines, and balance assertions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.domain.bank import BankStatementLine
from hansa.ledger.domain.commodities import shown
from hansa.ledger.repository.books import decimals
from hansa.ledger.tables import accounts, balances, companies
from hansa.ledger.tables.matching import (
    balance_assertions,
    bank_statement_lines,
    bank_statements,
)


def statement_with_hash(conn: sa.Connection, company_id: int, sha256: str) -> sa.Row[Any] | None:
    query = sa.select(bank_statements).where(
        bank_statements.c.company_id == company_id, bank_statements.c.sha256 == sha256
    )
    return conn.execute(query).first()


def insert_statement(
    conn: sa.Connection, values: dict[str, Any], rows: Sequence[dict[str, Any]]
) -> int:
    query = bank_statements.insert().values(**values).returning(bank_statements.c.id)
    statement_id = int(conn.execute(query).scalar_one())
    conn.execute(
        bank_statement_lines.insert(),
        [{**row, "statement_id": statement_id, "company_id": values["company_id"]} for row in rows],
    )
    return statement_id


def _line(r: sa.Row[Any], places: int) -> BankStatementLine:
    return BankStatementLine(
        r.id,
        r.statement_id,
        r.line_no,
        r.date,
        shown(r.amount, places),
        r.description,
        r.reference,
        r.status,
        r.line_id,
        r.reconciliation_id,
        r.entry_id,
    )


def statement_lines(
    conn: sa.Connection,
    company_id: int,
    *,
    account_id: int | None = None,
    statement_id: int | None = None,
    line_id: int | None = None,
    status: str | None = None,
) -> list[BankStatementLine]:
    """BankStatement lines in date order, amounts in the decimals of the bank's commodity."""
    commodity = sa.func.coalesce(accounts.c.currency, companies.c.base_currency)
    query = (
        sa.select(bank_statement_lines, commodity.label("commodity"))
        .join(bank_statements, bank_statements.c.id == bank_statement_lines.c.statement_id)
        .join(accounts, accounts.c.id == bank_statements.c.account_id)
        .join(companies, companies.c.id == bank_statements.c.company_id)
        .where(bank_statement_lines.c.company_id == company_id)
        .order_by(bank_statement_lines.c.date, bank_statement_lines.c.id)
    )
    if account_id is not None:
        query = query.where(bank_statements.c.account_id == account_id)
    if statement_id is not None:
        query = query.where(bank_statement_lines.c.statement_id == statement_id)
    if line_id is not None:
        query = query.where(bank_statement_lines.c.id == line_id)
    if status is not None:
        query = query.where(bank_statement_lines.c.status == status)
    places = decimals(conn)
    return [_line(r, places(r.commodity)) for r in conn.execute(query)]


def statement_account_id(conn: sa.Connection, statement_id: int) -> int:
    query = sa.select(bank_statements.c.account_id).where(bank_statements.c.id == statement_id)
    return int(conn.execute(query).scalar_one())


def mark_matched(
    conn: sa.Connection,
    statement_line_id: int,
    line_id: int,
    reconciliation_id: int | None,
    entry_id: int | None,
) -> int:
    """Record the match; returns 0 when someone matched the line first."""
    result = conn.execute(
        bank_statement_lines.update()
        .where(
            bank_statement_lines.c.id == statement_line_id,
            bank_statement_lines.c.status == "unmatched",
        )
        .values(
            status="matched",
            line_id=line_id,
            reconciliation_id=reconciliation_id,
            entry_id=entry_id,
        )
    )
    return result.rowcount


def mark_unmatched(conn: sa.Connection, statement_line_id: int) -> int:
    """Forget the match; returns 0 when someone un-matched the line first."""
    result = conn.execute(
        bank_statement_lines.update()
        .where(
            bank_statement_lines.c.id == statement_line_id,
            bank_statement_lines.c.status == "matched",
        )
        .values(status="unmatched", line_id=None, reconciliation_id=None, entry_id=None)
    )
    return result.rowcount


def insert_assertion(conn: sa.Connection, values: dict[str, Any]) -> None:
    conn.execute(balance_assertions.insert().values(**values))


def assertion_exists(
    conn: sa.Connection, company_id: int, account_id: int, commodity: str, day: date
) -> bool:
    query = sa.select(balance_assertions.c.id).where(
        balance_assertions.c.company_id == company_id,
        balance_assertions.c.account_id == account_id,
        balance_assertions.c.commodity == commodity,
        balance_assertions.c.date == day,
    )
    return conn.execute(query).first() is not None


def all_assertions(conn: sa.Connection) -> list[sa.Row[Any]]:
    """Every assertion of every company, with the account code and company code."""
    query = (
        sa.select(
            balance_assertions,
            accounts.c.code.label("account_code"),
            companies.c.code.label("company_code"),
        )
        .join(accounts, accounts.c.id == balance_assertions.c.account_id)
        .join(companies, companies.c.id == balance_assertions.c.company_id)
        .order_by(
            balance_assertions.c.company_id,
            balance_assertions.c.date,
            accounts.c.code,
            balance_assertions.c.commodity,
        )
    )
    return list(conn.execute(query))


def account_tree(conn: sa.Connection, company_id: int) -> list[tuple[int, int | None]]:
    """(account, parent) of every account of the company."""
    query = sa.select(accounts.c.id, accounts.c.parent_id).where(
        accounts.c.company_id == company_id
    )
    return [(int(r[0]), r[1]) for r in conn.execute(query)]


def balance_on(
    conn: sa.Connection, company_id: int, account_ids: Iterable[int], commodity: str, day: date
) -> Decimal:
    """The posted balance of *account_ids* in *commodity* at the end of *day*."""
    query = sa.select(exact_sum(balances.c.amount)).where(
        balances.c.company_id == company_id,
        balances.c.account_id.in_(sorted(account_ids)),
        balances.c.commodity == commodity,
        balances.c.day <= day,
    )
    total: Decimal = conn.execute(query).scalar_one()
    return total
