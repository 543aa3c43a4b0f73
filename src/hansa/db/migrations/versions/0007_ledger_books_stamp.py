"""ledger: a books stamp on companies, replaced by triggers when the books change

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

# ruff: noqa: S608  (DDL built from constants; no value comes from a user)

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The tables whose rows posting loads once and keeps (see hansa.ledger.service.books).
COMPANY_TABLES = ("ledger_accounts", "ledger_journals", "ledger_fiscal_years", "ledger_periods")
RANDOM = {"sqlite": "random()", "postgresql": "floor(random() * 9.0e18)::bigint"}


def upgrade() -> None:
    # Plain ALTER TABLE on both engines: a SQLite table rebuild would trip the foreign
    # keys that point at the companies.
    op.add_column(
        "ledger_companies",
        sa.Column("books_stamp", sa.BigInteger(), server_default="0", nullable=False),
    )
    dialect = op.get_bind().dialect.name
    stamp = f"books_stamp = {RANDOM[dialect]}"
    op.execute(f"UPDATE ledger_companies SET {stamp}")
    if dialect == "sqlite":
        for table in COMPANY_TABLES:
            for verb, ids in (
                ("INSERT", "NEW.company_id"),
                ("UPDATE", "OLD.company_id, NEW.company_id"),
                ("DELETE", "OLD.company_id"),
            ):
                op.execute(
                    f"CREATE TRIGGER {table}_books_{verb.lower()} AFTER {verb} ON {table} "
                    f"BEGIN UPDATE ledger_companies SET {stamp} WHERE id IN ({ids}); END"
                )
        for verb in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER ledger_commodities_books_{verb.lower()} AFTER {verb} "
                f"ON ledger_commodities BEGIN UPDATE ledger_companies SET {stamp}; END"
            )
        return
    op.execute(
        "CREATE FUNCTION ledger_books_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN UPDATE ledger_companies SET {stamp} "
        "WHERE id = OLD.company_id; END IF; "
        f"IF TG_OP <> 'DELETE' THEN UPDATE ledger_companies SET {stamp} "
        "WHERE id = NEW.company_id; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE FUNCTION ledger_commodities_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN UPDATE ledger_companies SET {stamp}; RETURN NULL; END $$"
    )
    for table in COMPANY_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_books AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_books_changed()"
        )
    op.execute(
        "CREATE TRIGGER ledger_commodities_books AFTER INSERT OR UPDATE OR DELETE "
        "ON ledger_commodities FOR EACH STATEMENT EXECUTE FUNCTION ledger_commodities_changed()"
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in (*COMPANY_TABLES, "ledger_commodities"):
            for verb in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_books_{verb}")
    else:
        for table in (*COMPANY_TABLES, "ledger_commodities"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_books ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ledger_books_changed()")
        op.execute("DROP FUNCTION IF EXISTS ledger_commodities_changed()")
    op.drop_column("ledger_companies", "books_stamp")
