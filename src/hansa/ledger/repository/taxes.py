"""Tax codes, tax groups and the sums of posted tax lines."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from hansa.db.types import exact_sum
from hansa.db.uow import update_versioned
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.taxes import TaxCode, TaxGroup
from hansa.ledger.tables import accounts, lines
from hansa.ledger.tables.taxes import tax_codes, tax_group_members, tax_groups


def insert_tax_code(conn: sa.Connection, values: dict[str, Any]) -> int:
    query = tax_codes.insert().values(**values).returning(tax_codes.c.id)
    return int(conn.execute(query).scalar_one())


def find_tax_codes(
    conn: sa.Connection, company_id: int, codes: Iterable[str] | None = None
) -> dict[str, TaxCode]:
    """The company's tax codes (archived ones too) by code, in their sequence."""
    query = (
        sa.select(tax_codes, accounts.c.code.label("account_code"))
        .join(accounts, accounts.c.id == tax_codes.c.account_id)
        .where(tax_codes.c.company_id == company_id)
        .order_by(tax_codes.c.sequence, tax_codes.c.code)
    )
    if codes is not None:
        query = query.where(tax_codes.c.code.in_(sorted(set(codes))))
    return {
        r.code: TaxCode(
            r.id,
            r.company_id,
            r.code,
            r.name,
            shown(r.rate, 0),
            r.account_code,
            r.price_included,
            r.compound,
            r.sequence,
            r.active,
            r.version,
        )
        for r in conn.execute(query)
    }


def update_tax_code(conn: sa.Connection, code: TaxCode, values: dict[str, object]) -> None:
    update_versioned(
        conn, tax_codes, tax_codes.c.id == code.id, code.version, values, f"tax code {code.code}"
    )


def insert_tax_group(
    conn: sa.Connection, company_id: int, code: str, name: str, member_ids: Sequence[int]
) -> int:
    query = tax_groups.insert().values(company_id=company_id, code=code, name=name)
    group_id = int(conn.execute(query.returning(tax_groups.c.id)).scalar_one())
    conn.execute(
        tax_group_members.insert(),
        [
            {"company_id": company_id, "group_id": group_id, "position": n, "tax_code_id": i}
            for n, i in enumerate(member_ids, 1)
        ],
    )
    return group_id


def find_tax_groups(conn: sa.Connection, company_id: int) -> dict[str, TaxGroup]:
    """The company's tax groups by code, each with its members in order."""
    query = (
        sa.select(tax_groups, tax_codes.c.code.label("member"))
        .join(tax_group_members, tax_group_members.c.group_id == tax_groups.c.id)
        .join(tax_codes, tax_codes.c.id == tax_group_members.c.tax_code_id)
        .where(tax_groups.c.company_id == company_id)
        .order_by(tax_groups.c.code, tax_group_members.c.position)
    )
    rows: dict[str, list[sa.Row[Any]]] = {}
    for row in conn.execute(query):
        rows.setdefault(row.code, []).append(row)
    return {
        code: TaxGroup(
            members[0].id,
            members[0].company_id,
            code,
            members[0].name,
            tuple(m.member for m in members),
        )
        for code, members in rows.items()
    }


def posted_tax_sums(
    conn: sa.Connection, company_id: int, start: date, end: date
) -> list[sa.Row[Any]]:
    """Per tax code and commodity: the sums of ``tax_base`` and of the amounts of the
    posted tax lines dated *start* to *end* (inclusive)."""
    query = (
        sa.select(
            lines.c.tax_code,
            lines.c.commodity,
            exact_sum(lines.c.tax_base).label("base"),
            exact_sum(lines.c.amount).label("tax"),
        )
        .where(
            lines.c.company_id == company_id,
            lines.c.tax_code.is_not(None),
            lines.c.date >= start,
            lines.c.date <= end,
            lines.c.posted.is_(True),
        )
        .group_by(lines.c.tax_code, lines.c.commodity)
        .order_by(lines.c.tax_code, lines.c.commodity)
    )
    return list(conn.execute(query))
