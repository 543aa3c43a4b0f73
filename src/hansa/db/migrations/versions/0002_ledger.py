"""ledger: companies, accounts, periods, journals, entries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hansa.db.types
from hansa.db.ddl import create_immutable_trigger, drop_immutable_trigger

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_commodities",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("decimals", sa.SmallInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_ledger_commodities")),
    )
    op.create_table(
        "ledger_companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("base_currency", sa.String(length=16), nullable=False),
        sa.Column("fiscal_year_start_month", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("lock_date", sa.Date(), nullable=True),
        sa.Column("tax_rounding", sa.String(length=16), server_default="line", nullable=False),
        sa.Column("created_at", hansa.db.types.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_companies")),
        sa.UniqueConstraint("code", name=op.f("uq_ledger_companies_code")),
    )
    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=16), nullable=True),
        sa.Column("reconcilable", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_accounts_company_id_ledger_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_accounts_parent_id_ledger_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_ledger_accounts_company_id_code")),
    )
    op.create_table(
        "ledger_fiscal_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="open", nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_fiscal_years_company_id_ledger_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_fiscal_years")),
        sa.UniqueConstraint(
            "company_id", "start", name=op.f("uq_ledger_fiscal_years_company_id_start")
        ),
    )
    op.create_table(
        "ledger_fx_rates",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rate", hansa.db.types.ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_fx_rates_company_id_ledger_companies"),
        ),
        sa.PrimaryKeyConstraint("company_id", "currency", "day", name=op.f("pk_ledger_fx_rates")),
    )
    op.create_table(
        "ledger_journals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_journals_company_id_ledger_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_journals")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_ledger_journals_company_id_code")),
    )
    op.create_table(
        "ledger_partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_partners_company_id_ledger_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_partners")),
        sa.UniqueConstraint("company_id", "name", name=op.f("uq_ledger_partners_company_id_name")),
    )
    op.create_table(
        "ledger_balances",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("commodity", sa.String(length=16), nullable=False),
        sa.Column("weight_currency", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", hansa.db.types.ExactDecimal(), nullable=False),
        sa.Column("weight", hansa.db.types.ExactDecimal(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_balances_account_id_ledger_accounts"),
        ),
        sa.PrimaryKeyConstraint(
            "company_id",
            "account_id",
            "commodity",
            "weight_currency",
            "day",
            name=op.f("pk_ledger_balances"),
        ),
    )
    with op.batch_alter_table("ledger_balances", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_balances_company_day", ["company_id", "day"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("narration", sa.String(length=500), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("reversal_of", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", hansa.db.types.UTCDateTime(), nullable=False),
        sa.Column("posted_at", hansa.db.types.UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_entries_company_id_ledger_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["ledger_journals.id"],
            name=op.f("fk_ledger_entries_journal_id_ledger_journals"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["ledger_partners.id"],
            name=op.f("fk_ledger_entries_partner_id_ledger_partners"),
        ),
        sa.ForeignKeyConstraint(
            ["reversal_of"],
            ["ledger_entries.id"],
            name=op.f("fk_ledger_entries_reversal_of_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint(
            "company_id",
            "journal_id",
            "number",
            name=op.f("uq_ledger_entries_company_id_journal_id_number"),
        ),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_entries_company_date", ["company_id", "date"], unique=False
        )

    op.create_table(
        "ledger_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_periods_company_id_ledger_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["fiscal_year_id"],
            ["ledger_fiscal_years.id"],
            name=op.f("fk_ledger_periods_fiscal_year_id_ledger_fiscal_years"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_periods")),
        sa.UniqueConstraint("company_id", "start", name=op.f("uq_ledger_periods_company_id_start")),
    )
    op.create_table(
        "ledger_sequences",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("journal_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year_id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fiscal_year_id"],
            ["ledger_fiscal_years.id"],
            name=op.f("fk_ledger_sequences_fiscal_year_id_ledger_fiscal_years"),
        ),
        sa.ForeignKeyConstraint(
            ["journal_id"],
            ["ledger_journals.id"],
            name=op.f("fk_ledger_sequences_journal_id_ledger_journals"),
        ),
        sa.PrimaryKeyConstraint(
            "company_id", "journal_id", "fiscal_year_id", name=op.f("pk_ledger_sequences")
        ),
    )
    op.create_table(
        "ledger_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.SmallInteger(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("commodity", sa.String(length=16), nullable=False),
        sa.Column("amount", hansa.db.types.ExactDecimal(), nullable=False),
        sa.Column("weight_currency", sa.String(length=16), nullable=False),
        sa.Column("weight", hansa.db.types.ExactDecimal(), nullable=False),
        sa.Column("posted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("cost_center", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_lines_account_id_ledger_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_ledger_lines_entry_id_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["ledger_partners.id"],
            name=op.f("fk_ledger_lines_partner_id_ledger_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_lines")),
    )
    with op.batch_alter_table("ledger_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_lines_account_date", ["company_id", "account_id", "date"], unique=False
        )
        batch_op.create_index("ix_ledger_lines_entry", ["entry_id"], unique=False)

    op.create_table(
        "ledger_reversals",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("reversed_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["ledger_entries.id"],
            name=op.f("fk_ledger_reversals_entry_id_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["reversed_by"],
            ["ledger_entries.id"],
            name=op.f("fk_ledger_reversals_reversed_by_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_ledger_reversals")),
        sa.UniqueConstraint("reversed_by", name=op.f("uq_ledger_reversals_reversed_by")),
    )
    # Posted entries and their lines are immutable in the database too.
    create_immutable_trigger(
        "ledger_entries", "posted ledger entries are immutable", "OLD.state = 'posted'"
    )
    create_immutable_trigger(
        "ledger_lines", "posted ledger lines are immutable", "OLD.posted IS TRUE"
    )


def downgrade() -> None:
    drop_immutable_trigger("ledger_lines")
    drop_immutable_trigger("ledger_entries")
    op.drop_table("ledger_reversals")
    with op.batch_alter_table("ledger_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_lines_entry")
        batch_op.drop_index("ix_ledger_lines_account_date")

    op.drop_table("ledger_lines")
    op.drop_table("ledger_sequences")
    op.drop_table("ledger_periods")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_entries_company_date")

    op.drop_table("ledger_entries")
    with op.batch_alter_table("ledger_balances", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_balances_company_day")

    op.drop_table("ledger_balances")
    op.drop_table("ledger_partners")
    op.drop_table("ledger_journals")
    op.drop_table("ledger_fx_rates")
    op.drop_table("ledger_fiscal_years")
    op.drop_table("ledger_accounts")
    op.drop_table("ledger_companies")
    op.drop_table("ledger_commodities")
