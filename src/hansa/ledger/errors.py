"""Errors of the ledger, each with a stable code."""

from __future__ import annotations

from hansa.kernel.errors import Conflict, InvalidInput, NotFound, RuleViolation


class CompanyNotFound(NotFound):
    default_code = "ledger.company_not_found"


class AccountNotFound(NotFound):
    default_code = "ledger.account_not_found"


class EntryNotFound(NotFound):
    default_code = "ledger.entry_not_found"


class JournalNotFound(NotFound):
    default_code = "ledger.journal_not_found"


class PeriodNotFound(NotFound):
    default_code = "ledger.period_not_found"


class DuplicateCode(Conflict):
    default_code = "ledger.duplicate_code"


class BadLedgerInput(InvalidInput):
    default_code = "ledger.bad_input"


class UnknownCommodity(InvalidInput):
    default_code = "ledger.unknown_commodity"


class UnbalancedEntry(RuleViolation):
    default_code = "ledger.unbalanced_entry"


class ClosedPeriod(RuleViolation):
    default_code = "ledger.closed_period"


class NoPeriod(RuleViolation):
    default_code = "ledger.no_period"


class AccountRuleViolation(RuleViolation):
    default_code = "ledger.account_rule"


class PostedEntryImmutable(RuleViolation):
    default_code = "ledger.posted_immutable"


class AlreadyReversed(RuleViolation):
    default_code = "ledger.already_reversed"


class PeriodStateViolation(RuleViolation):
    default_code = "ledger.period_state"


class ImportRejected(RuleViolation):
    default_code = "ledger.import_rejected"


class TaxCodeNotFound(NotFound):
    default_code = "ledger.tax_code_not_found"


class TaxRuleViolation(RuleViolation):
    """Taxes that cannot apply as asked (archived code, included after excluded...)."""

    default_code = "ledger.tax_rule"


class PartnerNotFound(NotFound):
    default_code = "ledger.partner_not_found"


class ReconciliationNotFound(NotFound):
    default_code = "ledger.reconciliation_not_found"


class MatchRefused(RuleViolation):
    """Lines that cannot be reconciled together (other account, partner, commodity...)."""

    default_code = "ledger.match_refused"


class DuplicateStatement(Conflict):
    default_code = "ledger.duplicate_statement"


class StatementLineNotFound(NotFound):
    default_code = "ledger.statement_line_not_found"


class DuplicateAssertion(Conflict):
    default_code = "ledger.duplicate_assertion"


class MissingRate(NotFound):
    default_code = "ledger.missing_rate"


class FiscalYearNotFound(NotFound):
    default_code = "ledger.year_not_found"


class DraftsOutstanding(RuleViolation):
    default_code = "ledger.year_has_drafts"
