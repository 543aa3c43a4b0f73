"""Receivables and payables: ``hansa ledger open-items|reconcile|unreconcile|
balance-assert`` and ``hansa report aging|partner-ledger``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, err_console, render_object, render_rows, say
from hansa.kernel.money import to_decimal

DATE = ["%Y-%m-%d"]


def as_day(value: datetime | None) -> date | None:
    return value.date() if value else None


def item_row(i: ledger.OpenItem) -> dict[str, Any]:
    return {
        "line": i.line_id,
        "entry": i.entry_number,
        "date": i.date,
        "due": i.due_date,
        "account": i.account,
        "partner": i.partner,
        "commodity": i.commodity,
        "amount": i.amount,
        "open": i.residual,
        "description": i.description,
        "reference": i.reference,
    }


def open_items(
    ctx: typer.Context,
    account: str | None = typer.Option(None, "--account", "-a", help="Only this account."),
    partner: str | None = typer.Option(None, "--partner", "-p", help="Only this partner."),
    as_of: datetime | None = typer.Option(None, "--as-of", formats=DATE, help="Open on this day."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Lines of reconcilable accounts not yet fully reconciled, oldest first."""
    st = state(ctx)
    found = ledger.open_items(
        st.runtime.uow(readonly=True), st.actor(), st.company, account, partner, as_day(as_of)
    )
    render_rows([item_row(i) for i in found], st.output(fmt), title="Open items")


def _show_reconciliation(rec: ledger.Reconciliation, fmt: OutputFormat) -> None:
    summary = {
        "reconciliation": rec.id,
        "account": rec.account,
        "partner": rec.partner,
        "commodity": rec.commodity,
        "full": rec.left_open == 0 if rec.left_open is not None else None,
        "left_open": rec.left_open,
        "write_off_entry": rec.write_off_entry_id,
        "exchange_entry": rec.exchange_entry_id,
        "exchange_difference": rec.exchange_difference,
    }
    parts = [{"line": line, "matched": amount} for line, amount in rec.parts]
    if fmt is OutputFormat.table:
        render_object(summary, fmt)
        render_rows(parts, fmt, title="Matched")
    else:
        render_object({**summary, "parts": parts}, fmt)


def reconcile(
    ctx: typer.Context,
    lines: list[int] = typer.Argument(..., help="Ids of the posted lines to match."),
    write_off: str | None = typer.Option(
        None, "--write-off", help="Post the difference to this account and close in full."
    ),
    write_off_date: datetime | None = typer.Option(
        None, "--write-off-date", formats=DATE, help="Date of the write-off (default today)."
    ),
    exchange_account: str = typer.Option(
        ledger.EXCHANGE_DIFFERENCES_CODE,
        "--exchange-account",
        help="Income or expense account for a realised exchange difference.",
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Reconcile lines of one account, partner and commodity.

    Lines that do not net to zero reconcile partially, unless --write-off is given.
    In a foreign currency, what the matched amounts were worth in the company
    currency when booked and when paid may differ: that realised exchange gain or loss
    is posted to --exchange-account in the same transaction."""
    st = state(ctx)
    rec = ledger.reconcile(
        st.runtime.uow(),
        st.actor(),
        st.company,
        lines,
        write_off,
        as_day(write_off_date),
        exchange_account,
    )
    _show_reconciliation(rec, st.output(fmt))


def unreconcile(ctx: typer.Context, reconciliation: int = typer.Argument(...)) -> None:
    """Undo a reconciliation (a realised exchange difference it posted is reversed; a
    write-off entry stays: reverse it if wrong)."""
    st = state(ctx)
    rec = ledger.unreconcile(st.runtime.uow(), st.actor(), st.company, reconciliation)
    lines = ", ".join(str(line) for line, _ in rec.parts)
    say(f"Reconciliation {rec.id} undone: lines {lines} are open again.", st.fmt)


def balance_assert(
    ctx: typer.Context,
    account: str = typer.Argument(...),
    amount: str = typer.Argument(..., help="Debit positive, credit negative."),
    day: datetime = typer.Option(..., "--date", "-d", formats=DATE, help="End of this day."),
    commodity: str | None = typer.Option(None, "--commodity", help="Default: the account's."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Record an asserted balance; 'hansa check' verifies it from now on."""
    st = state(ctx)
    found = ledger.assert_balance(
        st.runtime.uow(), st.actor(), st.company, account, to_decimal(amount), day.date(), commodity
    )
    out = st.output(fmt)
    render_object({**found.__dict__, "holds": found.holds, "difference": found.difference}, out)
    if not found.holds:
        err_console.print(
            f"warning: the books show {found.actual} {found.commodity}, "
            f"off by {found.difference}; 'hansa check' will report it until they agree",
            markup=False,
            highlight=False,
        )


def aging_row(r: ledger.AgingRow, total: bool = False) -> dict[str, Any]:
    return {
        "partner": "Total" if total else r.partner or "(no partner)",
        "commodity": r.commodity,
        "current": r.current,
        "1-30": r.days_1_30,
        "31-60": r.days_31_60,
        "61-90": r.days_61_90,
        "over_90": r.over_90,
        "total": r.total,
    }


def aging(
    ctx: typer.Context,
    payables: bool = typer.Option(False, "--payables", help="Payables instead of receivables."),
    account: str | None = typer.Option(None, "--account", "-a", help="One account instead."),
    as_of: datetime | None = typer.Option(None, "--as-of", formats=DATE, help="Default today."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Open items per partner by days past due: current, 1-30, 31-60, 61-90, over 90."""
    st = state(ctx)
    report = ledger.aging(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        kind="payable" if payables else "receivable",
        account=account,
        as_of=as_day(as_of),
    )
    kind = "Payables" if payables else "Receivables"
    render_rows(
        [aging_row(r) for r in report.rows] + [aging_row(r, True) for r in report.totals],
        st.output(fmt),
        title=f"{kind} aging as of {report.as_of}",
    )


def partner_ledger(
    ctx: typer.Context,
    partner: str = typer.Argument(...),
    start: datetime = typer.Option(..., "--from", formats=DATE),
    end: datetime = typer.Option(..., "--to", formats=DATE),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """A partner's lines with a running balance (debit positive)."""
    st = state(ctx)
    found = ledger.partner_ledger(
        st.runtime.uow(readonly=True), st.actor(), st.company, partner, start.date(), end.date()
    )
    opening: list[dict[str, Any]] = [
        {"date": found.start, "description": "Opening balance", "commodity": c, "balance": b}
        for c, b in sorted(found.opening.items())
    ]
    rows: list[dict[str, Any]] = [
        {
            "date": r.date,
            "entry": r.entry_number,
            "line": r.line_id,
            "account": r.account,
            "description": r.description,
            "commodity": r.commodity,
            "amount": r.amount,
            "balance": r.balance,
            "open": r.open,
        }
        for r in found.rows
    ]
    render_rows(
        opening + rows,
        st.output(fmt),
        [
            "date",
            "entry",
            "line",
            "account",
            "description",
            "commodity",
            "amount",
            "balance",
            "open",
        ],
        title=f"Partner ledger {partner} {found.start} to {found.end}",
    )


def register(ledger_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add these commands to ``hansa ledger`` and ``hansa report``."""
    ledger_app.command("open-items")(open_items)
    ledger_app.command("reconcile")(reconcile)
    ledger_app.command("unreconcile")(unreconcile)
    ledger_app.command("balance-assert", context_settings={"ignore_unknown_options": True})(
        balance_assert
    )  # so that a credit balance (-500.00) is an amount, not an option
    report_app.command("aging")(aging)
    report_app.command("partner-ledger")(partner_ledger)
