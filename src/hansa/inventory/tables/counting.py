"""Cycle counting and replenishment: each product's ABC class and purchase unit, and
the count sheets with their lines."""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata
from hansa.db.types import ExactDecimal, UTCDateTime
from hansa.inventory.tables import COMPANY, QTY_SCALE, VALUE_SCALE

PRODUCT = "inventory_products.id"

# A product's planning data, beside the product row so that an ABC run does not bump
# every product's version (and conflict with people editing products meanwhile).
product_plans = sa.Table(
    "inventory_product_plans",
    metadata,
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), primary_key=True),
    sa.Column("product_id", sa.Integer, sa.ForeignKey(PRODUCT), primary_key=True),
    sa.Column("abc_class", sa.String(1), nullable=True),
    sa.Column("abc_value", ExactDecimal(VALUE_SCALE), nullable=True),
    sa.Column("abc_date", sa.Date, nullable=True),  # of the analysis
    sa.Column("purchase_unit", sa.String(16), nullable=True),  # ordered in whole ones
)

count_sheets = sa.Table(
    "inventory_count_sheets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("warehouse_id", sa.Integer, sa.ForeignKey("inventory_warehouses.id"), nullable=True),
    sa.Column("count_date", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("posted_by", sa.String(100), nullable=True),
    sa.Column("posted_at", UTCDateTime(), nullable=True),
    sa.Index("ix_inventory_count_sheets_state", "company_id", "state"),
    info={"immutable": True},  # posted sheets: triggers refuse UPDATE and DELETE
)

count_lines = sa.Table(
    "inventory_count_lines",
    metadata,
    sa.Column("sheet_id", sa.Integer, sa.ForeignKey("inventory_count_sheets.id"), primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("product_id", sa.Integer, sa.ForeignKey(PRODUCT), nullable=False),
    sa.Column("location_id", sa.Integer, sa.ForeignKey("inventory_locations.id"), nullable=False),
    sa.Column("lot_id", sa.Integer, sa.ForeignKey("inventory_lots.id"), nullable=True),
    sa.Column("expected", ExactDecimal(QTY_SCALE), nullable=False),
    sa.Column("counted", ExactDecimal(QTY_SCALE), nullable=True),
    sa.Column("move_id", sa.Integer, sa.ForeignKey("inventory_moves.id"), nullable=True),
    sa.Index("ix_inventory_count_lines_product", "company_id", "product_id"),
    info={"immutable": True},  # lines of a posted sheet
)
