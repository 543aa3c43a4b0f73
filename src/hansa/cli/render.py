"""Output in the format the user asked for: table (Rich), json, csv, yaml or xlsx.

JSON and CSV are for scripts: keys are stable, numbers are decimal strings, times are
ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from hansa.kernel.errors import InvalidInput


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    xlsx = "xlsx"


console = Console()
err_console = Console(stderr=True)
_destination: Path | None = None


def set_destination(path: Path | None) -> None:
    """Send output to *path* instead of standard output (``--output FILE``)."""
    global _destination
    _destination = path


def _emit(text: str) -> None:
    if _destination is None:
        sys.stdout.write(text)
    else:
        _destination.write_text(text, encoding="utf-8")


def _print_table(table: Table, empty: bool) -> None:
    if _destination is None:
        console.print(table)
        if empty:
            console.print("[dim](none)[/dim]")
        return
    with _destination.open("w", encoding="utf-8") as handle:
        Console(file=handle, width=160).print(table)


def plain(value: Any) -> Any:
    """A JSON-friendly copy of *value*."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [plain(v) for v in items]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    return value


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: OutputFormat,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    raw = [{c: row.get(c) for c in cols} for row in rows]
    data = plain(raw)
    if fmt is OutputFormat.xlsx:
        if _destination is None:
            raise InvalidInput(
                "xlsx output is a file: add --output FILE.xlsx", code="cli.output_required"
            )
        from hansa.cli.xlsx import write_rows  # xlsxwriter only when asked for

        write_rows(_destination, raw, cols, title)
    elif fmt is OutputFormat.json:
        _emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.yaml:
        import yaml  # only when asked for

        _emit(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    elif fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=cols, lineterminator="\n")
        writer.writeheader()
        for row in raw:
            writer.writerow({c: _cell(row[c]) for c in cols})
        _emit(buffer.getvalue())
    else:
        table = Table(title=title, show_lines=False)
        for col in cols:
            table.add_column(col.replace("_", " "), overflow="fold")
        for row in raw:
            table.add_row(*(Text(_cell(row[c])) for c in cols))
        _print_table(table, not rows)


def render_object(obj: Mapping[str, Any], fmt: OutputFormat) -> None:
    data = plain(obj)
    if fmt is OutputFormat.table:
        data = dict(obj)
    if fmt is OutputFormat.json:
        _emit(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.yaml:
        import yaml  # only when asked for

        _emit(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    elif fmt in (OutputFormat.csv, OutputFormat.xlsx):
        render_rows([dict(obj)], fmt)
    else:
        table = Table(show_header=False, box=None)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for key, value in data.items():
            table.add_row(key.replace("_", " "), Text(_cell(value)))
        console.print(table)


def say(message: str, fmt: OutputFormat) -> None:
    """A human message: on stdout for tables, on stderr when stdout is for a script."""
    (console if fmt is OutputFormat.table else err_console).print(
        message, markup=False, highlight=False
    )
