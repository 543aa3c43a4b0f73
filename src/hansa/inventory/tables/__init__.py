"""The inventory's tables. Every key starts with the company (shardable by company);
quantities and values are exact scaled integers (``ExactDecimal``)."""

from __future__ import annotations

import sqlalchemy as sa

from hansa.db.metadata import metadata, version_column
from hansa.db.types import ExactDecimal, UTCDateTime

QTY_SCALE = 6
VALUE_SCALE = 6
COMPANY = "ledger_companies.id"

categories = sa.Table(
    "inventory_categories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("valuation", sa.String(16), nullable=False),
    sa.Column("inventory_account", sa.String(64), nullable=False),
    sa.Column("received_account", sa.String(64), nullable=False),
    sa.Column("cost_of_sales_account", sa.String(64), nullable=False),
    sa.Column("adjustment_account", sa.String(64), nullable=False),
    sa.Column("scrap_account", sa.String(64), nullable=False),
    sa.Column("cost_percent", ExactDecimal(4), nullable=True),
    version_column(),
    sa.UniqueConstraint("company_id", "code"),
)

products = sa.Table(
    "inventory_products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.String(2000), nullable=False),
    sa.Column("category_id", sa.Integer, sa.ForeignKey("inventory_categories.id"), nullable=False),
    sa.Column("unit", sa.String(16), nullable=False, server_default="unit"),
    sa.Column("price", ExactDecimal(VALUE_SCALE), nullable=False),
    sa.Column("cost", ExactDecimal(VALUE_SCALE), nullable=False),
    sa.Column("tracking", sa.String(16), nullable=False, server_default="none"),
    sa.Column("shelf_life_days", sa.Integer, nullable=True),
    sa.Column("reorder_min", ExactDecimal(QTY_SCALE), nullable=True),
    sa.Column("reorder_max", ExactDecimal(QTY_SCALE), nullable=True),
    sa.Column("lead_time_days", sa.Integer, nullable=True),
    sa.Column("allow_negative", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    version_column(),
    sa.UniqueConstraint("company_id", "sku"),
    sa.Index("ix_inventory_products_category", "company_id", "category_id"),
)

units = sa.Table(
    "inventory_units",
    metadata,
    sa.Column("product_id", sa.Integer, sa.ForeignKey("inventory_products.id"), primary_key=True),
    sa.Column("name", sa.String(16), primary_key=True),
    sa.Column("factor", ExactDecimal(QTY_SCALE), nullable=False),
)

warehouses = sa.Table(
    "inventory_warehouses",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("company_id", "code"),
)

locations = sa.Table(
    "inventory_locations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("code", sa.String(200), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("warehouse_id", sa.Integer, sa.ForeignKey("inventory_warehouses.id"), nullable=True),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("inventory_locations.id"), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.UniqueConstraint("company_id", "code"),
)

lots = sa.Table(
    "inventory_lots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("product_id", sa.Integer, sa.ForeignKey("inventory_products.id"), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("expiry", sa.Date, nullable=True),
    sa.UniqueConstraint("company_id", "product_id", "code"),
    sa.Index("ix_inventory_lots_expiry", "company_id", "expiry"),
)

moves = sa.Table(
    "inventory_moves",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("company_id", sa.Integer, sa.ForeignKey(COMPANY), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("product_id", sa.Integer, sa.ForeignKey("inventory_products.id"), nullable=False),
    sa.Column("quantity", ExactDecimal(QTY_SCALE), nullable=False),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("inventory_locations.id"), nullable=False),
    sa.Column(
        "destination_id", sa.Integer, sa.ForeignKey("inventory_locations.id"), nullable=False
    ),
    sa.Column("lot_id", sa.Integer, sa.ForeignKey("inventory_lots.id"), nullable=True),
    sa.Column("unit_cost", ExactDecimal(VALUE_SCALE), nullable=True),
    sa.Column("value", ExactDecimal(VALUE_SCALE), nullable=True),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("reference", sa.String(100), nullable=True),
    sa.Column("partner", sa.String(200), nullable=True),
    sa.Column("reason", sa.String(500), nullable=True),
    sa.Column("counter_of", sa.Integer, sa.ForeignKey("inventory_moves.id"), nullable=True),
    sa.Column("entry_id", sa.Integer, nullable=True),  # the ledger entry that valued it
    sa.Column("reserved", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("done_at", UTCDateTime(), nullable=True),
    sa.Index("ix_inventory_moves_product", "company_id", "product_id", "state"),
    info={"immutable": True},  # done moves: triggers refuse UPDATE and DELETE
)

# On hand per product, internal location and lot (lot_key 0: no lot), maintained with
# every done move in the same transaction; reserved is held by draft outgoing moves.
balances = sa.Table(
    "inventory_balances",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("product_id", sa.Integer, sa.ForeignKey("inventory_products.id"), primary_key=True),
    sa.Column("location_id", sa.Integer, sa.ForeignKey("inventory_locations.id"), primary_key=True),
    sa.Column("lot_key", sa.Integer, primary_key=True),
    sa.Column("quantity", ExactDecimal(QTY_SCALE), nullable=False),
    sa.Column("reserved", ExactDecimal(QTY_SCALE), nullable=False),
)

# The value of each product's stock (all locations): what the inventory account holds.
valuations = sa.Table(
    "inventory_valuations",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("product_id", sa.Integer, sa.ForeignKey("inventory_products.id"), primary_key=True),
    sa.Column("quantity", ExactDecimal(QTY_SCALE), nullable=False),
    sa.Column("value", ExactDecimal(VALUE_SCALE), nullable=False),
)

# FIFO layers: the remaining quantity and value of each incoming move.
layers = sa.Table(
    "inventory_layers",
    metadata,
    sa.Column("company_id", sa.Integer, primary_key=True),
    sa.Column("product_id", sa.Integer, sa.ForeignKey("inventory_products.id"), primary_key=True),
    sa.Column("move_id", sa.Integer, sa.ForeignKey("inventory_moves.id"), primary_key=True),
    sa.Column("quantity", ExactDecimal(QTY_SCALE), nullable=False),
    sa.Column("value", ExactDecimal(VALUE_SCALE), nullable=False),
)
