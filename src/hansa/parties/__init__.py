"""Parties and CRM: customers, vendors, contacts, encrypted personal data, GDPR export
and erasure, leads, opportunities, activities. The CLI and the API use only these names."""

from hansa.parties.domain.crm import (
    Activity,
    ActivityKind,
    Lead,
    LeadStatus,
    Opportunity,
    PipelineRow,
    RfmScore,
    Sale,
    Stage,
    rfm,
)
from hansa.parties.domain.crypto import Keyring
from hansa.parties.domain.normalise import search_key
from hansa.parties.domain.parties import Contact, Party, PartyKind
from hansa.parties.errors import KeyringProblem, PartyHasHistory, PartyNotFound
from hansa.parties.service import checks as _checks  # noqa: F401  (registers the checks)
from hansa.parties.service.activities import activity_history, add_activity, complete_activity
from hansa.parties.service.changes import (
    add_contact,
    archive_party,
    delete_party,
    update_party,
)
from hansa.parties.service.gdpr import erase_lead, erase_party, export_personal_data
from hansa.parties.service.keys import reencrypt_fields, require_rotation
from hansa.parties.service.leads import add_lead, convert_lead, list_leads, set_lead_status
from hansa.parties.service.parties import (
    PartyPage,
    add_party,
    get_party,
    list_parties,
    search_parties,
)
from hansa.parties.service.pipeline import (
    add_opportunity,
    list_opportunities,
    list_stages,
    move_opportunity,
    pipeline_report,
    set_stage,
)
from hansa.parties.service.rfm import rfm_segments

__all__ = [
    "Activity",
    "ActivityKind",
    "Contact",
    "Keyring",
    "KeyringProblem",
    "Lead",
    "LeadStatus",
    "Opportunity",
    "Party",
    "PartyHasHistory",
    "PartyKind",
    "PartyNotFound",
    "PartyPage",
    "PipelineRow",
    "RfmScore",
    "Sale",
    "Stage",
    "activity_history",
    "add_activity",
    "add_contact",
    "add_lead",
    "add_opportunity",
    "add_party",
    "archive_party",
    "complete_activity",
    "convert_lead",
    "delete_party",
    "erase_lead",
    "erase_party",
    "export_personal_data",
    "get_party",
    "list_leads",
    "list_opportunities",
    "list_parties",
    "list_stages",
    "move_opportunity",
    "pipeline_report",
    "reencrypt_fields",
    "require_rotation",
    "rfm",
    "rfm_segments",
    "search_key",
    "search_parties",
    "set_lead_status",
    "set_stage",
    "update_party",
]
