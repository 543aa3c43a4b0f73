"""ledger: realised exchange differences on reconciliation, bank un-matching

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

Each reconciliation item now carries the company-currency value of what it matched;
existing items get their share of the line's weight (in proportion, rounded to the
company currency; none for a line weighing in another currency). An older
foreign-currency group matched at two rates then shows in ``hansa check`` as missing
its realised exchange difference, which it is. A statement line remembers the payment
entry its match posted, so un-matching can reverse it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

import hansa.db.types
from hansa.kernel.currencies import minor_units

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both engines: a batch rebuild of these tables fails on SQLite
    # while other rows reference them.
    op.add_column(
        "ledger_reconciliation_items",
        sa.Column("weight", hansa.db.types.ExactDecimal(6), server_default="0", nullable=False),
    )
    _backfill_weights()
    op.add_column("ledger_reconciliations", sa.Column("exchange_entry_id", sa.Integer()))
    op.add_column("ledger_bank_statement_lines", sa.Column("entry_id", sa.Integer()))


def _backfill_weights() -> None:
    amount = hansa.db.types.ExactDecimal(6)
    items = sa.table(
        "ledger_reconciliation_items",
        sa.column("reconciliation_id", sa.Integer),
        sa.column("line_id", sa.Integer),
        sa.column("amount", amount),
        sa.column("weight", amount),
    )
    lines = sa.table(
        "ledger_lines",
        sa.column("id", sa.Integer),
        sa.column("company_id", sa.Integer),
        sa.column("amount", amount),
        sa.column("weight", amount),
        sa.column("weight_currency", sa.String),
    )
    companies = sa.table(
        "ledger_companies", sa.column("id", sa.Integer), sa.column("base_currency", sa.String)
    )
    conn = op.get_bind()
    found = conn.execute(
        sa.select(
            items.c.reconciliation_id,
            items.c.line_id,
            items.c.amount,
            lines.c.amount.label("line_amount"),
            lines.c.weight.label("line_weight"),
            lines.c.weight_currency,
            companies.c.base_currency,
        )
        .join(lines, lines.c.id == items.c.line_id)
        .join(companies, companies.c.id == lines.c.company_id)
        .where(lines.c.weight_currency == companies.c.base_currency, lines.c.amount != 0)
    ).all()
    for r in found:
        unit = Decimal(1).scaleb(-(minor_units(r.base_currency) or 0))
        share = (r.line_weight * r.amount / r.line_amount).quantize(unit, ROUND_HALF_UP)
        conn.execute(
            items.update()
            .where(items.c.reconciliation_id == r.reconciliation_id, items.c.line_id == r.line_id)
            .values(weight=share)
        )


def downgrade() -> None:
    op.drop_column("ledger_bank_statement_lines", "entry_id")
    op.drop_column("ledger_reconciliations", "exchange_entry_id")
    op.drop_column("ledger_reconciliation_items", "weight")
