"""Entry lines as typed on the command line, and entries as printed."""

from __future__ import annotations

from datetime import date
from typing import Any

from hansa import ledger
from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import to_decimal

LINE_HELP = (
    "ACCOUNT AMOUNT [COMMODITY] [@ WEIGHT CURRENCY] [partner=NAME] [due=DATE] [memo=TEXT] "
    "[tax=CODE base=AMOUNT]"
)


def _bad(text: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"cannot read line {text!r}: {why} (expected {LINE_HELP})", code="cli.bad_line"
    )


def parse_line(text: str) -> ledger.LineDraft:
    """``"1100 119.00 EUR partner=Globex due=2026-02-14"`` -> a line draft.

    The commodity may be left out (the company currency is meant; the service fills it
    in); ``@ -92.50 EUR`` gives the line an explicit weight.
    """
    words = text.split()
    options = {}
    while words and "=" in words[-1]:
        key, _, value = words.pop().partition("=")
        options[key] = value
    unknown = [k for k in options if k not in {"partner", "due", "memo", "tax", "base"}]
    if unknown:
        raise _bad(text, f"unknown option {unknown[0]!r}")
    weight = weight_currency = None
    if "@" in words:
        at = words.index("@")
        tail = words[at + 1 :]
        words = words[:at]
        if len(tail) != 2:
            raise _bad(text, "a weight is '@ AMOUNT CURRENCY'")
        weight, weight_currency = _number(text, tail[0]), tail[1].upper()
    if len(words) not in (2, 3):
        raise _bad(text, "give an account and an amount")
    commodity = words[2] if len(words) == 3 else ""
    due = None
    if "due" in options:
        try:
            due = date.fromisoformat(options["due"])
        except ValueError:
            raise _bad(text, f"due date {options['due']!r} is not YYYY-MM-DD") from None
    return ledger.LineDraft(
        words[0],
        commodity,
        _number(text, words[1]),
        weight,
        weight_currency,
        options.get("partner"),
        due,
        options.get("memo"),
        tax_code=options.get("tax"),
        tax_base=_number(text, options["base"]) if "base" in options else None,
    )


def _number(text: str, word: str) -> Any:
    try:
        return to_decimal(word.replace(",", ""))
    except InvalidInput:
        raise _bad(text, f"{word!r} is not a number") from None


def entry_row(entry: ledger.Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "number": entry.number,
        "journal": entry.journal,
        "date": entry.date,
        "state": entry.state.value,
        "narration": entry.narration,
        "partner": entry.partner,
        "reversal_of": entry.reversal_of,
        "reversed_by": entry.reversed_by,
    }


def line_rows(entry: ledger.Entry) -> list[dict[str, Any]]:
    return [
        {
            "line": ln.line_no,
            "account": ln.account_code,
            "commodity": ln.commodity,
            "amount": ln.amount,
            "weight": ln.weight,
            "weight_currency": ln.weight_currency,
            "partner": ln.partner,
            "due_date": ln.due_date,
            "description": ln.description,
        }
        for ln in entry.lines
    ]
