"""Reads other domains make inside their own open transaction (they hold the
connection; the ledger answers about its books without opening a unit of work)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.domain.accounts import Account
from hansa.ledger.domain.company import Company
from hansa.ledger.repository import books as books_repo
from hansa.ledger.service.books import company as find_company
from hansa.ledger.tables import balances, companies


def company_in(conn: sa.Connection, code: str | None) -> Company:
    """The company *code* (or the only one), read on the caller's connection."""
    return find_company(conn, code)


def accounts_in(conn: sa.Connection, company_id: int, codes: Iterable[str]) -> dict[str, Account]:
    """The company's accounts among *codes*, by code (missing codes are left out)."""
    return books_repo.find_accounts(conn, company_id, codes)


def account_totals(
    conn: sa.Connection, company_id: int | None = None
) -> dict[tuple[int, str], Decimal]:
    """Per (company id, account code), the sum of all posted weights in the company
    currency: the balance a subledger (the stock valuation) must tie to."""
    total = exact_sum(balances.c.weight)
    query = (
        sa.select(balances.c.company_id, balances.c.account_id, total)
        .join(companies, companies.c.id == balances.c.company_id)
        .where(balances.c.weight_currency == companies.c.base_currency)
        .group_by(balances.c.company_id, balances.c.account_id)
    )
    if company_id is not None:
        query = query.where(balances.c.company_id == company_id)
    sums = {(int(r[0]), int(r[1])): r[2] for r in conn.execute(query)}
    codes = {
        a.id: a.code
        for cid in {c for c, _ in sums}
        for a in books_repo.find_accounts(conn, cid).values()
    }
    return {(cid, codes[aid]): value for (cid, aid), value in sums.items()}
