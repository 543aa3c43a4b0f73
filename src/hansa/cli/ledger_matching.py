"""Receivables, payables and bank: ``hansa ledger open-items|reconcile|unreconcile|
bank ...|balance-assert`` and ``hansa report aging|partner-ledger``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, err_console, render_object, render_rows, say
from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import to_decimal

DATE = ["%Y-%m-%d"]
bank_app = typer.Typer(help="Bank statements: import and match.", no_args_is_help=True)


def _day(value: datetime | None) -> date | None:
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
        st.runtime.uow(readonly=True), st.actor(), st.company, account, partner, _day(as_of)
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
        _day(write_off_date),
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


def parse_mapping(text: str | None) -> dict[str, str] | None:
    """``"date=Buchungstag,amount=Betrag"`` -> {"date": "Buchungstag", ...}."""
    if not text:
        return None
    mapping = {}
    for pair in text.split(","):
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise InvalidInput(
                f"cannot read mapping {pair!r}: write FIELD=COLUMN, e.g. date=Buchungstag",
                code="cli.bad_mapping",
            )
        mapping[field.strip().lower()] = column.strip()
    return mapping


def statement_line_row(ln: ledger.BankStatementLine) -> dict[str, Any]:
    return {
        "id": ln.id,
        "date": ln.date,
        "amount": ln.amount,
        "description": ln.description,
        "reference": ln.reference,
        "status": ln.status,
        "line": ln.line_id,
    }


@bank_app.command("import")
def bank_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The statement CSV."),
    account: str = typer.Option(..., "--account", "-a", help="The bank account's code."),
    mapping: str | None = typer.Option(
        None, "--map", help="Column names: date=COL,amount=COL,description=COL,reference=COL."
    ),
    decimal_comma: bool = typer.Option(False, "--decimal-comma", help="Amounts like 1.234,56."),
    date_format: str = typer.Option("%Y-%m-%d", "--date-format", help="e.g. %d.%m.%Y."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Import a bank statement CSV (all or nothing; never the same file twice)."""
    st = state(ctx)
    statement = ledger.import_bank_statement(
        st.runtime.uow(),
        st.actor(),
        st.company,
        account,
        file.read_bytes(),
        file_name=file.name,
        mapping=parse_mapping(mapping),
        decimal_comma=decimal_comma,
        date_format=date_format,
    )
    total = sum(ln.amount for ln in statement.lines)
    say(
        f"Statement {statement.id} ({statement.file_name}): {len(statement.lines)} lines "
        f"imported into {statement.account}, total {total}.",
        st.output(fmt),
    )
    render_rows(
        [statement_line_row(ln) for ln in statement.lines], st.output(fmt), title="Statement"
    )


@bank_app.command("lines")
def bank_lines(
    ctx: typer.Context,
    account: str = typer.Option(..., "--account", "-a"),
    status: str | None = typer.Option(None, "--status", help="unmatched or matched"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List the imported statement lines of a bank account."""
    st = state(ctx)
    found = ledger.list_statement_lines(
        st.runtime.uow(readonly=True), st.actor(), st.company, account, status
    )
    render_rows([statement_line_row(ln) for ln in found], st.output(fmt), title="Statement lines")


def suggestion_row(s: ledger.BankSuggestion) -> dict[str, Any]:
    return {
        "statement_line": s.statement_line_id,
        "line": s.item.line_id,
        "entry": s.item.entry_number,
        "account": s.item.account,
        "partner": s.item.partner,
        "open": s.item.residual,
        "same_amount": s.same_amount,
        "days_apart": s.days_apart,
        "similarity": s.similarity,
    }


def match_row(m: ledger.BankMatch) -> dict[str, Any]:
    return {
        "statement_line": m.statement_line.id,
        "date": m.statement_line.date,
        "amount": m.statement_line.amount,
        "line": m.item.line_id,
        "account": m.item.account,
        "partner": m.item.partner,
        "payment_entry": m.entry_id,
        "reconciliation": m.reconciliation_id,
    }


@bank_app.command("match")
def bank_match(
    ctx: typer.Context,
    account: str = typer.Option(..., "--account", "-a", help="The bank account's code."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Match exact statement lines automatically; suggest items for the rest.

    Take a suggestion with 'hansa ledger bank match-line STATEMENT_LINE LINE'."""
    st = state(ctx)
    out = st.output(fmt)
    result = ledger.match_bank_lines(st.runtime.uow(), st.actor(), st.company, account)
    matched = [match_row(m) for m in result.matched]
    suggested = [suggestion_row(s) for s in result.suggestions]
    if out is OutputFormat.table:
        render_rows(matched, out, title="Matched")
        render_rows(suggested, out, title="Suggestions")
        say(f"{len(matched)} matched, {result.unmatched} statement lines left.", out)
    else:
        render_object(
            {"matched": matched, "suggestions": suggested, "unmatched": result.unmatched}, out
        )


@bank_app.command("match-line")
def bank_match_line(
    ctx: typer.Context,
    statement_line: int = typer.Argument(..., help="Statement line id."),
    line: int = typer.Argument(..., help="The open item's line id."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Match one statement line with an open item by hand (a suggestion taken)."""
    st = state(ctx)
    found = ledger.match_bank_line(st.runtime.uow(), st.actor(), st.company, statement_line, line)
    render_object(match_row(found), st.output(fmt))


@bank_app.command("unmatch")
def bank_unmatch(
    ctx: typer.Context,
    statement_line: int = typer.Argument(..., help="Statement line id."),
    on: datetime | None = typer.Option(
        None,
        "--date",
        "-d",
        formats=DATE,
        help="Date of the reversal of a payment the match posted (default: the line's date).",
    ),
) -> None:
    """Undo the match of a statement line: a payment it posted is reversed and the
    item open again; a line it cleared is uncleared."""
    st = state(ctx)
    was = ledger.unmatch_bank_line(
        st.runtime.uow(), st.actor(), st.company, statement_line, _day(on)
    )
    undone = f"payment entry {was.entry_id} reversed" if was.entry_id else f"line {was.line_id}"
    say(f"Statement line {was.id} unmatched: {undone} open again.", st.fmt)


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
        as_of=_day(as_of),
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
    ledger_app.add_typer(bank_app, name="bank")
    report_app.command("aging")(aging)
    report_app.command("partner-ledger")(partner_ledger)
