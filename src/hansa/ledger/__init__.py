"""The general ledger: companies, charts, periods, journals, double-entry postings,
currencies and the reports built on them. The CLI and the API use only these names."""

from hansa.ledger.domain.accounts import CHARTS, Account, AccountType
from hansa.ledger.domain.bank import (
    BalanceAssertion,
    BankMatch,
    BankMatching,
    BankStatement,
    BankStatementLine,
    BankSuggestion,
)
from hansa.ledger.domain.commodities import Commodity
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.entries import Entry, EntryDraft, EntryState, Line, LineDraft
from hansa.ledger.domain.fx import FxRate, Revaluation, RevaluationResult
from hansa.ledger.domain.interchange import (
    ACCOUNTS_HEADER,
    JOURNAL_HEADER,
    ImportSummary,
    Rejection,
    interchange_kind,
    read_interchange,
)
from hansa.ledger.domain.matching import (
    AgingReport,
    AgingRow,
    OpenItem,
    PartnerLedger,
    PartnerLedgerRow,
    Reconciliation,
)
from hansa.ledger.domain.periods import FiscalYear, Period, PeriodState
from hansa.ledger.domain.reports import BalanceRow, LedgerRow, Statement
from hansa.ledger.domain.taxes import (
    TaxableLine,
    TaxCode,
    TaxComputation,
    TaxGroup,
    TaxReportRow,
    TaxRounding,
    TaxTotal,
    tax_lines,
)
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
from hansa.ledger.service.assertions import assert_balance
from hansa.ledger.service.bank import (
    bank_suggestions,
    import_bank_statement,
    list_statement_lines,
    match_bank_line,
    match_bank_lines,
)
from hansa.ledger.service.companies import create_company, list_companies, set_lock_date
from hansa.ledger.service.entries import (
    delete_draft,
    get_entry,
    list_entries,
    post_draft,
    post_within,
    record_entry,
    reverse_entry,
)
from hansa.ledger.service.fx import (
    RatesImported,
    convert,
    import_rates,
    list_rates,
    set_rate,
)
from hansa.ledger.service.interchange import (
    export_accounts,
    export_journal,
    import_accounts,
    import_journal,
)
from hansa.ledger.service.lookups import account_totals, accounts_in, company_in
from hansa.ledger.service.matching import (
    aging,
    open_items,
    partner_ledger,
    reconcile,
    unreconcile,
)
from hansa.ledger.service.periods import list_periods, open_fiscal_year, set_period_state
from hansa.ledger.service.posting import Stored
from hansa.ledger.service.reports import (
    balance_sheet,
    general_ledger,
    income_statement,
    trial_balance,
)
from hansa.ledger.service.revaluation import revalue
from hansa.ledger.service.taxes import (
    add_tax_code,
    add_tax_group,
    archive_tax_code,
    compute_taxes,
    list_tax_codes,
    list_tax_groups,
    set_tax_rounding,
    tax_report,
    update_tax_code,
)
from hansa.ledger.service.year_end import YearClosing, close_fiscal_year

__all__ = [
    "ACCOUNTS_HEADER",
    "CHARTS",
    "JOURNAL_HEADER",
    "Account",
    "AccountType",
    "AgingReport",
    "AgingRow",
    "BalanceAssertion",
    "BalanceRow",
    "BankMatch",
    "BankMatching",
    "BankStatement",
    "BankStatementLine",
    "BankSuggestion",
    "Commodity",
    "Company",
    "Entry",
    "EntryDraft",
    "EntryState",
    "FiscalYear",
    "FxRate",
    "ImportSummary",
    "LedgerRow",
    "Line",
    "LineDraft",
    "OpenItem",
    "PartnerLedger",
    "PartnerLedgerRow",
    "Period",
    "PeriodState",
    "RatesImported",
    "Reconciliation",
    "Rejection",
    "Revaluation",
    "RevaluationResult",
    "Statement",
    "Stored",
    "TaxCode",
    "TaxComputation",
    "TaxGroup",
    "TaxReportRow",
    "TaxRounding",
    "TaxTotal",
    "TaxableLine",
    "YearClosing",
    "account_totals",
    "accounts_in",
    "add_account",
    "add_tax_code",
    "add_tax_group",
    "aging",
    "archive_account",
    "archive_tax_code",
    "assert_balance",
    "balance_sheet",
    "bank_suggestions",
    "close_fiscal_year",
    "company_in",
    "compute_taxes",
    "convert",
    "create_company",
    "declare_commodity",
    "delete_draft",
    "export_accounts",
    "export_journal",
    "general_ledger",
    "get_account",
    "get_entry",
    "import_accounts",
    "import_bank_statement",
    "import_journal",
    "import_rates",
    "income_statement",
    "interchange_kind",
    "list_accounts",
    "list_commodities",
    "list_companies",
    "list_entries",
    "list_periods",
    "list_rates",
    "list_statement_lines",
    "list_tax_codes",
    "list_tax_groups",
    "match_bank_line",
    "match_bank_lines",
    "open_fiscal_year",
    "open_items",
    "partner_ledger",
    "post_draft",
    "post_within",
    "read_interchange",
    "reconcile",
    "record_entry",
    "revalue",
    "reverse_entry",
    "set_lock_date",
    "set_period_state",
    "set_rate",
    "set_tax_rounding",
    "tax_lines",
    "tax_report",
    "trial_balance",
    "unreconcile",
    "update_account",
    "update_tax_code",
]
