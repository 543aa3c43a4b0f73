"""Small books for the currency and year-end tests (plain helpers, not fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from hansa import ledger
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.system import run_checks

Uows = Callable[..., UnitOfWork]
D = Decimal


def company(
    uows: Uows, currency: str = "EUR", code: str = "ACME", year_of: date = date(2026, 1, 1)
) -> str:
    ledger.create_company(
        uows(), SYSTEM, name=f"{code} Ltd", currency=currency, code=code, year_of=year_of
    )
    return code


def post(
    uows: Uows,
    day: date,
    *lines: tuple[str, str, str] | tuple[str, str, str, str, str],
    code: str = "ACME",
    journal: str = "GEN",
    draft: bool = False,
) -> ledger.Entry:
    """Lines as (account, amount, commodity) or (account, amount, commodity, weight,
    weight currency)."""
    drafts = tuple(
        ledger.LineDraft(ln[0], ln[2], D(ln[1]))
        if len(ln) == 3
        else ledger.LineDraft(ln[0], ln[2], D(ln[1]), D(ln[3]), ln[4])
        for ln in lines
    )
    entry = ledger.EntryDraft(journal, day, drafts, "test")
    return ledger.record_entry(uows(), SYSTEM, code, entry, post=not draft)


def balances(uows: Uows, as_of: date, code: str = "ACME") -> dict[tuple[str, str], Decimal]:
    return {
        (r.account, r.commodity): r.balance
        for r in ledger.trial_balance(uows(readonly=True), SYSTEM, code, as_of)
    }


def failing_checks(uows: Uows) -> list[str]:
    """Every ledger check that found a problem (empty when the books tie out)."""
    return [
        f"{o.name}: {[p.message for p in o.problems]}"
        for o in run_checks(uows(readonly=True), SYSTEM)
        if o.name.startswith("ledger.") and (o.problems or o.error)
    ]
