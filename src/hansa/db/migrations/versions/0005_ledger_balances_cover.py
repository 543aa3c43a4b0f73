"""ledger: covering index for the trial balance

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_ledger_balances_cover",
        "ledger_balances",
        ["company_id", "account_id", "commodity", "day", "amount"],
    )


def downgrade() -> None:
    op.drop_index("ix_ledger_balances_cover", table_name="ledger_balances")
