"""Exchange rates: set, list and import them; convert amounts into the company currency."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel.actor import Actor
from hansa.kernel.errors import HansaError
from hansa.kernel.money import quantize
from hansa.ledger.domain.commodities import Commodity, iso_currency, shown
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.fx import FxRate, check_rate, parse_rate_row, to_base
from hansa.ledger.errors import BadLedgerInput, ImportRejected, MissingRate, UnknownCommodity
from hansa.ledger.repository import books as books_repo
from hansa.ledger.repository import fx as repo
from hansa.ledger.service.books import company as find_company

READ, WRITE = "ledger.currency.read", "ledger.currency.write"
COLUMNS = ("date", "currency", "rate")
_SHOWN_ERRORS = 20


@dataclass(frozen=True)
class RatesImported:
    count: int
    currencies: tuple[str, ...]
    first: date | None
    last: date | None


def _rated(company: Company, declared: Mapping[str, Commodity], code: str) -> str:
    """The commodity a rate may be given for: an ISO currency or a declared commodity,
    never the company currency (worth 1 by definition)."""
    text = code.strip()
    found = declared.get(text) or iso_currency(text.upper())
    if found is None:
        raise UnknownCommodity(
            f"{text!r} is neither an ISO 4217 currency nor a declared commodity "
            "(declare it with 'hansa ledger commodity add')"
        )
    if found.code == company.base_currency:
        raise BadLedgerInput(
            f"{found.code} is the company currency of {company.code}: its rate is always 1",
            code="ledger.rate_of_base",
        )
    return found.code


def required_rates(
    conn: sa.Connection, company_id: int, currencies: Collection[str], day: date
) -> dict[str, Decimal]:
    """The rate of each currency on *day* (its latest rate on or before it); a missing
    one is an error that says how to set it."""
    rates = repo.rates_on(conn, company_id, currencies, day)
    missing = sorted(set(currencies) - set(rates))
    if missing:
        raise MissingRate(
            f"no exchange rate for {', '.join(missing)} on or before {day}: set one with "
            f"'hansa fx set {missing[0]} RATE --date {day}'",
            details={"currencies": missing, "date": str(day)},
        )
    return rates


@use_case
def set_rate(
    uow: UnitOfWork, actor: Actor, company: str | None, currency: str, day: date, rate: Decimal
) -> FxRate:
    """Record that one unit of *currency* is worth *rate* company-currency units from
    *day* on (until the next rate), replacing a rate given for the same day."""
    actor.require(WRITE)
    check_rate(rate)
    with uow:
        found = find_company(uow.conn, company)
        code = _rated(found, books_repo.all_commodities(uow.conn), currency)
        before = {d: r for _, d, r in repo.list_rates(uow.conn, found.id, code)}.get(day)
        repo.set_rates(uow.conn, found.id, [(code, day, rate)])
        audit.record(
            uow,
            actor,
            "ledger.fx.set",
            "fx_rate",
            f"{found.code}:{code}:{day}",
            before=None if before is None else {"rate": before},
            after={"rate": rate},
        )
        uow.commit()
    return FxRate(code, day, rate)


def list_rates(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    currency: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[FxRate]:
    """The rates recorded, by currency and day, optionally for one currency and days
    from *start* to *end*."""
    actor.require(READ)
    with uow:
        found = find_company(uow.conn, company)
        code = _rated(found, books_repo.all_commodities(uow.conn), currency) if currency else None
        rows = repo.list_rates(uow.conn, found.id, code)
    return [
        FxRate(c, d, shown(r, 0))  # 0.9200000000 as stored -> 0.92
        for c, d, r in rows
        if (start is None or d >= start) and (end is None or d <= end)
    ]


@use_case
def import_rates(
    uow: UnitOfWork, actor: Actor, company: str | None, rows: Iterable[Mapping[str, str | None]]
) -> RatesImported:
    """Import rates from CSV rows with the columns ``date,currency,rate`` (as read by
    ``csv.DictReader``; other columns are ignored). All or nothing: if any row is bad,
    nothing is stored and the error names every bad row by its line in the file (the
    header is line 1)."""
    actor.require(WRITE)
    with uow:
        found = find_company(uow.conn, company)
        declared = books_repo.all_commodities(uow.conn)
        parsed: dict[tuple[str, date], tuple[int, Decimal]] = {}
        errors: list[tuple[int, str]] = []
        for line, row in enumerate(rows, 2):
            if line == 2 and not set(COLUMNS) <= set(row):
                raise ImportRejected(
                    f"the file needs the columns {','.join(COLUMNS)}; "
                    f"it has {','.join(str(k) for k in row)}",
                    code="ledger.bad_rate_file",
                )
            try:
                written, day, rate = parse_rate_row(row)
                code = _rated(found, declared, written)
            except HansaError as exc:
                errors.append((line, exc.message))
                continue
            if (code, day) in parsed:
                errors.append((line, f"{code} on {day} is given on line {parsed[code, day][0]}"))
                continue
            parsed[(code, day)] = (line, rate)
        _refuse(errors, bool(parsed))
        repo.set_rates(uow.conn, found.id, [(c, d, r) for (c, d), (_, r) in parsed.items()])
        days = sorted(d for _, d in parsed)
        result = RatesImported(
            len(parsed), tuple(sorted({c for c, _ in parsed})), days[0], days[-1]
        )
        audit.record(
            uow,
            actor,
            "ledger.fx.import",
            "fx_rate",
            found.code,
            after={
                "rates": result.count,
                "currencies": list(result.currencies),
                "first": result.first,
                "last": result.last,
            },
        )
        uow.commit()
    return result


def _refuse(errors: list[tuple[int, str]], any_good: bool) -> None:
    if not errors and any_good:
        return
    if not errors:
        raise ImportRejected("the file holds no rates", code="ledger.bad_rate_file")
    listed = "; ".join(f"line {line}: {reason}" for line, reason in errors[:_SHOWN_ERRORS])
    more = f"; and {len(errors) - _SHOWN_ERRORS} more" if len(errors) > _SHOWN_ERRORS else ""
    raise ImportRejected(
        f"{len(errors)} bad row{'s' if len(errors) > 1 else ''}, nothing imported: {listed}{more}",
        details={"errors": [{"line": line, "reason": reason} for line, reason in errors]},
    )


def convert(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    amount: Decimal,
    currency: str,
    day: date,
) -> Decimal:
    """*amount* of *currency* in the company currency at the rate of *day* (the latest
    on or before it), rounded to the company currency's minor unit with ROUND_HALF_UP:
    100 USD at 0.92345 is 92.345 EUR, which rounds to 92.35 EUR."""
    actor.require(READ)
    with uow:
        found = find_company(uow.conn, company)
        places = _places(found.base_currency)
        if currency.strip().upper() == found.base_currency:
            return quantize(amount, places)
        code = _rated(found, books_repo.all_commodities(uow.conn), currency)
        rate = required_rates(uow.conn, found.id, [code], day)[code]
    return to_base(amount, rate, places)


def _places(base: str) -> int:
    found = iso_currency(base)
    assert found is not None, "a company's currency is an ISO currency"
    return found.decimals
