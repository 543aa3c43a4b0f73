"""ledger receivables, payables and bank

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hansa.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "ledger_reconciliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("commodity", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_at", hansa.db.types.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("write_off_entry_id", sa.Integer(), nullable=True),
        _fk("ledger_reconciliations", "company_id", "ledger_companies"),
        _fk("ledger_reconciliations", "account_id", "ledger_accounts"),
        _fk("ledger_reconciliations", "partner_id", "ledger_partners"),
        _fk("ledger_reconciliations", "write_off_entry_id", "ledger_entries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_reconciliations")),
    )
    op.create_index(
        "ix_ledger_reconciliations_company_account",
        "ledger_reconciliations",
        ["company_id", "account_id"],
    )
    op.create_table(
        "ledger_reconciliation_items",
        sa.Column("reconciliation_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("amount", hansa.db.types.ExactDecimal(6), nullable=False),
        _fk("ledger_reconciliation_items", "reconciliation_id", "ledger_reconciliations"),
        _fk("ledger_reconciliation_items", "line_id", "ledger_lines"),
        sa.PrimaryKeyConstraint(
            "reconciliation_id", "line_id", name=op.f("pk_ledger_reconciliation_items")
        ),
    )
    op.create_index(
        "ix_ledger_reconciliation_items_line", "ledger_reconciliation_items", ["line_id"]
    )
    op.create_table(
        "ledger_bank_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", hansa.db.types.UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        _fk("ledger_bank_statements", "company_id", "ledger_companies"),
        _fk("ledger_bank_statements", "account_id", "ledger_accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_bank_statements")),
        sa.UniqueConstraint(
            "company_id", "sha256", name=op.f("uq_ledger_bank_statements_company_id_sha256")
        ),
    )
    op.create_table(
        "ledger_bank_statement_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", hansa.db.types.ExactDecimal(6), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.String(length=140), nullable=True),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("reconciliation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="unmatched", nullable=False),
        _fk("ledger_bank_statement_lines", "statement_id", "ledger_bank_statements"),
        _fk("ledger_bank_statement_lines", "line_id", "ledger_lines"),
        _fk("ledger_bank_statement_lines", "reconciliation_id", "ledger_reconciliations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_bank_statement_lines")),
        sa.UniqueConstraint(
            "statement_id",
            "line_no",
            name=op.f("uq_ledger_bank_statement_lines_statement_id_line_no"),
        ),
    )
    op.create_index(
        "ix_ledger_bank_statement_lines_line",
        "ledger_bank_statement_lines",
        ["line_id"],
        unique=True,
    )
    op.create_table(
        "ledger_balance_assertions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("commodity", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", hansa.db.types.ExactDecimal(6), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", hansa.db.types.UTCDateTime(), nullable=False),
        _fk("ledger_balance_assertions", "company_id", "ledger_companies"),
        _fk("ledger_balance_assertions", "account_id", "ledger_accounts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_balance_assertions")),
        sa.UniqueConstraint(
            "company_id",
            "account_id",
            "commodity",
            "date",
            name=op.f("uq_ledger_balance_assertions_company_id_account_id_commodity_date"),
        ),
    )


def downgrade() -> None:
    op.drop_table("ledger_balance_assertions")
    op.drop_index("ix_ledger_bank_statement_lines_line", table_name="ledger_bank_statement_lines")
    op.drop_table("ledger_bank_statement_lines")
    op.drop_table("ledger_bank_statements")
    op.drop_index("ix_ledger_reconciliation_items_line", table_name="ledger_reconciliation_items")
    op.drop_table("ledger_reconciliation_items")
    op.drop_index("ix_ledger_reconciliations_company_account", table_name="ledger_reconciliations")
    op.drop_table("ledger_reconciliations")
