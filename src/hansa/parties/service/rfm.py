"""RFM segmentation of customers from the posted sales in the ledger.

A sale is a posted line on an income account naming a partner: the ledger knows a
party by its code, so every invoice posted with ``partner=C00001`` counts for that
customer. When the sales module posts invoices, they fill this in with no change here.
"""

from __future__ import annotations

from datetime import date, timedelta

from hansa import ledger
from hansa.db.uow import UnitOfWork
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.parties.domain.crm import RfmScore, Sale, rfm

READ = "parties.customer.read"


def rfm_segments(
    uow: UnitOfWork,
    actor: Actor,
    company: str | None,
    *,
    as_of: date | None = None,
    days: int = 365,
    buckets: int = 5,
) -> list[RfmScore]:
    """Recency, frequency and monetary scores (1..*buckets*) of every partner with
    posted sales in the company's currency over the *days* up to *as_of*, best first.
    Credit notes (debits to income) count as negative sales."""
    actor.require(READ)
    as_of = as_of or clock.today()
    base = next(
        c.base_currency
        for c in ledger.list_companies(uow, actor)
        if company is None or c.code == company
    )
    income = {
        a.code
        for a in ledger.list_accounts(uow, actor, company, include_archived=True)
        if a.type is ledger.AccountType.income
    }
    rows = ledger.general_ledger(uow, actor, company, as_of - timedelta(days=days), as_of)
    sales = [
        Sale(r.partner, r.date, -r.amount)
        for r in rows
        if r.account in income and r.partner and r.date and r.commodity == base
    ]
    return rfm(sales, as_of, buckets)
