"""Rows as an Excel workbook (one sheet), for accountants who continue in a spreadsheet."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter


def write_rows(
    path: Path, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None
) -> None:
    """Write *rows* under a bold header. Amounts become spreadsheet numbers (so they can be
    summed there) shown with exactly the decimals they have; dates become dates."""
    workbook = xlsxwriter.Workbook(str(path))
    try:
        sheet = workbook.add_worksheet((title or "Hansa")[:31].replace("/", "-"))
        bold = workbook.add_format({"bold": True})
        dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
        formats: dict[int, Any] = {}
        for col, name in enumerate(columns):
            sheet.write_string(0, col, name, bold)
            sheet.set_column(col, col, max(12, len(name) + 2))
        for r, row in enumerate(rows, start=1):
            for c, name in enumerate(columns):
                value = row.get(name)
                if value is None:
                    continue
                if isinstance(value, Decimal):
                    places = max(0, -int(value.as_tuple().exponent))
                    if places not in formats:
                        pattern = "#,##0" + ("." + "0" * places if places else "")
                        formats[places] = workbook.add_format({"num_format": pattern})
                    sheet.write_number(r, c, float(value), formats[places])
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int):
                    sheet.write_number(r, c, value)
                elif isinstance(value, datetime):
                    sheet.write_string(r, c, value.isoformat())
                elif isinstance(value, date):
                    sheet.write_datetime(r, c, value, dates)
                elif isinstance(value, list | tuple):
                    sheet.write_string(r, c, ", ".join(str(v) for v in value))
                else:
                    sheet.write_string(r, c, str(value))
    finally:
        workbook.close()
