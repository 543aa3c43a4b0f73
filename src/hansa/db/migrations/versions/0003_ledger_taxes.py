"""ledger taxes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hansa.db.types
from hansa.db.ddl import create_immutable_trigger, drop_immutable_trigger

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TAX_LINE = sa.text("tax_code IS NOT NULL")


def upgrade() -> None:
    op.create_table(
        "ledger_tax_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rate", hansa.db.types.ExactDecimal(6), nullable=False),
        sa.Column("price_included", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("compound", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default="10", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_ledger_tax_codes_account_id_ledger_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_tax_codes_company_id_ledger_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_tax_codes")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_ledger_tax_codes_company_id_code")),
    )
    op.create_table(
        "ledger_tax_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["ledger_companies.id"],
            name=op.f("fk_ledger_tax_groups_company_id_ledger_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_tax_groups")),
        sa.UniqueConstraint(
            "company_id", "code", name=op.f("uq_ledger_tax_groups_company_id_code")
        ),
    )
    op.create_table(
        "ledger_tax_group_members",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("tax_code_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["ledger_tax_groups.id"],
            name=op.f("fk_ledger_tax_group_members_group_id_ledger_tax_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["tax_code_id"],
            ["ledger_tax_codes.id"],
            name=op.f("fk_ledger_tax_group_members_tax_code_id_ledger_tax_codes"),
        ),
        sa.PrimaryKeyConstraint(
            "company_id", "group_id", "position", name=op.f("pk_ledger_tax_group_members")
        ),
        sa.UniqueConstraint(
            "group_id", "tax_code_id", name=op.f("uq_ledger_tax_group_members_group_id_tax_code_id")
        ),
    )
    # Adding nullable columns and an index is native ALTER on SQLite too, so the batch
    # does not rebuild the table and its immutability triggers stay in place.
    with op.batch_alter_table("ledger_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tax_code", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("tax_base", hansa.db.types.ExactDecimal(6), nullable=True))
        batch_op.create_index(
            "ix_ledger_lines_tax",
            ["company_id", "tax_code", "date"],
            unique=False,
            sqlite_where=_TAX_LINE,
            postgresql_where=_TAX_LINE,
        )


def downgrade() -> None:
    with op.batch_alter_table("ledger_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_lines_tax")
        batch_op.drop_column("tax_base")
        batch_op.drop_column("tax_code")
    if op.get_bind().dialect.name == "sqlite":
        # Dropping a column rebuilds the table on SQLite, which loses its triggers.
        drop_immutable_trigger("ledger_lines")
        create_immutable_trigger(
            "ledger_lines", "posted ledger lines are immutable", "OLD.posted IS TRUE"
        )
    op.drop_table("ledger_tax_group_members")
    op.drop_table("ledger_tax_groups")
    op.drop_table("ledger_tax_codes")
