"""Errors of the inventory, each with a stable code."""

from __future__ import annotations

from hansa.kernel.errors import Conflict, InvalidInput, NotFound, RuleViolation


class ProductNotFound(NotFound):
    default_code = "inventory.product_not_found"


class CategoryNotFound(NotFound):
    default_code = "inventory.category_not_found"


class WarehouseNotFound(NotFound):
    default_code = "inventory.warehouse_not_found"


class LocationNotFound(NotFound):
    default_code = "inventory.location_not_found"


class LotNotFound(NotFound):
    default_code = "inventory.lot_not_found"


class MoveNotFound(NotFound):
    default_code = "inventory.move_not_found"


class DuplicateCode(Conflict):
    default_code = "inventory.duplicate_code"


class BadInventoryInput(InvalidInput):
    default_code = "inventory.bad_input"


class InsufficientStock(RuleViolation):
    default_code = "inventory.insufficient_stock"


class MoveRuleViolation(RuleViolation):
    """A move that cannot be made as asked (wrong locations for its kind, lot missing)."""

    default_code = "inventory.move_rule"


class DoneMoveImmutable(RuleViolation):
    default_code = "inventory.done_immutable"


class ExpiredLot(RuleViolation):
    default_code = "inventory.expired_lot"


class ProductHasHistory(RuleViolation):
    default_code = "inventory.product_has_history"


class CountSheetNotFound(NotFound):
    default_code = "inventory.count_sheet_not_found"


class CountSheetClosed(RuleViolation):
    """A posted or cancelled count sheet cannot change."""

    default_code = "inventory.count_sheet_closed"


class CountRuleViolation(RuleViolation):
    """A count sheet that cannot be made or posted as asked (nothing due, lines not
    counted, stock that moved away since the count)."""

    default_code = "inventory.count_rule"
