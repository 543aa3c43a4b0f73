"""The ledger's tables (core: companies, accounts, periods, journals, entries, balances).

Every key starts with the company, so a tenant can be sharded by company (Citus)
without changing a query. Other areas keep their tables in modules beside this one."""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata, version_column
from hansa.db.types import ExactDecimal, UTCDateTime

AMOUNT_SCALE = 6  # decimals stored for amounts of any commodity (currencies use <= 4)

companies = sa.Table(
    "ledger_companies",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("base_currency", sa.String(16), nullable=False),
    sa.Column("fiscal_year_start_month", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("lock_date", sa.Date, nullable=True),
    sa.Column("tax_rounding", sa.String(16), nullable=False, server_default="line"),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    version_column(),
    # A random value that database triggers replace whenever the company's accounts,
    # journals, fiscal years or periods (or any commodity) change: posting keeps what
    # it loads of the books while the stamp it reads with the company is unchanged.
    sa.Column("books_stamp", sa.BigInteger, nullable=False, server_default="0"),
)

commodities = sa.Table(
    "ledger_commodities",
    metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("decimals", sa.SmallInteger, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # currency | commodity
)

accounts = sa.Table(
    "ledger_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), nullable=True),
    sa.Column("currency", sa.String(16), nullable=True),
    sa.Column("reconcilable", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    version_column(),
    sa.UniqueConstraint("company_id", "code"),
)

fiscal_years = sa.Table(
    "ledger_fiscal_years",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("name", sa.String(32), nullable=False),
    sa.Column("start", sa.Date, nullable=False),
    sa.Column("end", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, server_default="open"),
    sa.UniqueConstraint("company_id", "start"),
)

periods = sa.Table(
    "ledger_periods",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column(
        "fiscal_year_id", sa.Integer, sa.ForeignKey("ledger_fiscal_years.id"), nullable=False
    ),
    sa.Column("name", sa.String(32), nullable=False),
    sa.Column("start", sa.Date, nullable=False),
    sa.Column("end", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, server_default="open"),
    version_column(),
    sa.UniqueConstraint("company_id", "start"),
)

journals = sa.Table(
    "ledger_journals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.UniqueConstraint("company_id", "code"),
)

# Gapless numbering: one counter per journal and fiscal year, taken under a row lock
# in the posting transaction, so a rolled-back posting gives its number back.
sequences = sa.Table(
    "ledger_sequences",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("journal_id", sa.Integer, sa.ForeignKey("ledger_journals.id"), primary_key=True),
    sa.Column(
        "fiscal_year_id", sa.Integer, sa.ForeignKey("ledger_fiscal_years.id"), primary_key=True
    ),
    sa.Column("last_number", sa.Integer, nullable=False),
)

partners = sa.Table(
    "ledger_partners",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.UniqueConstraint("company_id", "name"),
)

entries = sa.Table(
    "ledger_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("journal_id", sa.Integer, sa.ForeignKey("ledger_journals.id"), nullable=False),
    sa.Column("number", sa.String(40), nullable=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # draft | posted
    sa.Column("narration", sa.String(500), nullable=False),
    sa.Column("partner_id", sa.Integer, sa.ForeignKey("ledger_partners.id"), nullable=True),
    sa.Column("reference", sa.String(100), nullable=True),
    sa.Column("reversal_of", sa.Integer, sa.ForeignKey("ledger_entries.id"), nullable=True),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("posted_at", UTCDateTime(), nullable=True),
    version_column(),
    sa.UniqueConstraint("company_id", "journal_id", "number"),
    sa.Index("ix_ledger_entries_company_date", "company_id", "date"),
    info={"immutable": True},  # posted entries: triggers refuse UPDATE and DELETE
)

# Which entry reversed which: kept apart from the immutable posted entry row.
reversals = sa.Table(
    "ledger_reversals",
    metadata,
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("ledger_entries.id"), primary_key=True),
    sa.Column(
        "reversed_by", sa.Integer, sa.ForeignKey("ledger_entries.id"), nullable=False, unique=True
    ),
)

lines = sa.Table(
    "ledger_lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("ledger_entries.id"), nullable=False),
    sa.Column("company_id", sa.Integer, nullable=False),
    sa.Column("line_no", sa.SmallInteger, nullable=False),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("commodity", sa.String(16), nullable=False),
    sa.Column("amount", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("weight_currency", sa.String(16), nullable=False),
    sa.Column("weight", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("posted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("partner_id", sa.Integer, sa.ForeignKey("ledger_partners.id"), nullable=True),
    sa.Column("due_date", sa.Date, nullable=True),
    sa.Column("description", sa.String(500), nullable=True),
    sa.Column("cost_center", sa.String(64), nullable=True),
    sa.Column("tax_code", sa.String(32), nullable=True),  # tax lines: see tables/taxes.py
    sa.Column("tax_base", ExactDecimal(AMOUNT_SCALE), nullable=True),
    sa.Index("ix_ledger_lines_entry", "entry_id"),
    sa.Index("ix_ledger_lines_account_date", "company_id", "account_id", "date"),
    info={"immutable": True},  # posted lines: triggers refuse UPDATE and DELETE
)

# Posted amounts per account, commodity, weight currency and day, maintained in the
# posting transaction; a trial balance reads these instead of every line. The check
# ``ledger.balances_match_lines`` proves them equal to the sum of posted lines.
balances = sa.Table(
    "ledger_balances",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), primary_key=True),
    sa.Column("commodity", sa.String(16), primary_key=True),
    sa.Column("weight_currency", sa.String(16), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("amount", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("weight", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
    sa.Index("ix_ledger_balances_company_day", "company_id", "day"),
    # Covers the trial balance (sum of amount by account and commodity up to a day), so
    # it reads the index alone: 205 ms -> 40 ms on 10 million lines (bench/).
    sa.Index("ix_ledger_balances_cover", "company_id", "account_id", "commodity", "day", "amount"),
)

fx_rates = sa.Table(
    "ledger_fx_rates",
    metadata,
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), primary_key=True),
    sa.Column("currency", sa.String(16), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("rate", ExactDecimal(10), nullable=False),  # base units per 1 currency unit
)

# Migration 0007's triggers renew the company's books stamp whenever these tables change
# (posting keeps what it loaded of them while the stamp is unchanged); the schema check
# reports one that is missing or disabled, which would leave posting with stale books.
for _table in (accounts, journals, fiscal_years, periods, commodities):
    _table.info["triggers"] = {
        "sqlite": tuple(f"{_table.name}_books_{verb}" for verb in ("insert", "update", "delete")),
        "postgresql": (f"{_table.name}_books",),
    }
