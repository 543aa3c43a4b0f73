"""``hansa ledger import`` and ``hansa ledger export``: accounts and journals as CSV in
the interchange format (see docs/ledger.md)."""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from hansa import ledger
from hansa.cli.context import CliState, FormatOption, state
from hansa.cli.render import OutputFormat, err_console, render_object, render_rows
from hansa.kernel.errors import InvalidInput
from hansa.ledger.errors import ImportRejected

DATE = ["%Y-%m-%d"]


class CsvFile:
    """An interchange CSV on disk. Each iteration reads it again from the top, so an
    import the database asks to retry sees every row again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        digest, newlines = hashlib.sha256(), 0
        with path.open("rb") as raw:
            while chunk := raw.read(1 << 20):
                digest.update(chunk)
                newlines += chunk.count(b"\n")
        self.sha256, self.rows = digest.hexdigest(), max(newlines - 1, 0)
        with self._open() as handle:
            self.kind, _ = ledger.read_interchange(self._checked(handle))

    def _open(self) -> TextIO:
        return self.path.open(newline="", encoding="utf-8-sig")

    def _checked(self, lines: Iterable[str]) -> Iterator[str]:
        try:
            yield from lines
        except UnicodeDecodeError:
            raise InvalidInput(
                f"{self.path} is not a UTF-8 text file", code="cli.bad_file"
            ) from None

    def __iter__(self) -> Iterator[tuple[int, Mapping[str, str]]]:
        with self._open() as handle:
            _, records = ledger.read_interchange(self._checked(handle))
            try:
                yield from records
            except csv.Error as exc:
                raise InvalidInput(f"{self.path}: {exc}", code="cli.bad_file") from None


def _summary(s: ledger.ImportSummary) -> dict[str, Any]:
    counts: dict[str, Any] = {"kind": s.kind}
    if s.kind == "journal":
        counts |= {
            "entries": s.entries,
            "lines": s.lines,
            "entries_rejected": s.entries_rejected,
            "commodities_declared": [
                f"{c.code} ({c.decimals} decimal{'' if c.decimals == 1 else 's'})"
                for c in s.commodities_declared
            ],
            "fiscal_years_opened": list(s.fiscal_years_opened),
        }
    else:
        counts |= {"accounts_created": s.accounts_created, "accounts_existing": s.accounts_existing}
    return counts | {"rejected": len(s.rejected)}


def _rejected_rows(rejected: Sequence[ledger.Rejection]) -> list[dict[str, Any]]:
    return [{"line": r.line, "reason": r.reason} for r in rejected]


def _interactive() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


def import_file(
    ctx: typer.Context,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file."),
    company: str | None = typer.Option(None, "--company", "-c", help="Company code."),
    partial: bool = typer.Option(
        False, "--partial", help="Store the valid rows and list the rejected ones."
    ),
    journal: str = typer.Option("GEN", "--journal", help="Journal for imported entries."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Import accounts (code,name,type,parent,currency) or journal lines
    (date,entry,account,commodity,amount,weight_amount,weight_currency,narration,payee);
    the header says which. All or nothing unless --partial."""
    st = state(ctx)
    out = st.output(fmt)
    source = CsvFile(file)
    audit_source = {"file": file.name, "sha256": source.sha256}
    try:
        if source.kind == "accounts":
            summary = ledger.import_accounts(
                st.runtime.uow(),
                st.actor(),
                company or st.company,
                source,
                partial=partial,
                source=audit_source,
            )
        else:
            summary = _import_journal(st, company, source, partial, journal, audit_source)
    except ImportRejected as exc:
        render_rows(exc.details.get("rejected", []), out, ["line", "reason"], "Rejected rows")
        raise
    if out is OutputFormat.table:
        render_object(_summary(summary), out)
        if summary.rejected:
            render_rows(_rejected_rows(summary.rejected), out, title="Rejected rows")
    else:
        render_object(_summary(summary) | {"rejected": _rejected_rows(summary.rejected)}, out)


def _import_journal(
    st: CliState,
    company: str | None,
    source: CsvFile,
    partial: bool,
    journal: str,
    audit_source: dict[str, str],
) -> ledger.ImportSummary:
    def run(progress: Callable[[int], None] | None) -> ledger.ImportSummary:
        return ledger.import_journal(
            st.runtime.uow(),
            st.actor(),
            company or st.company,
            source,
            partial=partial,
            journal=journal,
            progress=progress,
            source=audit_source,
        )

    if not _interactive():
        return run(None)
    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeRemainingColumn(), console=err_console, transient=True) as bar:
        task = bar.add_task("Importing rows", total=source.rows)
        return run(lambda done: bar.update(task, completed=done))


def export_file(
    ctx: typer.Context,
    file: Path = typer.Argument(..., dir_okay=False, help="CSV file to write ('-': stdout)."),
    company: str | None = typer.Option(None, "--company", "-c", help="Company code."),
    start: datetime | None = typer.Option(None, "--from", formats=DATE, help="First day."),
    end: datetime | None = typer.Option(None, "--to", formats=DATE, help="Last day."),
    accounts: bool = typer.Option(
        False, "--accounts", help="Write the chart of accounts instead of the journal."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Export posted journal lines (or, with --accounts, the chart) in the format that
    'hansa ledger import' reads."""
    st = state(ctx)
    uow, actor, code = st.runtime.uow(readonly=True), st.actor(), company or st.company
    rows: Iterable[Mapping[str, Any]]
    header: Sequence[str]
    if accounts:
        header, rows = ledger.ACCOUNTS_HEADER, ledger.export_accounts(uow, actor, code)
    else:
        header = ledger.JOURNAL_HEADER
        rows = ledger.export_journal(uow, actor, code, _day(start), _day(end))
    count = _write(file, header, rows)
    if str(file) != "-":  # on stdout the CSV is the output
        kind = "accounts" if accounts else "journal"
        render_object({"file": str(file), "kind": kind, "rows": count}, st.output(fmt))


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _write(file: Path, header: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write *rows* as CSV, to stdout for '-'. A file is written beside its target and
    renamed into place when complete, so a failed export leaves no half-written file."""
    if str(file) == "-":
        return _write_csv(sys.stdout, header, rows)
    partial = file.with_name(f".{file.name}.part")
    try:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            count = _write_csv(handle, header, rows)
        os.replace(partial, file)
    except OSError as exc:
        raise InvalidInput(f"cannot write {file}: {exc.strerror}", code="cli.bad_file") from None
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_csv(handle: TextIO, header: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def register(ledger_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to ``hansa ledger``."""
    ledger_app.command("import")(import_file)
    ledger_app.command("export")(export_file)
