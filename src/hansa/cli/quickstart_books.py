"""The quickstart's chapter on the books: a company, a month of trade, the reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hansa import ledger
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
    """Post a small business's first two months and print what an accountant reads."""
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
            date(year, 1, 10),
            "Goods from Nordic Supplies",
            "Nordic Supplies",
            ("1200", "8000"),
            ("1150", "1520"),
            ("2000", "-9520"),
        ),
        _entry(
            "SAL",
            date(year, 1, 20),
            "Invoice to Globex",
            "Globex",
            ("1100", "11900"),
            ("4000", "-10000"),
            ("2100", "-1900"),
        ),
        _entry(
            "STK",
            date(year, 1, 20),
            "Cost of the goods sold to Globex",
            None,
            ("5000", "6000"),
            ("1200", "-6000"),
        ),
        _entry(
            "BNK", date(year, 2, 5), "Globex pays", "Globex", ("1010", "11900"), ("1100", "-11900")
        ),
        _entry(
            "BNK",
            date(year, 2, 10),
            "We pay Nordic Supplies",
            "Nordic Supplies",
            ("2000", "9520"),
            ("1010", "-9520"),
        ),
        _entry(
            "BNK", date(year, 2, 28), "Rent for February", None, ("6100", "1500"), ("1010", "-1500")
        ),
    ]
    posted = [ledger.record_entry(rt.uow(), actor, None, draft) for draft in trade]
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
