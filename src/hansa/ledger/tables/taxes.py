"""Tax codes and tax groups; tax lines are ledger lines tagged with their code.

A posted tax line carries ``tax_code`` and ``tax_base`` (columns of ``ledger_lines``),
so the tax report sums posted lines and needs no table of its own.
"""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata, version_column
from hansa.db.types import ExactDecimal
from hansa.ledger.tables import lines

RATE_SCALE = 6  # a rate is a percent with up to 6 decimals: 7.7 means 7.7 %

tax_codes = sa.Table(
    "ledger_tax_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("rate", ExactDecimal(RATE_SCALE), nullable=False),
    sa.Column("price_included", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("compound", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("ledger_accounts.id"), nullable=False),
    sa.Column("sequence", sa.Integer, nullable=False, server_default="10"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    version_column(),
    sa.UniqueConstraint("company_id", "code"),
)

tax_groups = sa.Table(
    "ledger_tax_groups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey("ledger_companies.id"), nullable=False),
    sa.Column("code", sa.String(32), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.UniqueConstraint("company_id", "code"),
)

tax_group_members = sa.Table(
    "ledger_tax_group_members",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("ledger_tax_groups.id"), primary_key=True),
    sa.Column("position", sa.SmallInteger, primary_key=True),
    sa.Column("tax_code_id", sa.Integer, sa.ForeignKey("ledger_tax_codes.id"), nullable=False),
    sa.UniqueConstraint("group_id", "tax_code_id"),
)

# The tax report reads only tax lines of a period; a partial index keeps it off the
# (far more numerous) other lines and costs nothing when they are written.
_TAX_LINE = lines.c.tax_code.is_not(None)
sa.Index(
    "ix_ledger_lines_tax",
    lines.c.company_id,
    lines.c.tax_code,
    lines.c.date,
    sqlite_where=_TAX_LINE,
    postgresql_where=_TAX_LINE,
)
