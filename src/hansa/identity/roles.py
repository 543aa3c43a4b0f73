"""The permission catalogue and the built-in roles (pure data).

A permission is ``domain.resource.action``. A role grants a set of permission
patterns; a pattern may end in ``*`` to cover a prefix (``ledger.*``, ``*``), as
:func:`hansa.kernel.actor.grants` understands them. There is no ``*.read`` pattern,
so read-only roles list the read permissions of the catalogue explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hansa.kernel.actor import grants

PERMISSIONS: Mapping[str, str] = {
    # identity
    "identity.user.create": "create user accounts",
    "identity.user.read": "see user accounts, their roles and everyone's API keys",
    "identity.user.update": "change other users' e-mail, roles, passwords and API keys",
    "identity.user.disable": "disable and re-enable user accounts",
    "identity.role.read": "see the roles and their permissions",
    "identity.apikey.create": "create API keys for oneself",
    "identity.apikey.read": "see one's own API keys",
    "identity.apikey.revoke": "revoke one's own API keys",
    # audit, events, system
    "audit.log.read": "read and verify the audit log",
    "events.outbox.read": "see queued and delivered domain events",
    "events.outbox.dispatch": "deliver or retry queued domain events",
    "events.webhook.read": "see webhook subscriptions",
    "events.webhook.write": "add, change and remove webhook subscriptions",
    "system.check.run": "run the integrity checks",
    "system.config.read": "see the settings (secrets hidden)",
    "system.config.write": "change the settings",
    "system.backup.create": "take a backup of the database",
    "system.backup.restore": "restore the database from a backup",
    "system.maintenance.run": "run database maintenance",
    # ledger
    "ledger.company.read": "see the companies of the tenant",
    "ledger.company.write": "add companies and change their settings",
    "ledger.account.read": "see the chart of accounts and balances",
    "ledger.account.write": "add and change accounts",
    "ledger.entry.read": "see journal entries",
    "ledger.entry.write": "draft journal entries",
    "ledger.entry.post": "post and reverse journal entries",
    "ledger.period.read": "see fiscal periods",
    "ledger.period.close": "close and reopen fiscal periods",
    "ledger.currency.read": "see currencies and exchange rates",
    "ledger.currency.write": "maintain currencies and exchange rates",
    "ledger.tax.read": "see tax codes",
    "ledger.tax.write": "maintain tax codes",
    "ledger.reconciliation.write": "reconcile open items, match bank statements, assert balances",
    # parties
    "parties.customer.read": "see customers",
    "parties.customer.write": "add and change customers",
    "parties.vendor.read": "see vendors",
    "parties.vendor.write": "add and change vendors",
    "parties.contact.read": "see contacts and addresses",
    "parties.contact.write": "add and change contacts and addresses",
    "parties.lead.read": "see leads, the pipeline and activities",
    "parties.lead.write": "work leads, the pipeline and activities",
    "parties.gdpr.export": "export every personal datum held about a party",
    "parties.gdpr.erase": "erase a party's personal data (GDPR)",
    "parties.keys.rotate": "rotate the field-encryption key and re-encrypt personal data",
    # inventory
    "inventory.product.read": "see products and stock levels",
    "inventory.product.write": "add and change products",
    "inventory.warehouse.read": "see warehouses and locations",
    "inventory.warehouse.write": "maintain warehouses and locations",
    "inventory.move.read": "see stock moves",
    "inventory.move.write": "move and adjust stock",
    "inventory.valuation.read": "see stock valuation",
    "inventory.count.read": "see count sheets",
    "inventory.count.write": "make, enter and post count sheets",
    # sales
    "sales.quote.read": "see quotations",
    "sales.quote.write": "prepare quotations",
    "sales.order.read": "see sales orders",
    "sales.order.write": "enter and progress sales orders",
    "sales.invoice.read": "see customer invoices",
    "sales.invoice.write": "draft customer invoices and credit notes",
    "sales.invoice.post": "post customer invoices and credit notes",
    # purchasing
    "purchasing.order.read": "see purchase orders",
    "purchasing.order.write": "enter and progress purchase orders",
    "purchasing.bill.read": "see vendor bills",
    "purchasing.bill.write": "draft vendor bills",
    "purchasing.bill.post": "post vendor bills",
    # manufacturing
    "manufacturing.bom.read": "see bills of materials",
    "manufacturing.bom.write": "maintain bills of materials",
    "manufacturing.order.read": "see manufacturing orders",
    "manufacturing.order.write": "plan and run manufacturing orders",
    # hr
    "hr.employee.read": "see employees",
    "hr.employee.write": "maintain employees",
    "hr.timesheet.read": "see timesheets and leave",
    "hr.timesheet.write": "record and approve timesheets and leave",
    # projects
    "projects.project.read": "see projects",
    "projects.project.write": "maintain projects",
    "projects.task.read": "see tasks",
    "projects.task.write": "maintain tasks",
    # reports
    "reports.financial.read": "run financial reports",
    "reports.sales.read": "run sales reports",
    "reports.purchasing.read": "run purchasing reports",
    "reports.inventory.read": "run inventory reports",
    "reports.hr.read": "run HR reports",
    "reports.projects.read": "run project reports",
}


def reads(*domains: str) -> frozenset[str]:
    """The catalogue's read permissions of *domains* (all domains when none given)."""
    return frozenset(
        p
        for p in PERMISSIONS
        if p.endswith(".read") and (not domains or p.split(".", 1)[0] in domains)
    )


# What every working role may do for itself: see the roles, manage its own API keys.
SELF_SERVICE = frozenset(
    {
        "identity.role.read",
        "identity.apikey.create",
        "identity.apikey.read",
        "identity.apikey.revoke",
    }
)


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: frozenset[str]

    def covers(self, permission: str) -> bool:
        return grants(self.permissions, permission)


def _role(name: str, description: str, *groups: Iterable[str]) -> Role:
    return Role(name, description, frozenset(p for group in groups for p in group))


ROLES: Mapping[str, Role] = {
    role.name: role
    for role in (
        _role("admin", "everything, including users, settings and backups", {"*"}),
        _role(
            "accountant",
            "the books: ledger, invoices and bills, reports, audit log, checks",
            {
                "ledger.*",
                "reports.*",
                "sales.invoice.*",
                "purchasing.bill.*",
                "audit.log.read",
                "system.check.run",
            },
            reads("parties", "inventory", "sales", "purchasing", "manufacturing", "projects"),
            SELF_SERVICE,
        ),
        _role(
            "sales",
            "customers, leads, quotations and sales orders",
            {
                "parties.customer.*",
                "parties.contact.*",
                "parties.lead.*",
                "sales.quote.*",
                "sales.order.*",
                "sales.invoice.read",
                "reports.sales.read",
            },
            reads("inventory"),
            SELF_SERVICE,
        ),
        _role(
            "purchasing",
            "vendors and purchase orders",
            {
                "parties.vendor.*",
                "parties.contact.*",
                "purchasing.order.*",
                "purchasing.bill.read",
                "reports.purchasing.read",
            },
            reads("inventory"),
            SELF_SERVICE,
        ),
        _role(
            "warehouse",
            "products, stock moves and manufacturing orders",
            {
                "inventory.*",
                "manufacturing.order.*",
                "manufacturing.bom.read",
                "sales.order.read",
                "purchasing.order.read",
                "reports.inventory.read",
            },
            SELF_SERVICE,
        ),
        _role(
            "hr",
            "employees, timesheets and leave",
            {"hr.*", "reports.hr.read"},
            reads("projects"),
            SELF_SERVICE,
        ),
        _role("viewer", "read-only access to everything", reads()),
    )
}


def effective_permissions(roles: Iterable[str]) -> frozenset[str]:
    """The union of the permissions of *roles*; names that are not roles grant nothing.

    >>> sorted(effective_permissions(["admin"]))
    ['*']
    >>> "ledger.entry.post" in effective_permissions(["viewer"])
    False
    """
    granted: set[str] = set()
    for name in roles:
        role = ROLES.get(name)
        if role is not None:
            granted |= role.permissions
    return frozenset(granted)
