"""Report rows (typed, pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class BalanceRow:
    """A balance: debit positive, credit negative."""

    account: str
    name: str
    type: str
    commodity: str
    balance: Decimal


@dataclass(frozen=True)
class Statement:
    """Balance sheet or income statement: rows, and totals per commodity per type."""

    title: str
    start: date | None
    end: date
    rows: tuple[BalanceRow, ...]
    totals: dict[str, dict[str, Decimal]]
    comparison: Statement | None = None


@dataclass(frozen=True)
class LedgerRow:
    """A posted line in the general ledger, with the account's running balance in its
    commodity (the opening balance is carried in as the first row of each account)."""

    account: str
    name: str
    date: date | None
    number: str | None
    narration: str
    partner: str | None
    commodity: str
    amount: Decimal
    balance: Decimal
