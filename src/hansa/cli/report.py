"""``hansa report``: financial statements from the ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import FormatOption, choose_company, state
from hansa.cli.render import OutputFormat, render_rows
from hansa.kernel import clock

app = typer.Typer(
    help="Reports: trial balance, balance sheet, income statement.", no_args_is_help=True
)
DATE = ["%Y-%m-%d"]
InBase = typer.Option(
    False,
    "--in-base",
    help="One balance per account in the company currency: the value its lines are "
    "booked at (foreign balances at their booked rates), totals that balance.",
)


app.callback()(choose_company)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@app.command("trial-balance")
def trial_balance(
    ctx: typer.Context,
    as_of: datetime | None = typer.Option(
        None, "--as-of", formats=DATE, help="Balances at the end of this day (default today)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Every account's balance per commodity: debit positive, credit negative."""
    st = state(ctx)
    rows = ledger.trial_balance(st.runtime.uow(readonly=True), st.actor(), st.company, _day(as_of))
    out = st.output(fmt)
    columns = ["account", "commodity", "balance"]
    if out is OutputFormat.table:
        columns = ["account", "name", "commodity", "balance"]
    render_rows(
        [r.__dict__ for r in rows],
        out,
        columns,
        title=f"Trial balance as of {_day(as_of) or clock.today()}",
    )


def _statement_rows(statement: ledger.Statement) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {
            "section": r.type,
            "account": r.account,
            "name": r.name,
            "commodity": r.commodity,
            "balance": r.balance,
        }
        for r in statement.rows
    ]
    for section, totals in sorted(statement.totals.items()):
        for commodity, total in sorted(totals.items()):
            rows.append(
                {
                    "section": section,
                    "account": "",
                    "name": f"Total {section}",
                    "commodity": commodity,
                    "balance": total,
                }
            )
    return rows


@app.command("balance-sheet")
def balance_sheet(
    ctx: typer.Context,
    as_of: datetime | None = typer.Option(None, "--as-of", formats=DATE),
    in_base: bool = InBase,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Assets, liabilities and equity (debit positive, credit negative), per commodity
    or --in-base."""
    st = state(ctx)
    statement = ledger.balance_sheet(
        st.runtime.uow(readonly=True), st.actor(), st.company, _day(as_of), in_base=in_base
    )
    render_rows(
        _statement_rows(statement), st.output(fmt), title=f"Balance sheet as of {statement.end}"
    )


@app.command("income-statement")
def income_statement(
    ctx: typer.Context,
    start: datetime = typer.Option(..., "--from", formats=DATE),
    end: datetime = typer.Option(..., "--to", formats=DATE),
    compare_from: datetime | None = typer.Option(None, "--compare-from", formats=DATE),
    compare_to: datetime | None = typer.Option(None, "--compare-to", formats=DATE),
    in_base: bool = InBase,
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Income (negative) and expenses (positive) of a period, optionally compared; per
    commodity or --in-base."""
    st = state(ctx)
    statement = ledger.income_statement(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        start.date(),
        end.date(),
        _day(compare_from),
        _day(compare_to),
        in_base=in_base,
    )
    rows = _statement_rows(statement)
    if statement.comparison is not None:
        previous = {
            (r["account"], r["commodity"], r["name"]): r["balance"]
            for r in _statement_rows(statement.comparison)
        }
        for row in rows:
            row["comparison"] = previous.pop((row["account"], row["commodity"], row["name"]), None)
        rows += [
            {
                "section": "",
                "account": a,
                "name": n,
                "commodity": c,
                "balance": None,
                "comparison": b,
            }
            for (a, c, n), b in previous.items()
        ]
    render_rows(
        rows, st.output(fmt), title=f"Income statement {statement.start} to {statement.end}"
    )


@app.command("general-ledger")
def general_ledger(
    ctx: typer.Context,
    start: datetime = typer.Option(..., "--from", formats=DATE),
    end: datetime = typer.Option(..., "--to", formats=DATE),
    account: str | None = typer.Option(None, "--account", "-a", help="Only this account."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Every posted line of the period with running balances, account by account."""
    st = state(ctx)
    rows = ledger.general_ledger(
        st.runtime.uow(readonly=True), st.actor(), st.company, start.date(), end.date(), account
    )
    render_rows(
        [r.__dict__ for r in rows],
        st.output(fmt),
        ["account", "date", "number", "narration", "partner", "commodity", "amount", "balance"],
        title=f"General ledger {start.date()} to {end.date()}",
    )
