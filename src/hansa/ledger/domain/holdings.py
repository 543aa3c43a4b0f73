"""What an account holds: posted amounts and weights per commodity and weight currency.

Revaluation and the year-end close both start from these sums; a foreign-currency
holding's *weight* in the company currency is the value the books carry for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Holding:
    """The sums of posted lines of one account in one commodity, weighed in one
    currency: e.g. account 1010 holds 1000 USD weighing 920.00 EUR."""

    account: str
    commodity: str
    weight_currency: str
    amount: Decimal
    weight: Decimal
