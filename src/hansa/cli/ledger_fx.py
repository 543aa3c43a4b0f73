"""``hansa fx`` (exchange rates), ``hansa ledger revalue`` and ``hansa ledger year close``."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import FormatOption, choose_company, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel import clock
from hansa.kernel.money import to_decimal

DATE = ["%Y-%m-%d"]

fx_app = typer.Typer(
    help="Exchange rates: how many company-currency units one unit of a currency is worth.",
    no_args_is_help=True,
)
year_app = typer.Typer(help="Fiscal years: the year-end close.", no_args_is_help=True)


fx_app.callback()(choose_company)


def _day(value: datetime | None) -> date:
    return value.date() if value else clock.today()


def rate_row(rate: ledger.FxRate) -> dict[str, Any]:
    return {"currency": rate.currency, "date": rate.day, "rate": rate.rate}


@fx_app.command("set")
def fx_set(
    ctx: typer.Context,
    currency: str = typer.Argument(..., help="ISO currency or declared commodity, e.g. USD."),
    rate: str = typer.Argument(..., help="Company-currency units per 1 unit, e.g. 0.92."),
    day: datetime | None = typer.Option(
        None, "--date", "-d", formats=DATE, help="From this day on (default today)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Set the rate of a currency from a day on (replaces that day's rate)."""
    st = state(ctx)
    found = ledger.set_rate(
        st.runtime.uow(), st.actor(), st.company, currency, _day(day), to_decimal(rate)
    )
    render_object(rate_row(found), st.output(fmt))


@fx_app.command("list")
def fx_list(
    ctx: typer.Context,
    currency: str | None = typer.Argument(None, help="Only this currency."),
    start: datetime | None = typer.Option(None, "--from", formats=DATE),
    end: datetime | None = typer.Option(None, "--to", formats=DATE),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List the rates by currency and day."""
    st = state(ctx)
    rates = ledger.list_rates(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        currency,
        start.date() if start else None,
        end.date() if end else None,
    )
    render_rows(
        [rate_row(r) for r in rates], st.output(fmt), ["currency", "date", "rate"], title="Rates"
    )


@fx_app.command("import")
def fx_import(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="CSV with date,currency,rate."
    ),
) -> None:
    """Import rates from a CSV file; all or nothing, every bad row named."""
    st = state(ctx)
    with file.open(newline="", encoding="utf-8-sig") as handle:
        done = ledger.import_rates(st.runtime.uow(), st.actor(), st.company, csv.DictReader(handle))
    say(
        f"Imported {done.count} rate{'s' if done.count != 1 else ''} "
        f"({', '.join(done.currencies)}) from {done.first} to {done.last}.",
        st.fmt,
    )


@fx_app.command("convert")
def fx_convert(
    ctx: typer.Context,
    amount: str = typer.Argument(...),
    currency: str = typer.Argument(...),
    day: datetime | None = typer.Option(None, "--date", "-d", formats=DATE),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Convert an amount into the company currency at a day's rate (ROUND_HALF_UP)."""
    st = state(ctx)
    value = ledger.convert(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        to_decimal(amount),
        currency,
        _day(day),
    )
    render_object(
        {"amount": to_decimal(amount), "currency": currency.upper(), "value": value},
        st.output(fmt),
    )


def revalue(
    ctx: typer.Context,
    day: datetime = typer.Option(..., "--date", "-d", formats=DATE, help="Value at this day."),
    account: str = typer.Option(
        "7900", "--account", help="Income or expense account for the gain or loss."
    ),
    preview: bool = typer.Option(False, "--preview", help="Show the result; post nothing."),
    reverse_next_day: bool = typer.Option(
        False, "--reverse-next-day", help="Post the reversal on the next day too."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Value foreign-currency balances at a day's rates and post the unrealised result."""
    st = state(ctx)
    result = ledger.revalue(
        st.runtime.uow(readonly=preview),
        st.actor(),
        st.company,
        day.date(),
        account,
        post=not preview,
        reverse_next_day=reverse_next_day,
    )
    rows = [
        {
            "account": r.account,
            "currency": r.commodity,
            "balance": r.balance,
            "rate": r.rate,
            "old_value": r.old_value,
            "new_value": r.new_value,
            "difference": r.difference,
        }
        for r in result.rows
    ]
    render_rows(
        rows,
        st.output(fmt),
        ["account", "currency", "balance", "rate", "old_value", "new_value", "difference"],
        title=f"Revaluation at {result.day} (values in {result.currency})",
    )
    if result.entry is not None:
        reversed_by = f", reversed by {result.reversal.number}" if result.reversal else ""
        say(
            f"Posted {result.entry.number}: net {result.total} {result.currency}{reversed_by}.",
            st.fmt,
        )
    elif not rows:
        say("Every foreign balance already carries its value: nothing to post.", st.fmt)


@year_app.command("close")
def year_close(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The fiscal year, e.g. 2025."),
    retained_earnings: str = typer.Option(
        "3900", "--retained-earnings", help="Equity account that receives the result."
    ),
) -> None:
    """Close a fiscal year: move income and expenses into retained earnings and close
    its periods."""
    st = state(ctx)
    st.confirm(f"Close fiscal year {name}? Its periods will take no more postings.")
    done = ledger.close_fiscal_year(
        st.runtime.uow(), st.actor(), st.company, name, retained_earnings
    )
    moved = ", ".join(f"{amount} {currency}" for currency, amount in sorted(done.result.items()))
    how = f" by {done.entry.number}: {moved} into {retained_earnings}" if done.entry else ""
    say(f"Fiscal year {done.year.name} is closed{how}.", st.fmt)


def register(ledger_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add ``revalue`` and ``year close`` to ``hansa ledger`` (``hansa fx`` is a
    top-level group of its own)."""
    ledger_app.command("revalue")(revalue)
    ledger_app.add_typer(year_app, name="year")
