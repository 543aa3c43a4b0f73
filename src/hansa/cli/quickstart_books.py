"""The quickstart's chapter on the books: a company, a month of trade, the reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hansa import ledger
from hansa.cli.quickstart_trade import receive_goods, ship_goods, stock_report, trade_partners
from hansa.cli.render import OutputFormat, console, render_rows
from hansa.kernel import clock
from hansa.kernel.actor import Actor
from hansa.runtime import Runtime


def _entry(
    journal: str, day: date, narration: str, partner: str | None, *lines: tuple[str, str]
) -> ledger.EntryDraft:
    return ledger.EntryDraft(
        journal,
        day,
        tuple(
            ledger.LineDraft(
                account,
                "EUR",
                Decimal(amount),
                partner=partner if account in {"1100", "2000"} else None,
            )
            for account, amount in lines
        ),
        narration,
        partner,
    )


def tour_books(rt: Runtime, actor: Actor) -> None:
    """Trade for two months — parties, stock received and shipped, invoices, payments — and
    print what an accountant and a warehouse lead read."""
    year = clock.today().year
    company = ledger.create_company(
        rt.uow(),
        actor,
        name="Demo Trading GmbH",
        currency="EUR",
        chart="standard",
        year_of=date(year, 1, 1),
    )
    console.print(
        f"Company {company.code} ({company.name}), books in {company.base_currency}, "
        f"standard chart, fiscal year {year} open"
    )
    vendor, customer = trade_partners(rt, actor)
    v, c = vendor.code, customer.code
    bought = receive_goods(rt, actor, v, date(year, 1, 10))
    trade = [
        _entry(
            "GEN",
            date(year, 1, 2),
            "Share capital paid in",
            None,
            ("1010", "50000"),
            ("3000", "-50000"),
        ),
        _entry(
            "PUR",
            date(year, 1, 12),
            f"Bill from {vendor.name} for the goods received",
            v,
            ("2050", str(bought)),
            ("1150", "1520"),
            ("2000", "-9520"),
        ),
        _entry(
            "SAL",
            date(year, 1, 20),
            f"Invoice to {customer.name}",
            c,
            ("1100", "11900"),
            ("4000", "-10000"),
            ("2100", "-1900"),
        ),
    ]
    posted = [ledger.record_entry(rt.uow(), actor, None, draft) for draft in trade[:2]]
    posted.append(ledger.record_entry(rt.uow(), actor, None, trade[2]))
    ship_goods(rt, actor, c, date(year, 1, 20))
    trade = [
        _entry(
            "BNK",
            date(year, 2, 5),
            f"{customer.name} pays",
            c,
            ("1010", "11900"),
            ("1100", "-11900"),
        ),
        _entry(
            "BNK",
            date(year, 2, 10),
            f"We pay {vendor.name}",
            v,
            ("2000", "9520"),
            ("1010", "-9520"),
        ),
        _entry(
            "BNK", date(year, 2, 28), "Rent for February", None, ("6100", "1500"), ("1010", "-1500")
        ),
    ]
    posted += [ledger.record_entry(rt.uow(), actor, None, draft) for draft in trade]
    render_rows(
        [{"number": e.number, "date": e.date, "narration": e.narration} for e in posted],
        OutputFormat.table,
        title="Posted entries",
    )
    ledger.set_period_state(rt.uow(), actor, None, f"{year}-01", ledger.PeriodState.closed)
    console.print(f"Period {year}-01 closed: nothing more can be posted in January.")
    end = date(year, 2, 28)
    rows = ledger.trial_balance(rt.uow(readonly=True), actor, None, end)
    render_rows(
        [r.__dict__ for r in rows],
        OutputFormat.table,
        ["account", "name", "commodity", "balance"],
        title=f"Trial balance {end}",
    )
    statement = ledger.income_statement(rt.uow(readonly=True), actor, None, date(year, 1, 1), end)
    render_rows(
        [r.__dict__ for r in statement.rows],
        OutputFormat.table,
        ["account", "name", "balance"],
        title="Income statement, January-February",
    )
    result = sum((r.balance for r in statement.rows), Decimal(0))
    console.print(
        f"Result: {'profit' if result <= 0 else 'loss'} of {abs(result)} EUR "
        "(income is shown negative, as a credit)"
    )
    stock_report(rt, actor)
