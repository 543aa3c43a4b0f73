"""Account types, accounts and the chart templates."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hansa.ledger.errors import BadLedgerInput


class AccountType(StrEnum):
    asset = "asset"
    liability = "liability"
    equity = "equity"
    income = "income"
    expense = "expense"

    @property
    def is_balance_sheet(self) -> bool:
        return self in (AccountType.asset, AccountType.liability, AccountType.equity)


def parse_account_type(value: str) -> AccountType:
    """Accept the five types and their common synonyms (revenue, expenses...)."""
    text = value.strip().lower()
    synonyms = {
        "assets": "asset",
        "liabilities": "liability",
        "revenue": "income",
        "revenues": "income",
        "expenses": "expense",
        "capital": "equity",
    }
    text = synonyms.get(text, text)
    try:
        return AccountType(text)
    except ValueError:
        raise BadLedgerInput(
            f"unknown account type {value!r}: use asset, liability, equity, income or expense",
            code="ledger.bad_account_type",
        ) from None


@dataclass(frozen=True)
class Account:
    id: int
    company_id: int
    code: str
    name: str
    type: AccountType
    parent_id: int | None
    currency: str | None
    reconcilable: bool
    active: bool
    version: int = 1


def check_account_code(code: str) -> str:
    code = code.strip()
    if not code or len(code) > 64 or any(c.isspace() for c in code):
        raise BadLedgerInput(
            f"account code {code!r} must be 1-64 characters without spaces",
            code="ledger.bad_account_code",
        )
    return code


@dataclass(frozen=True)
class ChartLine:
    code: str
    name: str
    type: AccountType
    parent: str | None = None
    reconcilable: bool = False


def _chart(rows: str) -> tuple[ChartLine, ...]:
    result = []
    for raw in rows.strip().splitlines():
        code, name, type_, parent, reconcilable = (p.strip() for p in raw.split("|"))
        result.append(
            ChartLine(code, name, AccountType(type_), parent or None, reconcilable == "r")
        )
    return tuple(result)


CHARTS: dict[str, tuple[ChartLine, ...]] = {
    "minimal": _chart("""
        1000 | Cash and bank              | asset     |      |
        1100 | Accounts receivable        | asset     |      | r
        1200 | Inventory                  | asset     |      |
        2000 | Accounts payable           | liability |      | r
        2050 | Goods received not invoiced| liability |      |
        2100 | Taxes payable              | liability |      |
        3000 | Owner's equity             | equity    |      |
        3900 | Retained earnings          | equity    |      |
        4000 | Sales                      | income    |      |
        5000 | Cost of goods sold         | expense   |      |
        5100 | Inventory adjustments      | expense   |      |
        5200 | Scrap                      | expense   |      |
        6000 | Operating expenses         | expense   |      |
        7900 | Exchange differences       | expense   |      |
    """),
    "standard": _chart("""
        1    | Assets                     | asset     |      |
        10   | Current assets             | asset     | 1    |
        1000 | Cash                       | asset     | 10   |
        1010 | Bank                       | asset     | 10   | r
        1100 | Accounts receivable        | asset     | 10   | r
        1150 | Input tax receivable       | asset     | 10   |
        1200 | Inventory                  | asset     | 10   |
        1300 | Prepaid expenses           | asset     | 10   |
        15   | Fixed assets               | asset     | 1    |
        1500 | Equipment                  | asset     | 15   |
        1590 | Accumulated depreciation   | asset     | 15   |
        2    | Liabilities                | liability |      |
        2000 | Accounts payable           | liability | 2    | r
        2050 | Goods received not invoiced| liability | 2    |
        2100 | Output tax payable         | liability | 2    |
        2200 | Wages payable              | liability | 2    |
        2500 | Loans                      | liability | 2    |
        3    | Equity                     | equity    |      |
        3000 | Share capital              | equity    | 3    |
        3900 | Retained earnings          | equity    | 3    |
        4    | Income                     | income    |      |
        4000 | Sales                      | income    | 4    |
        4100 | Services                   | income    | 4    |
        4900 | Other income               | income    | 4    |
        5    | Cost of sales              | expense   |      |
        5000 | Cost of goods sold         | expense   | 5    |
        5100 | Inventory adjustments      | expense   | 5    |
        5200 | Scrap                      | expense   | 5    |
        6    | Operating expenses         | expense   |      |
        6000 | Wages and salaries         | expense   | 6    |
        6100 | Rent                       | expense   | 6    |
        6200 | Utilities                  | expense   | 6    |
        6300 | Office supplies            | expense   | 6    |
        6400 | Bank charges               | expense   | 6    |
        6500 | Depreciation               | expense   | 6    |
        7900 | Exchange differences       | expense   | 6    |
    """),
}

RETAINED_EARNINGS_CODE = "3900"
EXCHANGE_DIFFERENCES_CODE = "7900"
