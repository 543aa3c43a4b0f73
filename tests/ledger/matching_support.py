"""Small books for the receivables, payables and bank tests (plain helpers)."""

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
CODE = "ACME"


def books(uows: Uows, code: str = CODE) -> str:
    """A EUR company on the standard chart (1010 bank, 1100 receivable and 2000 payable
    are reconcilable) with 2026 open."""
    ledger.create_company(
        uows(), SYSTEM, name=f"{code} GmbH", currency="EUR", code=code, year_of=date(2026, 1, 1)
    )
    return code


def line_on(entry: ledger.Entry, account: str) -> int:
    """The id of *entry*'s line on *account*."""
    return next(ln.id for ln in entry.lines if ln.account_code == account)


def invoice(
    uows: Uows,
    day: date,
    amount: str,
    partner: str = "Globex",
    due: date | None = None,
    reference: str | None = None,
    code: str = CODE,
) -> int:
    """A sale on credit: receivable 1100 / sales 4000; returns the receivable line."""
    entry = ledger.record_entry(
        uows(),
        SYSTEM,
        code,
        ledger.EntryDraft(
            "SAL",
            day,
            (
                ledger.LineDraft("1100", "EUR", D(amount), partner=partner, due_date=due),
                ledger.LineDraft("4000", "EUR", -D(amount)),
            ),
            f"Invoice {reference or ''}",
            partner,
            reference,
        ),
    )
    return line_on(entry, "1100")


def bill(uows: Uows, day: date, amount: str, partner: str, due: date | None = None) -> int:
    """A purchase on credit: expense 6300 / payable 2000; returns the payable line."""
    entry = ledger.record_entry(
        uows(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            "PUR",
            day,
            (
                ledger.LineDraft("6300", "EUR", D(amount)),
                ledger.LineDraft("2000", "EUR", -D(amount), partner=partner, due_date=due),
            ),
            "Bill",
            partner,
        ),
    )
    return line_on(entry, "2000")


def payment(uows: Uows, day: date, amount: str, partner: str = "Globex", code: str = CODE) -> int:
    """A customer's payment booked by hand: bank 1010 / receivable 1100; returns the
    receivable line."""
    entry = ledger.record_entry(
        uows(),
        SYSTEM,
        code,
        ledger.EntryDraft(
            "BNK",
            day,
            (
                ledger.LineDraft("1010", "EUR", D(amount)),
                ledger.LineDraft("1100", "EUR", -D(amount), partner=partner),
            ),
            "Payment",
            partner,
        ),
    )
    return line_on(entry, "1100")


def residuals(
    uows: Uows,
    code: str = CODE,
    account: str = "1100",
    partner: str | None = None,
    as_of: date | None = None,
) -> dict[int, Decimal]:
    """Open residual per line id of *account* (the receivables by default)."""
    found = ledger.open_items(uows(readonly=True), SYSTEM, code, account, partner, as_of)
    return {item.line_id: item.residual for item in found}


def balance(uows: Uows, account: str, as_of: date = date(2026, 12, 31)) -> Decimal:
    rows = ledger.trial_balance(uows(readonly=True), SYSTEM, CODE, as_of)
    return next((r.balance for r in rows if r.account == account), D(0))


def problems(uows: Uows, check: str) -> list[str]:
    """The messages of one integrity check."""
    (outcome,) = run_checks(uows(readonly=True), SYSTEM, [check])
    assert outcome.error is None, outcome.error
    return [p.message for p in outcome.problems]
