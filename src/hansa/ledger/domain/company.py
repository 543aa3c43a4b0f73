"""A company: a legal entity with its own books inside a tenant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hansa.ledger.errors import BadLedgerInput

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")

JOURNALS = (
    ("GEN", "General", "general"),
    ("SAL", "Sales", "sales"),
    ("PUR", "Purchases", "purchases"),
    ("BNK", "Bank", "bank"),
    ("CSH", "Cash", "cash"),
    ("STK", "Stock", "stock"),
)


@dataclass(frozen=True)
class Company:
    id: int
    code: str
    name: str
    base_currency: str
    fiscal_year_start_month: int
    lock_date: date | None
    tax_rounding: str
    version: int


def company_code_from(name: str) -> str:
    """A code derived from a name: 'Acme Trading GmbH' -> 'ACME'."""
    word = re.sub(r"[^A-Za-z0-9]", "", name.split()[0] if name.split() else "")
    return (word or "MAIN")[:16].upper()


def check_company_code(code: str) -> str:
    if not _CODE.match(code):
        raise BadLedgerInput(
            f"company code {code!r} must be 1-32 letters, digits, '_' or '-'",
            code="ledger.bad_company_code",
        )
    return code


def check_start_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise BadLedgerInput(
            "the fiscal year starts in a month from 1 to 12", code="ledger.bad_fiscal_start"
        )
    return month
