"""Reconciliation, bank statements and balance assertions.

Posted lines are immutable, so what is matched of a line lives here, beside it: a
reconciliation groups items (a line and the amount of it matched), and its items
always sum to zero. A line's open residual is its amount minus its matched items.
"""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata
from hansa.db.types import ExactDecimal, UTCDateTime
from hansa.ledger.tables import AMOUNT_SCALE

reconciliations = sa.Table(
    "ledger_reconciliations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), nullable=False),
    sa.Column("partner_id", sa.Integer, sa.ForeignKey("ledger_partners.id"), nullable=True),
    sa.Column("commodity", sa.String(16), nullable=False),
    # The latest date of its lines: from that day on the matched amounts count.
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("write_off_entry_id", sa.Integer, sa.ForeignKey("ledger_entries.id"), nullable=True),
    # The entry that posted the realised exchange difference of a foreign-currency group.
    # No foreign key, here and on bank_statement_lines.entry_id: posted entries are never
    # deleted (triggers), and adding one would rebuild the table on SQLite, which fails
    # while rows reference it.
    sa.Column("exchange_entry_id", sa.Integer, nullable=True),
    sa.Index("ix_ledger_reconciliations_company_account", "company_id", "account_id"),
)

reconciliation_items = sa.Table(
    "ledger_reconciliation_items",
    metadata,
    sa.Column(
        "reconciliation_id",
        sa.Integer,
        sa.ForeignKey("ledger_reconciliations.id"),
        primary_key=True,
    ),
    sa.Column("line_id", sa.Integer, sa.ForeignKey("ledger_lines.id"), primary_key=True),
    sa.Column("company_id", sa.Integer, nullable=False),
    sa.Column("amount", ExactDecimal(AMOUNT_SCALE), nullable=False),
    # The company-currency value of the matched amount (its share of the line's weight;
    # zero for a line that does not weigh in the company currency). A group's weights
    # net to zero too: a realised exchange difference is posted and matched with it.
    sa.Column("weight", ExactDecimal(AMOUNT_SCALE), nullable=False, server_default="0"),
    sa.Index("ix_ledger_reconciliation_items_line", "line_id"),
)

bank_statements = sa.Table(
    "ledger_bank_statements",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), nullable=False),
    sa.Column("imported_at", UTCDateTime(), nullable=False),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("file_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.UniqueConstraint("company_id", "sha256"),
)

# status: unmatched | matched. A matched statement line names the posted bank-account
# line it clears and, when matching posted a payment, the reconciliation it made.
bank_statement_lines = sa.Table(
    "ledger_bank_statement_lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "statement_id", sa.Integer, sa.ForeignKey("ledger_bank_statements.id"), nullable=False
    ),
    sa.Column("company_id", sa.Integer, nullable=False),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("amount", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("description", sa.String(500), nullable=False),
    sa.Column("reference", sa.String(140), nullable=True),
    sa.Column("line_id", sa.Integer, sa.ForeignKey("ledger_lines.id"), nullable=True),
    sa.Column(
        "reconciliation_id",
        sa.Integer,
        sa.ForeignKey("ledger_reconciliations.id"),
        nullable=True,
    ),
    sa.Column("status", sa.String(16), nullable=False, server_default="unmatched"),
    # The payment entry matching posted (none when it cleared a line already booked).
    sa.Column("entry_id", sa.Integer, nullable=True),
    sa.UniqueConstraint("statement_id", "line_no"),
    # A posted line is cleared by one statement line at most (NULLs do not collide).
    sa.Index("ix_ledger_bank_statement_lines_line", "line_id", unique=True),
)

balance_assertions = sa.Table(
    "ledger_balance_assertions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), nullable=False),
    sa.Column("commodity", sa.String(16), nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("amount", ExactDecimal(AMOUNT_SCALE), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.UniqueConstraint("company_id", "account_id", "commodity", "date"),
)
