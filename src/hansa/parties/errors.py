"""Errors of parties and CRM, each with a stable code."""

from __future__ import annotations

from hansa.kernel.errors import ConfigurationError, InvalidInput, NotFound, RuleViolation


class PartyNotFound(NotFound):
    default_code = "parties.party_not_found"


class ContactNotFound(NotFound):
    default_code = "parties.contact_not_found"


class LeadNotFound(NotFound):
    default_code = "parties.lead_not_found"


class OpportunityNotFound(NotFound):
    default_code = "parties.opportunity_not_found"


class BadPartyInput(InvalidInput):
    default_code = "parties.bad_input"


class PartyHasHistory(RuleViolation):
    """A party that appears in the books or the CRM history can only be archived."""

    default_code = "parties.has_history"


class PartyRuleViolation(RuleViolation):
    default_code = "parties.rule"


class KeyringProblem(ConfigurationError):
    """The field-encryption keyring is missing, malformed or lacks a key a value needs."""

    default_code = "parties.keyring"
