"""Bank statements: ``hansa ledger bank import|lines|match|match-line|unmatch``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import FormatOption, state
from hansa.cli.ledger_matching import DATE, as_day
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel.errors import InvalidInput

bank_app = typer.Typer(help="Bank statements: import and match.", no_args_is_help=True)


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
    """Undo the match of a statement line; a payment it posted is reversed.

    The item the payment settled is open again; a line the match only cleared is
    uncleared."""
    st = state(ctx)
    was = ledger.unmatch_bank_line(
        st.runtime.uow(), st.actor(), st.company, statement_line, as_day(on)
    )
    undone = f"payment entry {was.entry_id} reversed" if was.entry_id else f"line {was.line_id}"
    say(f"Statement line {was.id} unmatched: {undone} open again.", st.fmt)


def register(ledger_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add ``hansa ledger bank``."""
    ledger_app.add_typer(bank_app, name="bank")
