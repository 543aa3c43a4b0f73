"""Tax codes, tax groups, tax computation for documents, and the tax report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hansa import audit
from hansa.db.uow import UnitOfWork, use_case
from hansa.kernel.actor import Actor
from hansa.kernel.money import to_decimal
from hansa.ledger.domain.commodities import shown
from hansa.ledger.domain.company import Company
from hansa.ledger.domain.taxes import (
    TaxableLine,
    TaxCode,
    TaxComputation,
    TaxedLine,
    TaxGroup,
    TaxReportRow,
    check_rate,
    check_tax_code,
    check_together,
    compute,
    expand,
    parse_rounding,
)
from hansa.ledger.errors import (
    AccountNotFound,
    AccountRuleViolation,
    BadLedgerInput,
    DuplicateCode,
    TaxCodeNotFound,
    TaxRuleViolation,
)
from hansa.ledger.repository import books as books_repo
from hansa.ledger.repository import taxes as repo
from hansa.ledger.repository.books import decimals
from hansa.ledger.service.books import company as find_company
from hansa.ledger.service.books import load_books

READ, WRITE = "ledger.tax.read", "ledger.tax.write"
REPORT = "reports.financial.read"


def _snapshot(tax: TaxCode) -> dict[str, object]:
    return {
        "code": tax.code,
        "name": tax.name,
        "rate": tax.rate,
        "price_included": tax.price_included,
        "compound": tax.compound,
        "account": tax.account,
        "sequence": tax.sequence,
        "active": tax.active,
    }


def _name(name: str, what: str) -> str:
    if not name.strip():
        raise BadLedgerInput(f"a {what} needs a name", code="ledger.bad_tax_name")
    return name.strip()


def _account_id(uow: UnitOfWork, company: Company, code: str) -> int:
    """The id of the active account *code*, the one a tax code posts to."""
    found = books_repo.find_accounts(uow.conn, company.id, [code])
    if code not in found:
        raise AccountNotFound(f"there is no account {code!r}")
    if not found[code].active:
        raise AccountRuleViolation(f"account {code} is archived")
    return found[code].id


def _code_free(uow: UnitOfWork, company: Company, code: str) -> None:
    """Tax codes and groups share one namespace: a document line names either."""
    if code in repo.find_tax_codes(uow.conn, company.id, [code]):
        raise DuplicateCode(f"there is already a tax code {code!r}")
    if code in repo.find_tax_groups(uow.conn, company.id):
        raise DuplicateCode(f"there is already a tax group {code!r}")


def _tax_code(uow: UnitOfWork, company: Company, code: str) -> TaxCode:
    found = repo.find_tax_codes(uow.conn, company.id, [code])
    if code not in found:
        raise TaxCodeNotFound(f"there is no tax code {code!r}")
    return found[code]


@use_case
def add_tax_code(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    code: str,
    name: str,
    rate: Decimal,
    account: str,
    price_included: bool = False,
    compound: bool = False,
    sequence: int = 10,
) -> TaxCode:
    """A tax code charging *rate* percent, posted to *account*. Rate, price inclusion
    and compounding are fixed once the code exists: the tax report keeps what was
    posted under a code together, so a new rate needs a new code."""
    actor.require(WRITE)
    code, name = check_tax_code(code), _name(name, "tax code")
    rate = check_rate(to_decimal(rate))
    with uow:
        found = find_company(uow.conn, company)
        _code_free(uow, found, code)
        repo.insert_tax_code(
            uow.conn,
            {
                "company_id": found.id,
                "code": code,
                "name": name,
                "rate": rate,
                "price_included": price_included,
                "compound": compound,
                "account_id": _account_id(uow, found, account),
                "sequence": sequence,
            },
        )
        tax = _tax_code(uow, found, code)
        audit.record(
            uow,
            actor,
            "ledger.tax.create",
            "tax_code",
            f"{found.code}:{code}",
            after=_snapshot(tax),
        )
        uow.commit()
    return tax


def list_tax_codes(
    uow: UnitOfWork, actor: Actor, company: str | None, *, include_archived: bool = False
) -> list[TaxCode]:
    """The company's tax codes in their sequence (archived ones only if asked)."""
    actor.require(READ)
    with uow:
        codes = repo.find_tax_codes(uow.conn, find_company(uow.conn, company).id).values()
    return [c for c in codes if include_archived or c.active]


@use_case
def update_tax_code(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    code: str,
    *,
    name: str | None = None,
    account: str | None = None,
    sequence: int | None = None,
    expected_version: int | None = None,
) -> TaxCode:
    """Rename a tax code, post it to another account from now on, or reorder it."""
    actor.require(WRITE)
    with uow:
        found = find_company(uow.conn, company)
        tax = _tax_code(uow, found, code)
        if expected_version is not None:
            tax = replace(tax, version=expected_version)
        changes: dict[str, object] = {}
        if name is not None:
            changes["name"] = _name(name, "tax code")
        if account is not None:
            changes["account_id"] = _account_id(uow, found, account)
        if sequence is not None:
            changes["sequence"] = sequence
        if not changes:
            return tax
        repo.update_tax_code(uow.conn, tax, changes)
        updated = _tax_code(uow, found, code)
        audit.record(
            uow,
            actor,
            "ledger.tax.update",
            "tax_code",
            f"{found.code}:{code}",
            before=_snapshot(tax),
            after=_snapshot(updated),
        )
        uow.commit()
    return updated


@use_case
def archive_tax_code(
    uow: UnitOfWork, actor: Actor, company: str | None, code: str, *, archived: bool = True
) -> TaxCode:
    """Archive (or restore) a tax code: archived codes tax no new documents; what was
    posted under them stays in the tax report."""
    actor.require(WRITE)
    with uow:
        found = find_company(uow.conn, company)
        tax = _tax_code(uow, found, code)
        if tax.active != archived:
            raise TaxRuleViolation(
                f"tax code {code} is already {'archived' if archived else 'active'}"
            )
        repo.update_tax_code(uow.conn, tax, {"active": not archived})
        updated = replace(tax, active=not archived, version=tax.version + 1)
        audit.record(
            uow,
            actor,
            "ledger.tax.archive" if archived else "ledger.tax.restore",
            "tax_code",
            f"{found.code}:{code}",
            before=_snapshot(tax),
            after=_snapshot(updated),
        )
        uow.commit()
    return updated


@use_case
def add_tax_group(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    code: str,
    name: str,
    members: Sequence[str],
) -> TaxGroup:
    """A named list of tax codes that apply together, in the order given (a compound
    member is charged on the net plus the members before it)."""
    actor.require(WRITE)
    code, name = check_tax_code(code), _name(name, "tax group")
    if not members:
        raise BadLedgerInput("a tax group needs at least one tax code", code="ledger.empty_group")
    with uow:
        found = find_company(uow.conn, company)
        _code_free(uow, found, code)
        codes = repo.find_tax_codes(uow.conn, found.id, members)
        missing = [m for m in members if m not in codes]
        if missing:
            raise TaxCodeNotFound(f"there is no tax code {missing[0]!r}")
        check_together(f"tax group {code}", [codes[m] for m in members])
        group_id = repo.insert_tax_group(
            uow.conn, found.id, code, name, [codes[m].id for m in members]
        )
        audit.record(
            uow,
            actor,
            "ledger.tax_group.create",
            "tax_group",
            f"{found.code}:{code}",
            after={"name": name, "members": list(members)},
        )
        uow.commit()
    return TaxGroup(group_id, found.id, code, name, tuple(members))


def list_tax_groups(uow: UnitOfWork, actor: Actor, company: str | None) -> list[TaxGroup]:
    actor.require(READ)
    with uow:
        return list(repo.find_tax_groups(uow.conn, find_company(uow.conn, company).id).values())


def compute_taxes(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    lines: Sequence[TaxableLine],
    currency: str | None = None,
) -> TaxComputation:
    """The taxes of a document in *currency* (default: the company's), rounded per line
    or per document as the company's ``tax_rounding`` says. Post them with
    :func:`~hansa.ledger.domain.taxes.tax_lines` and ``record_entry``."""
    actor.require(READ)
    with uow:
        books = load_books(uow.conn, company)
        codes = repo.find_tax_codes(uow.conn, books.company.id)
        groups = repo.find_tax_groups(uow.conn, books.company.id)
    commodity = books.commodity((currency or books.company.base_currency).strip().upper())
    taxed = [TaxedLine(to_decimal(ln.amount), expand(ln.taxes, codes, groups)) for ln in lines]
    return compute(
        taxed, commodity.code, commodity.decimals, parse_rounding(books.company.tax_rounding)
    )


@use_case
def set_tax_rounding(uow: UnitOfWork, actor: Actor, company: str | None, mode: str) -> Company:
    """Round taxes per ``line`` (each line's tax, then the sum) or per ``document``
    (the sum of each code's exact taxes, once). Posted entries keep their amounts."""
    actor.require(WRITE)
    rounding = parse_rounding(mode)
    with uow:
        found = find_company(uow.conn, company)
        books_repo.update_company(
            uow.conn, found.id, found.version, {"tax_rounding": rounding.value}
        )
        audit.record(
            uow,
            actor,
            "ledger.company.tax_rounding",
            "company",
            found.code,
            before={"tax_rounding": found.tax_rounding},
            after={"tax_rounding": rounding.value},
        )
        uow.commit()
    return replace(found, tax_rounding=rounding.value, version=found.version + 1)


def tax_report(
    uow: UnitOfWork, actor: Actor, company: str | None, start: date, end: date
) -> list[TaxReportRow]:
    """Per tax code and commodity, the base and the tax of the tax lines posted from
    *start* to *end* (inclusive), as posted: output tax on sales negative (credit), input
    tax on purchases positive. Reversed documents cancel out."""
    actor.require(REPORT)
    if start > end:
        raise BadLedgerInput(
            f"the period starts ({start}) after it ends ({end})", code="ledger.bad_period"
        )
    with uow:
        found = find_company(uow.conn, company)
        codes = repo.find_tax_codes(uow.conn, found.id)
        sums = repo.posted_tax_sums(uow.conn, found.id, start, end)
        places = decimals(uow.conn)
    rows = [
        TaxReportRow(
            r.tax_code,
            codes[r.tax_code].name if r.tax_code in codes else "",
            codes[r.tax_code].rate if r.tax_code in codes else None,
            r.commodity,
            shown(r.base, places(r.commodity)),
            shown(r.tax, places(r.commodity)),
        )
        for r in sums
    ]
    order = {code: n for n, code in enumerate(codes)}
    return sorted(rows, key=lambda row: (order.get(row.code, len(order)), row.code, row.commodity))
