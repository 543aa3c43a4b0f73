"""What every inventory use case starts from: the company, its default category,
warehouse and virtual locations (made on first use), and lookups by code."""

from __future__ import annotations

from dataclasses import dataclass

from hansa import ledger
from hansa.db.uow import UnitOfWork
from hansa.inventory.domain.locations import (
    DEFAULT_WAREHOUSE,
    STOCK,
    VIRTUAL,
    Location,
    LocationKind,
)
from hansa.inventory.domain.products import (
    DEFAULT_ACCOUNTS,
    DEFAULT_CATEGORY,
    DEFAULT_COST_PERCENT,
    Category,
    CategoryAccounts,
    Product,
    ValuationMethod,
)
from hansa.inventory.errors import (
    BadInventoryInput,
    CategoryNotFound,
    LocationNotFound,
    ProductNotFound,
)
from hansa.inventory.repository import catalog, sites
from hansa.kernel.money import currency_places

READ_PRODUCT, WRITE_PRODUCT = "inventory.product.read", "inventory.product.write"
READ_SITE, WRITE_SITE = "inventory.warehouse.read", "inventory.warehouse.write"
READ_MOVE, WRITE_MOVE = "inventory.move.read", "inventory.move.write"
READ_VALUATION = "inventory.valuation.read"
JOURNAL = "STK"


@dataclass(frozen=True)
class Scope:
    company: ledger.Company
    places: int  # decimals of the company currency

    @property
    def id(self) -> int:
        return self.company.id

    @property
    def currency(self) -> str:
        return self.company.base_currency


def scope(uow: UnitOfWork, company: str | None) -> Scope:
    found = ledger.company_in(uow.conn, company)
    return Scope(found, currency_places(found.base_currency))


def check_accounts(uow: UnitOfWork, s: Scope, accounts: CategoryAccounts) -> None:
    """Every account a category posts to exists and is active in the chart."""
    codes = [
        accounts.inventory,
        accounts.received,
        accounts.cost_of_sales,
        accounts.adjustment,
        accounts.scrap,
    ]
    found = ledger.accounts_in(uow.conn, s.id, codes)
    for code in codes:
        if code not in found or not found[code].active:
            raise BadInventoryInput(
                f"account {code} is not an active account of {s.company.code}: add it with "
                f"'hansa ledger account add' or give the category other accounts",
                code="inventory.bad_account",
            )


def ensure_defaults(uow: UnitOfWork, s: Scope) -> None:
    """The default category, the warehouse WH with WH/STOCK and the virtual locations,
    made the first time the company's inventory is written to."""
    if not catalog.find_categories(uow.conn, s.id):
        check_accounts(uow, s, DEFAULT_ACCOUNTS)
        catalog.insert_category(
            uow.conn,
            {
                "company_id": s.id,
                "code": DEFAULT_CATEGORY,
                "name": "General",
                "valuation": ValuationMethod.fifo.value,
                "inventory_account": DEFAULT_ACCOUNTS.inventory,
                "received_account": DEFAULT_ACCOUNTS.received,
                "cost_of_sales_account": DEFAULT_ACCOUNTS.cost_of_sales,
                "adjustment_account": DEFAULT_ACCOUNTS.adjustment,
                "scrap_account": DEFAULT_ACCOUNTS.scrap,
                "cost_percent": DEFAULT_COST_PERCENT,
            },
        )
    known = sites.find_locations(uow.conn, s.id, [*VIRTUAL, f"{DEFAULT_WAREHOUSE}/{STOCK}"])
    for code, kind in VIRTUAL.items():
        if code not in known:
            sites.insert_location(
                uow.conn,
                {"company_id": s.id, "code": code, "name": code.title(), "kind": kind.value},
            )
    if not sites.find_warehouses(uow.conn, s.id):
        add_warehouse_rows(uow, s, DEFAULT_WAREHOUSE, "Main warehouse")


def add_warehouse_rows(uow: UnitOfWork, s: Scope, code: str, name: str) -> int:
    """A warehouse and its root location CODE/STOCK."""
    warehouse_id = sites.insert_warehouse(
        uow.conn, {"company_id": s.id, "code": code, "name": name}
    )
    sites.insert_location(
        uow.conn,
        {
            "company_id": s.id,
            "code": f"{code}/{STOCK}",
            "name": f"{name} stock",
            "kind": LocationKind.internal.value,
            "warehouse_id": warehouse_id,
        },
    )
    return warehouse_id


def category(uow: UnitOfWork, s: Scope, code: str | None) -> Category:
    code = code or DEFAULT_CATEGORY
    found = catalog.find_categories(uow.conn, s.id, [code])
    if code not in found:
        raise CategoryNotFound(
            f"there is no category {code!r}: add it with 'hansa inventory category add'"
        )
    return found[code]


def product(uow: UnitOfWork, s: Scope, sku: str) -> Product:
    found = catalog.get_product(uow.conn, s.id, sku)
    if found is None:
        raise ProductNotFound(f"there is no product {sku!r}")
    return found


def location(uow: UnitOfWork, s: Scope, code: str) -> Location:
    found = sites.find_locations(uow.conn, s.id, [code])
    if code not in found:
        raise LocationNotFound(f"there is no location {code!r}")
    return found[code]


def default_stock(uow: UnitOfWork, s: Scope) -> Location:
    """Where stock goes when no location is named: WH/STOCK, else the first
    warehouse's STOCK."""
    main = f"{DEFAULT_WAREHOUSE}/{STOCK}"
    found = sites.find_locations(uow.conn, s.id, [main])
    if main in found:
        return found[main]
    warehouses = sites.find_warehouses(uow.conn, s.id)
    code = DEFAULT_WAREHOUSE if DEFAULT_WAREHOUSE in warehouses else next(iter(warehouses), None)
    if code is None:
        raise LocationNotFound(
            "there is no warehouse: add one with 'hansa inventory warehouse add'"
        )
    return location(uow, s, f"{code}/{STOCK}")
