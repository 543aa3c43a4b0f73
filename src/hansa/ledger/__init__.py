"""The general ledger: companies, charts, periods, journals, double-entry postings,
currencies and the reports built on them. The CLI and the API use only these names."""

from hansa.ledger.domain.accounts import CHARTS, Account, AccountType
from hansa.ledger.domain.commodities import Commodity
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.entries import Entry, EntryDraft, EntryState, Line, LineDraft
from hansa.ledger.domain.periods import FiscalYear, Period, PeriodState
from hansa.ledger.domain.reports import BalanceRow, Statement
from hansa.ledger.service import checks as _checks  # noqa: F401  (registers the checks)
from hansa.ledger.service.accounts import (
    add_account,
    archive_account,
    declare_commodity,
    get_account,
    list_accounts,
    list_commodities,
    update_account,
)
from hansa.ledger.service.companies import create_company, list_companies, set_lock_date
from hansa.ledger.service.entries import (
    delete_draft,
    get_entry,
    list_entries,
    post_draft,
    record_entry,
    reverse_entry,
)
from hansa.ledger.service.periods import list_periods, open_fiscal_year, set_period_state
from hansa.ledger.service.reports import balance_sheet, income_statement, trial_balance

__all__ = [
    "CHARTS",
    "Account",
    "AccountType",
    "BalanceRow",
    "Commodity",
    "Company",
    "Entry",
    "EntryDraft",
    "EntryState",
    "FiscalYear",
    "Line",
    "LineDraft",
    "Period",
    "PeriodState",
    "Statement",
    "add_account",
    "archive_account",
    "balance_sheet",
    "create_company",
    "declare_commodity",
    "delete_draft",
    "get_account",
    "get_entry",
    "income_statement",
    "list_accounts",
    "list_commodities",
    "list_companies",
    "list_entries",
    "list_periods",
    "open_fiscal_year",
    "post_draft",
    "record_entry",
    "reverse_entry",
    "set_lock_date",
    "set_period_state",
    "trial_balance",
    "update_account",
]
