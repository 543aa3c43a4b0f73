"""Open items and reconciliations.

A line's residual is its amount minus its reconciliation items; a bank-account line
cleared by a statement line counts as fully matched."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.matching import OpenItem, Reconciliation
from hansa.ledger.repository.books import decimals
from hansa.ledger.tables import accounts, entries, lines, partners, reversals
from hansa.ledger.tables.matching import (
    bank_statement_lines,
    reconciliation_items,
    reconciliations,
)


def lock_lines(conn: sa.Connection, line_ids: Sequence[int]) -> None:
    """Hold the lines until the transaction ends, so that two reconciliations of the
    same line queue (PostgreSQL; SQLite writers are serialised already)."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.select(lines.c.id).where(lines.c.id.in_(sorted(line_ids))).with_for_update()
        )


def _matched(company_id: int, as_of: date | None) -> sa.Subquery:
    query = (
        sa.select(
            reconciliation_items.c.line_id,
            exact_sum(reconciliation_items.c.amount).label("sum"),
            exact_sum(reconciliation_items.c.weight).label("weight"),
        )
        .join(reconciliations, reconciliations.c.id == reconciliation_items.c.reconciliation_id)
        .where(reconciliation_items.c.company_id == company_id)
        .group_by(reconciliation_items.c.line_id)
    )
    if as_of is not None:
        query = query.where(reconciliations.c.date <= as_of)
    return query.subquery("matched")


def _cleared(company_id: int, as_of: date | None) -> sa.Subquery:
    query = sa.select(bank_statement_lines.c.line_id).where(
        bank_statement_lines.c.company_id == company_id,
        bank_statement_lines.c.line_id.is_not(None),
    )
    if as_of is not None:
        query = query.where(bank_statement_lines.c.date <= as_of)
    return query.distinct().subquery("cleared")


def items(
    conn: sa.Connection,
    company_id: int,
    *,
    account_ids: Sequence[int] | None = None,
    reconcilable: bool = True,
    partner_id: int | None = None,
    partnered: bool = False,
    line_ids: Sequence[int] | None = None,
    entry_id: int | None = None,
    start: date | None = None,
    as_of: date | None = None,
    open_only: bool = True,
    unreversed: bool = False,
) -> list[OpenItem]:
    """Posted lines with their residual on *as_of* (matches and clearings dated later
    do not count yet), oldest first; only those still open unless *open_only* is off;
    with *unreversed*, none of an entry reversed or of a reversal (the two cancel)."""
    matched, cleared = _matched(company_id, as_of), _cleared(company_id, as_of)
    done = sa.func.coalesce(matched.c.sum, 0, type_=lines.c.amount.type)
    done_weight = sa.func.coalesce(matched.c.weight, 0, type_=lines.c.weight.type)
    query: sa.Select[Any] = (
        sa.select(
            lines.c.id,
            lines.c.entry_id,
            entries.c.number,
            lines.c.date,
            lines.c.due_date,
            accounts.c.code,
            partners.c.name.label("partner"),
            lines.c.commodity,
            lines.c.amount,
            done.label("matched"),
            cleared.c.line_id.label("cleared"),
            sa.func.coalesce(lines.c.description, entries.c.narration).label("description"),
            entries.c.reference,
            lines.c.weight,
            lines.c.weight_currency,
            done_weight.label("matched_weight"),
        )
        .join(entries, entries.c.id == lines.c.entry_id)
        .join(accounts, accounts.c.id == lines.c.account_id)
        .outerjoin(partners, partners.c.id == lines.c.partner_id)
        .outerjoin(matched, matched.c.line_id == lines.c.id)
        .outerjoin(cleared, cleared.c.line_id == lines.c.id)
        .where(lines.c.company_id == company_id, lines.c.posted.is_(True))
        .order_by(lines.c.date, lines.c.id)
    )
    if reconcilable:
        query = query.where(accounts.c.reconcilable.is_(True))
    if account_ids is not None:
        query = query.where(lines.c.account_id.in_(list(account_ids)))
    if partner_id is not None:
        query = query.where(lines.c.partner_id == partner_id)
    if partnered:
        query = query.where(lines.c.partner_id.is_not(None))
    if line_ids is not None:
        query = query.where(lines.c.id.in_(list(line_ids)))
    if entry_id is not None:
        query = query.where(lines.c.entry_id == entry_id)
    if start is not None:
        query = query.where(lines.c.date >= start)
    if as_of is not None:
        query = query.where(lines.c.date <= as_of)
    if open_only:
        query = query.where(cleared.c.line_id.is_(None), lines.c.amount != done)
    if unreversed:
        query = query.where(
            lines.c.entry_id.not_in(sa.select(reversals.c.entry_id)),
            lines.c.entry_id.not_in(sa.select(reversals.c.reversed_by)),
        )
    places = decimals(conn)
    return [_item(r, places(r.commodity), places(r.weight_currency)) for r in conn.execute(query)]


def _item(r: sa.Row[Any], places: int, weight_places: int) -> OpenItem:
    residual = Decimal(0) if r.cleared is not None else r.amount - r.matched
    open_weight = Decimal(0) if r.cleared is not None else r.weight - r.matched_weight
    return OpenItem(
        r.id,
        r.entry_id,
        r.number,
        r.date,
        r.due_date,
        r.code,
        r.partner,
        r.commodity,
        shown(r.amount, places),
        shown(residual, places),
        r.description,
        r.reference,
        shown(r.weight, weight_places),
        r.weight_currency,
        shown(open_weight, weight_places),
    )


def balances_before(
    conn: sa.Connection, company_id: int, partner_id: int, start: date
) -> dict[str, Decimal]:
    """The partner's balance per commodity on reconcilable accounts before *start*."""
    query = (
        sa.select(lines.c.commodity, exact_sum(lines.c.amount))
        .join(accounts, accounts.c.id == lines.c.account_id)
        .where(
            lines.c.company_id == company_id,
            lines.c.posted.is_(True),
            lines.c.partner_id == partner_id,
            accounts.c.reconcilable.is_(True),
            lines.c.date < start,
        )
        .group_by(lines.c.commodity)
    )
    places = decimals(conn)
    return {str(r[0]): shown(r[1], places(str(r[0]))) for r in conn.execute(query)}


def partner_id(conn: sa.Connection, company_id: int, name: str) -> int | None:
    query = sa.select(partners.c.id).where(
        partners.c.company_id == company_id, partners.c.name == name
    )
    found = conn.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def partner_has_entries(conn: sa.Connection, name: str) -> bool:
    """Whether any entry or line of any company names the partner *name*."""
    ids = sa.select(partners.c.id).where(partners.c.name == name).scalar_subquery()
    on_line = sa.select(lines.c.id).where(lines.c.partner_id.in_(ids)).limit(1)
    on_entry = sa.select(entries.c.id).where(entries.c.partner_id.in_(ids)).limit(1)
    return any(conn.execute(q).first() is not None for q in (on_line, on_entry))


def insert_reconciliation(
    conn: sa.Connection,
    values: dict[str, Any],
    parts: Sequence[tuple[int, Decimal]],
    weights: Mapping[int, Decimal],
) -> int:
    query = reconciliations.insert().values(**values).returning(reconciliations.c.id)
    rec_id = int(conn.execute(query).scalar_one())
    conn.execute(
        reconciliation_items.insert(),
        [
            {
                "reconciliation_id": rec_id,
                "line_id": line_id,
                "company_id": values["company_id"],
                "amount": amount,
                "weight": weights.get(line_id, 0),
            }
            for line_id, amount in parts
        ],
    )
    return rec_id


def get_reconciliation(conn: sa.Connection, company_id: int, rec_id: int) -> Reconciliation | None:
    row = conn.execute(
        sa.select(reconciliations, accounts.c.code, partners.c.name.label("partner"))
        .join(accounts, accounts.c.id == reconciliations.c.account_id)
        .outerjoin(partners, partners.c.id == reconciliations.c.partner_id)
        .where(reconciliations.c.company_id == company_id, reconciliations.c.id == rec_id)
    ).first()
    if row is None:
        return None
    places = decimals(conn)(row.commodity)
    parts = conn.execute(
        sa.select(reconciliation_items.c.line_id, reconciliation_items.c.amount)
        .where(reconciliation_items.c.reconciliation_id == rec_id)
        .order_by(reconciliation_items.c.line_id)
    )
    return Reconciliation(
        row.id,
        row.code,
        row.partner,
        row.commodity,
        row.date,
        row.created_by,
        row.write_off_entry_id,
        tuple((int(p.line_id), shown(p.amount, places)) for p in parts),
        exchange_entry_id=row.exchange_entry_id,
    )


def delete_reconciliation(conn: sa.Connection, rec_id: int) -> None:
    """Remove a reconciliation; a statement line that made it stays cleared."""
    conn.execute(
        bank_statement_lines.update()
        .where(bank_statement_lines.c.reconciliation_id == rec_id)
        .values(reconciliation_id=None)
    )
    conn.execute(
        reconciliation_items.delete().where(reconciliation_items.c.reconciliation_id == rec_id)
    )
    conn.execute(reconciliations.delete().where(reconciliations.c.id == rec_id))


def unbalanced_reconciliations(conn: sa.Connection) -> list[tuple[int, str, Decimal, Decimal]]:
    """(reconciliation, commodity, sum, sum of weights) of every reconciliation whose
    items do not net to zero, in their commodity or in the company currency."""
    query = (
        sa.select(
            reconciliations.c.id,
            reconciliations.c.commodity,
            exact_sum(reconciliation_items.c.amount),
            exact_sum(reconciliation_items.c.weight),
        )
        .select_from(reconciliation_items)
        .join(reconciliations, reconciliations.c.id == reconciliation_items.c.reconciliation_id)
        .group_by(reconciliations.c.id, reconciliations.c.commodity)
        .having(
            sa.or_(
                sa.func.sum(reconciliation_items.c.amount) != 0,
                sa.func.sum(reconciliation_items.c.weight) != 0,
            )
        )
        .limit(100)
    )
    return [(int(r[0]), str(r[1]), r[2], r[3]) for r in conn.execute(query)]


def over_matched_lines(conn: sa.Connection) -> list[tuple[int, str, Decimal, Decimal]]:
    """(line, commodity, amount, matched) of lines matched beyond their amount or
    against their sign, or matched in a reconciliation of another account."""
    total = sa.func.sum(reconciliation_items.c.amount)
    other_account = sa.case((reconciliations.c.account_id != lines.c.account_id, 1), else_=0)
    query = (
        sa.select(
            lines.c.id,
            lines.c.commodity,
            lines.c.amount,
            exact_sum(reconciliation_items.c.amount),
        )
        .select_from(reconciliation_items)
        .join(lines, lines.c.id == reconciliation_items.c.line_id)
        .join(reconciliations, reconciliations.c.id == reconciliation_items.c.reconciliation_id)
        .group_by(lines.c.id, lines.c.commodity, lines.c.amount)
        .having(
            sa.or_(
                sa.and_(total > 0, sa.or_(lines.c.amount < 0, total > lines.c.amount)),
                sa.and_(total < 0, sa.or_(lines.c.amount > 0, total < lines.c.amount)),
                sa.func.max(other_account) == 1,
            )
        )
        .limit(100)
    )
    return [(int(r[0]), str(r[1]), r[2], r[3]) for r in conn.execute(query)]
