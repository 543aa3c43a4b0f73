"""Inventory: products, categories, units, warehouses and locations, lots, stock
moves, reservations, and stock valuation (FIFO or moving average) posted to the
ledger. The CLI and the API use only these names."""

from hansa.inventory.domain.abc import AbcClass, Thresholds, parse_frequency, parse_thresholds
from hansa.inventory.domain.counting import CountLine, CountSheet, SheetState
from hansa.inventory.domain.locations import Location, LocationKind, Warehouse
from hansa.inventory.domain.lots import Lot, Pick
from hansa.inventory.domain.moves import Move, MoveKind, MoveState
from hansa.inventory.domain.products import (
    Category,
    CategoryAccounts,
    Product,
    Tracking,
    Unit,
    ValuationMethod,
)
from hansa.inventory.service import checks as _checks  # noqa: F401  (registers the checks)
from hansa.inventory.service import counting_checks as _counting_checks  # noqa: F401
from hansa.inventory.service.abc import (
    AbcAnalysis,
    AbcLine,
    ProductClass,
    classify_products,
    list_classes,
)
from hansa.inventory.service.catalog import (
    ProductAdded,
    add_category,
    add_product,
    add_unit,
    get_product,
    list_categories,
    remove_product,
    update_product,
)
from hansa.inventory.service.counting import (
    cancel_count_sheet,
    create_count_sheet,
    enter_counts,
    get_count_sheet,
    list_count_sheets,
    post_count_sheet,
)
from hansa.inventory.service.drafts import cancel_move, complete_move, counter_move
from hansa.inventory.service.lots import add_lot, expiring, pick
from hansa.inventory.service.moves import (
    MoveRequest,
    get_move,
    list_moves,
    move_stock,
    move_stock_many,
)
from hansa.inventory.service.replenishment import ReorderLine, reorder, set_purchase_unit
from hansa.inventory.service.revaluation import Revalued, revalue_stock
from hansa.inventory.service.sites import (
    add_location,
    add_warehouse,
    list_locations,
    list_warehouses,
)
from hansa.inventory.service.stock import (
    ProductLine,
    StockLine,
    Valuation,
    ValuationLine,
    WarehouseValue,
    count_stock,
    list_products,
    low_stock,
    on_hand,
    valuation,
)

__all__ = [
    "AbcAnalysis",
    "AbcClass",
    "AbcLine",
    "Category",
    "CategoryAccounts",
    "CountLine",
    "CountSheet",
    "Location",
    "LocationKind",
    "Lot",
    "Move",
    "MoveKind",
    "MoveRequest",
    "MoveState",
    "Pick",
    "Product",
    "ProductAdded",
    "ProductClass",
    "ProductLine",
    "ReorderLine",
    "Revalued",
    "SheetState",
    "StockLine",
    "Thresholds",
    "Tracking",
    "Unit",
    "Valuation",
    "ValuationLine",
    "ValuationMethod",
    "Warehouse",
    "WarehouseValue",
    "add_category",
    "add_location",
    "add_lot",
    "add_product",
    "add_unit",
    "add_warehouse",
    "cancel_count_sheet",
    "cancel_move",
    "classify_products",
    "complete_move",
    "count_stock",
    "counter_move",
    "create_count_sheet",
    "enter_counts",
    "expiring",
    "get_count_sheet",
    "get_move",
    "get_product",
    "list_categories",
    "list_classes",
    "list_count_sheets",
    "list_locations",
    "list_moves",
    "list_products",
    "list_warehouses",
    "low_stock",
    "move_stock",
    "move_stock_many",
    "on_hand",
    "parse_frequency",
    "parse_thresholds",
    "pick",
    "post_count_sheet",
    "remove_product",
    "reorder",
    "revalue_stock",
    "set_purchase_unit",
    "update_product",
    "valuation",
]
