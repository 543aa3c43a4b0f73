"""The tables of parties and CRM.

Columns ending in ``_enc`` hold AES-256-GCM ciphertext (``<key id>:<base64>``) and
columns ending in ``_hash`` the keyed hash of the normalised value, for exact search.
Names are searched through ``parties_name_words``: one row per word of the
accent- and case-free name of an active party, so a word-prefix search reads an index,
not every party.
"""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata, version_column
from hansa.db.types import ExactDecimal, UTCDateTime

AMOUNT_SCALE = 6
ENC = 1000  # room for an encrypted value (base64 of nonce + text + tag, plus key id)
HASH = 64

parties = sa.Table(
    "parties_parties",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),  # person | organisation
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("search_name", sa.String(200), nullable=False),
    sa.Column("first_name", sa.String(100), nullable=True),
    sa.Column("last_name", sa.String(100), nullable=True),
    sa.Column("organisation", sa.String(200), nullable=True),
    sa.Column("is_customer", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("is_vendor", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("email_enc", sa.String(ENC), nullable=True),
    sa.Column("email_hash", sa.String(HASH), nullable=True, index=True),
    sa.Column("phone_enc", sa.String(ENC), nullable=True),
    sa.Column("phone_hash", sa.String(HASH), nullable=True, index=True),
    sa.Column("billing_address_enc", sa.String(ENC), nullable=True),
    sa.Column("shipping_address_enc", sa.String(ENC), nullable=True),
    sa.Column("tax_id_enc", sa.String(ENC), nullable=True),
    sa.Column("tax_id_hash", sa.String(HASH), nullable=True, index=True),
    sa.Column("notes_enc", sa.Text, nullable=True),
    sa.Column("payment_terms_days", sa.Integer, nullable=False, server_default="0"),
    sa.Column("credit_limit", ExactDecimal(AMOUNT_SCALE), nullable=True),
    sa.Column("currency", sa.String(16), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("erased", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    version_column(),
    sa.Index("ix_parties_parties_search_name", "search_name"),
)

# One row per word of an *active* party's search name, with what a search filters and
# sorts on, so a name search reads this index alone (no lookup of every candidate).
name_words = sa.Table(
    "parties_name_words",
    metadata,
    sa.Column("party_id", sa.Integer, sa.ForeignKey("parties_parties.id"), primary_key=True),
    sa.Column("word", sa.String(100), primary_key=True),
    sa.Column("search_name", sa.String(200), nullable=False),
    sa.Column("is_customer", sa.Boolean, nullable=False),
    sa.Column("is_vendor", sa.Boolean, nullable=False),
    sa.Index(
        "ix_parties_name_words_word",
        "word",
        "search_name",
        "party_id",
        "is_customer",
        "is_vendor",
        postgresql_ops={"word": "text_pattern_ops"},
    ),
)


tags = sa.Table(
    "parties_tags",
    metadata,
    sa.Column("party_id", sa.Integer, sa.ForeignKey("parties_parties.id"), primary_key=True),
    sa.Column("tag", sa.String(64), primary_key=True),
    sa.Index("ix_parties_tags_tag", "tag"),
)

contacts = sa.Table(
    "parties_contacts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("party_id", sa.Integer, sa.ForeignKey("parties_parties.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(100), nullable=True),
    sa.Column("email_enc", sa.String(ENC), nullable=True),
    sa.Column("email_hash", sa.String(HASH), nullable=True, index=True),
    sa.Column("phone_enc", sa.String(ENC), nullable=True),
    sa.Column("phone_hash", sa.String(HASH), nullable=True),
    sa.Index("ix_parties_contacts_party", "party_id"),
)

# Customer (C) and vendor (V) numbers: one counter per prefix, taken under a row lock.
sequences = sa.Table(
    "parties_sequences",
    metadata,
    sa.Column("prefix", sa.String(8), primary_key=True),
    sa.Column("last_number", sa.Integer, nullable=False),
)

leads = sa.Table(
    "parties_leads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("organisation", sa.String(200), nullable=True),
    sa.Column("email_enc", sa.String(ENC), nullable=True),
    sa.Column("email_hash", sa.String(HASH), nullable=True, index=True),
    sa.Column("phone_enc", sa.String(ENC), nullable=True),
    sa.Column("source", sa.String(64), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),  # new|qualified|converted|lost
    sa.Column("party_id", sa.Integer, sa.ForeignKey("parties_parties.id"), nullable=True),
    sa.Column("owner", sa.String(64), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    version_column(),
)

stages = sa.Table(
    "parties_stages",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("sequence", sa.Integer, nullable=False),
    sa.Column("probability", sa.Integer, nullable=False),  # percent, 0..100
    sa.Column("outcome", sa.String(8), nullable=True),  # won | lost | NULL (open)
)

opportunities = sa.Table(
    "parties_opportunities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("party_id", sa.Integer, sa.ForeignKey("parties_parties.id"), nullable=True),
    sa.Column("lead_id", sa.Integer, sa.ForeignKey("parties_leads.id"), nullable=True),
    sa.Column("stage", sa.String(64), sa.ForeignKey("parties_stages.name"), nullable=False),
    sa.Column("expected_revenue", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("currency", sa.String(16), nullable=False),
    sa.Column("probability", sa.Integer, nullable=False),
    sa.Column("close_date", sa.Date, nullable=True),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    version_column(),
)

activities = sa.Table(
    "parties_activities",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # call|email|meeting|note|task
    sa.Column("subject_enc", sa.String(ENC), nullable=False),
    sa.Column("notes_enc", sa.Text, nullable=True),
    sa.Column("party_id", sa.Integer, sa.ForeignKey("parties_parties.id"), nullable=True),
    sa.Column("lead_id", sa.Integer, sa.ForeignKey("parties_leads.id"), nullable=True),
    sa.Column(
        "opportunity_id", sa.Integer, sa.ForeignKey("parties_opportunities.id"), nullable=True
    ),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime(), nullable=False),
    version_column(),
    sa.Index("ix_parties_activities_party", "party_id"),
    sa.Index("ix_parties_activities_lead", "lead_id"),
    sa.Index("ix_parties_activities_opportunity", "opportunity_id"),
)

# Every encrypted column, by table: what a key rotation re-encrypts.
ENCRYPTED = {
    table: [c.name for c in table.columns if c.name.endswith("_enc")]
    for table in (parties, contacts, leads, activities)
}
