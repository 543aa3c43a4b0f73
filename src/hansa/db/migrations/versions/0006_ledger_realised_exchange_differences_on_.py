"""ledger: realised exchange differences on reconciliation, bank un-matching

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

Existing reconciliation items get a weight of zero (their groups net to zero as before);
from now on each item carries the company-currency value of what it matched. A
statement line remembers the payment entry its match posted, so un-matching can
reverse it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hansa.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_reconciliation_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("weight", hansa.db.types.ExactDecimal(6), server_default="0", nullable=False)
        )
    with op.batch_alter_table("ledger_reconciliations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exchange_entry_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ledger_reconciliations_exchange_entry_id_ledger_entries"),
            "ledger_entries",
            ["exchange_entry_id"],
            ["id"],
        )

    with op.batch_alter_table("ledger_bank_statement_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entry_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ledger_bank_statement_lines_entry_id_ledger_entries"),
            "ledger_entries",
            ["entry_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_bank_statement_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ledger_bank_statement_lines_entry_id_ledger_entries"),
            type_="foreignkey",
        )
        batch_op.drop_column("entry_id")
    with op.batch_alter_table("ledger_reconciliations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ledger_reconciliations_exchange_entry_id_ledger_entries"),
            type_="foreignkey",
        )
        batch_op.drop_column("exchange_entry_id")
    with op.batch_alter_table("ledger_reconciliation_items", schema=None) as batch_op:
        batch_op.drop_column("weight")
