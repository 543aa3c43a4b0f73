"""``hansa ledger``: companies, accounts, commodities, periods and journal entries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import MAX_ID, FormatOption, choose_company, state
from hansa.cli.ledger_lines import entry_row, line_rows, parse_line
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel import clock

app = typer.Typer(help="The general ledger: accounts, periods, entries.", no_args_is_help=True)
company_app = typer.Typer(
    help="Companies (legal entities with their own books).", no_args_is_help=True
)
account_app = typer.Typer(help="The chart of accounts.", no_args_is_help=True)
commodity_app = typer.Typer(
    help="Non-currency commodities (shares, hours...).", no_args_is_help=True
)
period_app = typer.Typer(help="Fiscal years and periods.", no_args_is_help=True)
entry_app = typer.Typer(help="Journal entries.", no_args_is_help=True)
app.add_typer(company_app, name="company")
app.add_typer(account_app, name="account")
app.add_typer(commodity_app, name="commodity")
app.add_typer(period_app, name="period")
app.add_typer(entry_app, name="entry")

DATE = ["%Y-%m-%d"]


app.callback()(choose_company)


def company_row(c: ledger.Company) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "base_currency": c.base_currency,
        "fiscal_year_start_month": c.fiscal_year_start_month,
        "lock_date": c.lock_date,
        "tax_rounding": c.tax_rounding,
    }


@company_app.command("add")
def company_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Legal name."),
    currency: str = typer.Option(..., "--currency", help="Base currency (ISO 4217)."),
    chart: str = typer.Option("standard", "--chart", help="minimal or standard."),
    code: str | None = typer.Option(None, "--code", help="Short code (default: from name)."),
    fiscal_year_start: int = typer.Option(
        1, "--fiscal-year-start", min=1, max=12, help="Month the fiscal year starts in."
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        min=1900,
        max=9999,
        help="Open the fiscal year that starts in this calendar year (default: this one).",
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a company with a chart of accounts, journals and this year's periods."""
    st = state(ctx)
    company = ledger.create_company(
        st.runtime.uow(),
        st.actor(),
        name=name,
        currency=currency,
        chart=chart,
        code=code,
        fiscal_year_start_month=fiscal_year_start,
        year_of=date(year, fiscal_year_start, 1) if year else None,
    )
    render_object(company_row(company), st.output(fmt))


@company_app.command("list")
def company_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List the companies of this tenant."""
    st = state(ctx)
    rows = [
        company_row(c) for c in ledger.list_companies(st.runtime.uow(readonly=True), st.actor())
    ]
    render_rows(rows, st.output(fmt), title="Companies")


@company_app.command("lock-date")
def company_lock_date(
    ctx: typer.Context,
    day: datetime | None = typer.Argument(
        None, formats=DATE, help="Lock up to this day; omit to remove the lock."
    ),
) -> None:
    """Set the lock date: nothing can be posted on or before it."""
    st = state(ctx)
    company = ledger.set_lock_date(
        st.runtime.uow(), st.actor(), st.company, day.date() if day else None
    )
    say(f"{company.code}: lock date {company.lock_date or 'removed'}.", st.fmt)


def account_row(a: ledger.Account) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": a.name,
        "type": a.type.value,
        "currency": a.currency,
        "reconcilable": a.reconcilable,
        "active": a.active,
    }


@account_app.command("add")
def account_add(
    ctx: typer.Context,
    code: str = typer.Argument(...),
    name: str = typer.Argument(...),
    type_: str = typer.Option(..., "--type", help="asset, liability, equity, income, expense"),
    parent: str | None = typer.Option(None, "--parent", help="Parent account code."),
    currency: str | None = typer.Option(None, "--currency", help="Only this currency."),
    reconcilable: bool = typer.Option(False, "--reconcilable", help="Open items (AR/AP)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add an account to the chart."""
    st = state(ctx)
    account = ledger.add_account(
        st.runtime.uow(),
        st.actor(),
        st.company,
        code=code,
        name=name,
        type=type_,
        parent=parent,
        currency=currency,
        reconcilable=reconcilable,
    )
    render_object(account_row(account), st.output(fmt))


@account_app.command("list")
def account_list(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include archived accounts."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List the chart of accounts."""
    st = state(ctx)
    accounts = ledger.list_accounts(
        st.runtime.uow(readonly=True), st.actor(), st.company, include_archived=all_
    )
    render_rows([account_row(a) for a in accounts], st.output(fmt), title="Accounts")


@account_app.command("show")
def account_show(
    ctx: typer.Context, code: str = typer.Argument(...), fmt: OutputFormat | None = FormatOption
) -> None:
    """Show an account and its balance per commodity today."""
    st = state(ctx)
    account = ledger.get_account(st.runtime.uow(readonly=True), st.actor(), st.company, code)
    rows = ledger.trial_balance(st.runtime.uow(readonly=True), st.actor(), st.company)
    balances = {r.commodity: r.balance for r in rows if r.account == code}
    render_object({**account_row(account), "balance": balances or {}}, st.output(fmt))


@account_app.command("update")
def account_update(
    ctx: typer.Context,
    code: str = typer.Argument(...),
    name: str | None = typer.Option(None, "--name"),
    reconcilable: bool | None = typer.Option(None, "--reconcilable/--not-reconcilable"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Rename an account or change whether it is reconcilable."""
    st = state(ctx)
    account = ledger.update_account(
        st.runtime.uow(), st.actor(), st.company, code, name=name, reconcilable=reconcilable
    )
    render_object(account_row(account), st.output(fmt))


@account_app.command("archive")
def account_archive(ctx: typer.Context, code: str = typer.Argument(...)) -> None:
    """Archive an account: no new postings; its history stays (accounts are never deleted)."""
    st = state(ctx)
    ledger.archive_account(st.runtime.uow(), st.actor(), st.company, code)
    say(f"Account {code} is archived.", st.fmt)


@account_app.command("restore")
def account_restore(ctx: typer.Context, code: str = typer.Argument(...)) -> None:
    """Make an archived account active again."""
    st = state(ctx)
    ledger.archive_account(st.runtime.uow(), st.actor(), st.company, code, archived=False)
    say(f"Account {code} is active again.", st.fmt)


@commodity_app.command("add")
def commodity_add(
    ctx: typer.Context,
    code: str = typer.Argument(...),
    decimals: int = typer.Option(..., "--decimals", min=0, max=6),
    name: str | None = typer.Option(None, "--name"),
) -> None:
    """Declare a commodity that is not an ISO currency."""
    st = state(ctx)
    commodity = ledger.declare_commodity(st.runtime.uow(), st.actor(), code, decimals, name)
    say(f"Commodity {commodity.code} declared with {commodity.decimals} decimals.", st.fmt)


@commodity_app.command("list")
def commodity_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List declared commodities (ISO currencies need no declaration)."""
    st = state(ctx)
    rows = [c.__dict__ for c in ledger.list_commodities(st.runtime.uow(readonly=True), st.actor())]
    render_rows(rows, st.output(fmt), ["code", "name", "decimals", "kind"], title="Commodities")


@period_app.command("open-year")
def period_open_year(
    ctx: typer.Context,
    year: int = typer.Argument(..., min=1900, max=9999),
) -> None:
    """Open the fiscal year that contains 1 January of YEAR (monthly periods)."""
    st = state(ctx)
    found = ledger.open_fiscal_year(st.runtime.uow(), st.actor(), st.company, date(year, 1, 1))
    say(f"Fiscal year {found.name} ({found.start} to {found.end}) is open.", st.fmt)


@period_app.command("list")
def period_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List periods and their state."""
    st = state(ctx)
    periods = ledger.list_periods(st.runtime.uow(readonly=True), st.actor(), st.company)
    render_rows(
        [{"name": p.name, "start": p.start, "end": p.end, "state": p.state.value} for p in periods],
        st.output(fmt),
        title="Periods",
    )


def _set_state(ctx: typer.Context, name: str, target: ledger.PeriodState) -> None:
    st = state(ctx)
    period = ledger.set_period_state(st.runtime.uow(), st.actor(), st.company, name, target)
    say(f"Period {period.name} is {period.state.value}.", st.fmt)


@period_app.command("close")
def period_close(ctx: typer.Context, name: str = typer.Argument(..., help="YYYY-MM")) -> None:
    """Close a period: nothing more can be posted in it until it is reopened."""
    _set_state(ctx, name, ledger.PeriodState.closed)


@period_app.command("reopen")
def period_reopen(ctx: typer.Context, name: str = typer.Argument(..., help="YYYY-MM")) -> None:
    """Reopen a closed period."""
    _set_state(ctx, name, ledger.PeriodState.open)


@period_app.command("lock")
def period_lock(ctx: typer.Context, name: str = typer.Argument(..., help="YYYY-MM")) -> None:
    """Lock a period for ever (it can never be reopened)."""
    st = state(ctx)
    st.confirm(f"Lock period {name} for ever?")
    _set_state(ctx, name, ledger.PeriodState.locked)


@entry_app.command("add")
def entry_add(
    ctx: typer.Context,
    line: list[str] = typer.Option(
        ...,
        "--line",
        "-l",
        help=(
            "ACCOUNT AMOUNT [COMMODITY] [@ WEIGHT CURRENCY] [partner=NAME] [due=YYYY-MM-DD] "
            "[memo=TEXT]; repeat for each line"
        ),
    ),
    journal: str = typer.Option("GEN", "--journal", "-j"),
    day: datetime | None = typer.Option(
        None, "--date", "-d", formats=DATE, help="Entry date (default today)."
    ),
    narration: str = typer.Option("", "--narration", "-n"),
    partner: str | None = typer.Option(None, "--partner"),
    reference: str | None = typer.Option(None, "--reference"),
    draft: bool = typer.Option(False, "--draft", help="Keep as a draft (no number yet)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Record a journal entry (posted unless --draft); it must balance."""
    st = state(ctx)
    drafted = ledger.EntryDraft(
        journal.upper(),
        day.date() if day else clock.today(),
        tuple(parse_line(text) for text in line),
        narration,
        partner,
        reference,
    )
    entry = ledger.record_entry(st.runtime.uow(), st.actor(), st.company, drafted, post=not draft)
    _show(entry, st.output(fmt))


def _show(entry: ledger.Entry, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.table:
        render_object(entry_row(entry), fmt)
        render_rows(line_rows(entry), fmt, title="Lines")
    else:
        render_object({**entry_row(entry), "lines": line_rows(entry)}, fmt)


@entry_app.command("show")
def entry_show(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., min=1, max=MAX_ID),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Show an entry with its lines."""
    st = state(ctx)
    _show(
        ledger.get_entry(st.runtime.uow(readonly=True), st.actor(), st.company, entry_id),
        st.output(fmt),
    )


@entry_app.command("list")
def entry_list(
    ctx: typer.Context,
    journal: str | None = typer.Option(None, "--journal", "-j"),
    start: datetime | None = typer.Option(None, "--from", formats=DATE),
    end: datetime | None = typer.Option(None, "--to", formats=DATE),
    state_: str | None = typer.Option(None, "--state", help="draft or posted"),
    limit: int = typer.Option(100, "--limit", "-n"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List entries, newest first."""
    st = state(ctx)
    found = ledger.list_entries(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        journal=journal,
        start=start.date() if start else None,
        end=end.date() if end else None,
        state=state_,
        limit=limit,
    )
    render_rows([entry_row(e) for e in found], st.output(fmt), title="Entries")


@entry_app.command("post")
def entry_post(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., min=1, max=MAX_ID),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Post a draft: it gets its number and can no longer change."""
    st = state(ctx)
    _show(ledger.post_draft(st.runtime.uow(), st.actor(), st.company, entry_id), st.output(fmt))


@entry_app.command("reverse")
def entry_reverse(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., min=1, max=MAX_ID),
    day: datetime | None = typer.Option(
        None, "--date", "-d", formats=DATE, help="Date of the reversal (default today)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Post the negated entry, linked to the original both ways."""
    st = state(ctx)
    entry = ledger.reverse_entry(
        st.runtime.uow(), st.actor(), st.company, entry_id, day.date() if day else None
    )
    _show(entry, st.output(fmt))


@entry_app.command("delete")
def entry_delete(
    ctx: typer.Context, entry_id: int = typer.Argument(..., min=1, max=MAX_ID)
) -> None:
    """Delete a draft (posted entries are reversed, never deleted)."""
    st = state(ctx)
    st.confirm(f"Delete draft {entry_id}?")
    ledger.delete_draft(st.runtime.uow(), st.actor(), st.company, entry_id)
    say(f"Draft {entry_id} deleted.", st.fmt)
