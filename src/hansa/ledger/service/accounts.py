"""Accounts and commodities."""

from __future__ import annotations

from dataclasses import replace

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel.actor import Actor
from hansa.ledger.domain.accounts import Account, check_account_code, parse_account_type
from hansa.ledger.domain.commodities import Commodity, declared, iso_currency
from hansa.ledger.errors import (
    AccountNotFound,
    AccountRuleViolation,
    BadLedgerInput,
    DuplicateCode,
)
from hansa.ledger.repository import books as repo
from hansa.ledger.service.books import company as find_company

READ, WRITE = "ledger.account.read", "ledger.account.write"


def _snapshot(account: Account) -> dict[str, object]:
    return {
        "code": account.code,
        "name": account.name,
        "type": account.type.value,
        "parent_id": account.parent_id,
        "currency": account.currency,
        "reconcilable": account.reconcilable,
        "active": account.active,
    }


@use_case
def add_account(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    code: str,
    name: str,
    type: str,
    parent: str | None = None,
    currency: str | None = None,
    reconcilable: bool = False,
) -> Account:
    actor.require(WRITE)
    code = check_account_code(code)
    account_type = parse_account_type(type)
    if not name.strip():
        raise BadLedgerInput("an account needs a name", code="ledger.bad_account_name")
    with uow:
        found = find_company(uow.conn, company)
        existing = repo.find_accounts(uow.conn, found.id, [code, *([parent] if parent else [])])
        if code in existing:
            raise DuplicateCode(f"there is already an account {code!r}")
        parent_id = None
        if parent:
            if parent not in existing:
                raise AccountNotFound(f"there is no parent account {parent!r}")
            parent_id = existing[parent].id
        if currency:
            currency = currency.strip().upper()
            if iso_currency(currency) is None and repo.find_commodity(uow.conn, currency) is None:
                raise BadLedgerInput(
                    f"unknown currency {currency!r}", code="ledger.unknown_commodity"
                )
        account_id = repo.insert_account(
            uow.conn,
            {
                "company_id": found.id,
                "code": code,
                "name": name.strip(),
                "type": account_type.value,
                "parent_id": parent_id,
                "currency": currency or None,
                "reconcilable": reconcilable,
            },
        )
        account = Account(
            account_id,
            found.id,
            code,
            name.strip(),
            account_type,
            parent_id,
            currency or None,
            reconcilable,
            True,
        )
        audit.record(
            uow,
            actor,
            "ledger.account.create",
            "account",
            f"{found.code}:{code}",
            after=_snapshot(account),
        )
        uow.commit()
    return account


def list_accounts(
    uow: UnitOfWork, actor: Actor, company: str | None, *, include_archived: bool = False
) -> list[Account]:
    actor.require(READ)
    with uow:
        accounts = repo.find_accounts(uow.conn, find_company(uow.conn, company).id).values()
    return [a for a in accounts if include_archived or a.active]


def get_account(uow: UnitOfWork, actor: Actor, company: str | None, code: str) -> Account:
    actor.require(READ)
    with uow:
        found = repo.find_accounts(uow.conn, find_company(uow.conn, company).id, [code])
    if code not in found:
        raise AccountNotFound(f"there is no account {code!r}")
    return found[code]


@use_case
def update_account(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    code: str,
    *,
    name: str | None = None,
    reconcilable: bool | None = None,
    expected_version: int | None = None,
) -> Account:
    """Rename an account or change whether it is reconcilable (type and currency are
    fixed once an account exists: a different meaning needs a different account)."""
    actor.require(WRITE)
    with uow:
        found = find_company(uow.conn, company)
        accounts = repo.find_accounts(uow.conn, found.id, [code])
        if code not in accounts:
            raise AccountNotFound(f"there is no account {code!r}")
        account = accounts[code]
        if expected_version is not None and expected_version != account.version:
            account = replace(account, version=expected_version)
        changes: dict[str, object] = {}
        if name is not None and name.strip():
            changes["name"] = name.strip()
        if reconcilable is not None:
            changes["reconcilable"] = reconcilable
        if not changes:
            return account
        repo.update_account(uow.conn, account, changes)
        updated = replace(account, version=account.version + 1, **changes)  # type: ignore[arg-type]
        audit.record(
            uow,
            actor,
            "ledger.account.update",
            "account",
            f"{found.code}:{code}",
            before=_snapshot(account),
            after=_snapshot(updated),
        )
        uow.commit()
    return updated


@use_case
def archive_account(
    uow: UnitOfWork, actor: Actor, company: str | None, code: str, *, archived: bool = True
) -> Account:
    """Archive (or restore) an account: archived accounts take no new postings. Accounts
    are never deleted, so their history stays readable."""
    actor.require(WRITE)
    with uow:
        found = find_company(uow.conn, company)
        accounts = repo.find_accounts(uow.conn, found.id, [code])
        if code not in accounts:
            raise AccountNotFound(f"there is no account {code!r}")
        account = accounts[code]
        if account.active != archived:
            raise AccountRuleViolation(
                f"account {code} is already {'archived' if archived else 'active'}"
            )
        repo.update_account(uow.conn, account, {"active": not archived})
        updated = replace(account, active=not archived, version=account.version + 1)
        audit.record(
            uow,
            actor,
            "ledger.account.archive" if archived else "ledger.account.restore",
            "account",
            f"{found.code}:{code}",
            before=_snapshot(account),
            after=_snapshot(updated),
        )
        uow.commit()
    return updated


@use_case
def declare_commodity(
    uow: UnitOfWork, actor: Actor, code: str, decimals: int, name: str | None = None
) -> Commodity:
    """Declare a non-currency commodity (shares, hours, allowances) and its decimals."""
    actor.require("ledger.currency.write")
    commodity = declared(code, decimals, name)
    if iso_currency(commodity.code) is not None:
        raise DuplicateCode(f"{commodity.code} is an ISO 4217 currency already")
    with uow:
        if repo.find_commodity(uow.conn, commodity.code) is not None:
            raise DuplicateCode(f"commodity {commodity.code} is already declared")
        repo.insert_commodity(uow.conn, commodity)
        audit.record(
            uow,
            actor,
            "ledger.commodity.create",
            "commodity",
            commodity.code,
            after={"decimals": decimals, "name": commodity.name},
        )
        uow.commit()
    return commodity


def list_commodities(uow: UnitOfWork, actor: Actor) -> list[Commodity]:
    actor.require("ledger.currency.read")
    with uow:
        return sorted(repo.all_commodities(uow.conn).values(), key=lambda c: c.code)
