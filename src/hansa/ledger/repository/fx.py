"""Exchange rates by day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from hansa.ledger.tables import fx_rates


def rates_on(
    conn: sa.Connection, company_id: int, currencies: Iterable[str], day: date
) -> dict[str, Decimal]:
    """The latest rate on or before *day* for each currency that has one."""
    result: dict[str, Decimal] = {}
    for currency in sorted(set(currencies)):
        rate = conn.execute(
            sa.select(fx_rates.c.rate)
            .where(
                fx_rates.c.company_id == company_id,
                fx_rates.c.currency == currency,
                fx_rates.c.day <= day,
            )
            .order_by(fx_rates.c.day.desc())
            .limit(1)
        ).scalar_one_or_none()
        if rate is not None:
            result[currency] = rate
    return result


def set_rates(
    conn: sa.Connection, company_id: int, rows: Iterable[tuple[str, date, Decimal]]
) -> int:
    values = [{"company_id": company_id, "currency": c, "day": d, "rate": r} for c, d, r in rows]
    for value in values:
        conn.execute(
            fx_rates.delete().where(
                fx_rates.c.company_id == company_id,
                fx_rates.c.currency == value["currency"],
                fx_rates.c.day == value["day"],
            )
        )
    if values:
        conn.execute(fx_rates.insert(), values)
    return len(values)


def list_rates(
    conn: sa.Connection, company_id: int, currency: str | None
) -> list[tuple[str, date, Decimal]]:
    query = sa.select(fx_rates.c.currency, fx_rates.c.day, fx_rates.c.rate).where(
        fx_rates.c.company_id == company_id
    )
    if currency:
        query = query.where(fx_rates.c.currency == currency)
    return [
        (r.currency, r.day, r.rate)
        for r in conn.execute(query.order_by(fx_rates.c.currency, fx_rates.c.day))
    ]
