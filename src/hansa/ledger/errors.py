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
