"""Bank statements: reading a CSV export, exact matches and ranked suggestions (pure).

A statement line with a positive amount is money in. It matches an open item of the
same sign: an uncleared line on the bank account itself (a payment already booked),
or a receivable (+) or payable (-) item still to be paid.

>>> rows = read_statement("Buchungstag;Betrag;Text\\n31.01.2026;1.190,00;Globex\\n",
...                       {"date": "Buchungstag", "amount": "Betrag", "description": "Text"},
...                       decimal_comma=True, date_format="%d.%m.%Y", decimals=2)
>>> rows[0].date, rows[0].amount, rows[0].description
(datetime.date(2026, 1, 31), Decimal('1190.00'), 'Globex')
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from hansa.kernel.money import unit
from hansa.ledger.domain.matching import OpenItem
from hansa.ledger.errors import BadLedgerInput, ImportRejected

FIELDS = ("date", "amount", "description", "reference")
REQUIRED = ("date", "amount")
MAX_ERRORS = 20
SUGGESTIONS = 5


@dataclass(frozen=True)
class StatementRow:
    line_no: int
    date: date
    amount: Decimal
    description: str
    reference: str | None


@dataclass(frozen=True)
class BankStatementLine:
    """A stored statement line."""

    id: int
    statement_id: int
    line_no: int
    date: date
    amount: Decimal
    description: str
    reference: str | None
    status: str  # unmatched | matched
    line_id: int | None = None
    reconciliation_id: int | None = None
    entry_id: int | None = None  # the payment entry matching posted


@dataclass(frozen=True)
class BankStatement:
    id: int
    account: str
    file_name: str
    sha256: str
    lines: tuple[BankStatementLine, ...]


def decode(data: bytes) -> str:
    """Bank exports come in UTF-8 (often with a BOM) or, from older systems, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _columns(header: Sequence[str], mapping: Mapping[str, str] | None) -> dict[str, int]:
    unknown = sorted(set(mapping or {}) - set(FIELDS))
    if unknown:
        raise BadLedgerInput(
            f"unknown mapping field(s) {', '.join(unknown)}: map {', '.join(FIELDS)}",
            code="ledger.bad_mapping",
        )
    names = {name.strip().casefold(): index for index, name in enumerate(header)}
    found = {}
    for field in FIELDS:
        column = (mapping or {}).get(field, field)
        index = names.get(column.strip().casefold())
        if index is None and (field in REQUIRED or field in (mapping or {})):
            raise BadLedgerInput(
                f"the statement has no column {column!r} for the {field}; its columns are "
                f"{', '.join(header)} (use the mapping, e.g. {field}=COLUMN)",
                code="ledger.statement_column_missing",
            )
        if index is not None:
            found[field] = index
    return found


def parse_amount(text: str, *, decimal_comma: bool = False) -> Decimal:
    """``"1.234,56"`` (decimal comma) or ``"1,234.56"`` -> Decimal('1234.56').

    >>> parse_amount("-1.234,56", decimal_comma=True), parse_amount("1,234.56")
    (Decimal('-1234.56'), Decimal('1234.56'))
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if cleaned.endswith("-"):  # some banks print the sign last: 12,50-
        cleaned = "-" + cleaned[:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def read_statement(
    text: str,
    mapping: Mapping[str, str] | None = None,
    *,
    decimal_comma: bool = False,
    date_format: str = "%Y-%m-%d",
    decimals: int = 2,
) -> list[StatementRow]:
    """The rows of a statement CSV (header first; ``,``, ``;`` or tab separated).
    *mapping* names the column of each field (date, amount, description, reference)
    when it differs from the field's name. Every bad row is reported at once."""
    text = text.strip()
    if not text:
        raise ImportRejected("the statement file is empty", code="ledger.statement_empty")
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text.splitlines()[0])))
    except csv.Error as exc:
        raise ImportRejected(
            f"the statement is not a readable CSV file: {exc}", code="ledger.statement_rejected"
        ) from None
    header, body = records[0], records[1:]
    columns = _columns(header, mapping)
    rows: list[StatementRow] = []
    errors: list[str] = []
    for number, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue

        def cell(field: str, record: list[str] = record) -> str:
            index = columns.get(field)
            return record[index].strip() if index is not None and index < len(record) else ""

        try:
            day = datetime.strptime(cell("date"), date_format).date()  # noqa: DTZ007
        except ValueError:
            errors.append(f"row {number}: {cell('date')!r} is not a date like {date_format}")
            continue
        try:
            amount = parse_amount(cell("amount"), decimal_comma=decimal_comma)
        except ValueError:
            comma = "decimal comma" if decimal_comma else "decimal point"
            errors.append(f"row {number}: {cell('amount')!r} is not an amount ({comma})")
            continue
        if amount != amount.quantize(unit(decimals)):
            errors.append(f"row {number}: {amount} has more than {decimals} decimals")
            continue
        reference = cell("reference") or None
        rows.append(StatementRow(len(rows) + 1, day, amount, cell("description")[:500], reference))
    if errors:
        more = f" (and {len(errors) - MAX_ERRORS} more)" if len(errors) > MAX_ERRORS else ""
        raise ImportRejected(
            "the statement was not imported: " + "; ".join(errors[:MAX_ERRORS]) + more,
            code="ledger.statement_rejected",
            details={"errors": errors},
        )
    if not rows:
        raise ImportRejected("the statement has no rows", code="ledger.statement_empty")
    return rows


# Matching --------------------------------------------------------------------------


def _norm(text: str | None) -> str:
    return "".join((text or "").split()).casefold()


def _reference_equal(line: BankStatementLine, item: OpenItem) -> bool:
    wanted = _norm(line.reference)
    return bool(wanted) and wanted in {_norm(item.reference), _norm(item.entry_number)}


def _fits(line: BankStatementLine, item: OpenItem) -> bool:
    return item.residual == line.amount


def exact_matches(
    lines: Sequence[BankStatementLine], items: Sequence[OpenItem]
) -> list[tuple[BankStatementLine, OpenItem]]:
    """Pairs safe to reconcile without asking: the same amount and an equal reference,
    or the same amount where neither side has another candidate of that amount.
    Each open item is used at most once."""
    unmatched = [ln for ln in lines if ln.status == "unmatched"]
    amounts = Counter(ln.amount for ln in unmatched)
    used: set[int] = set()
    pairs = []
    for line in unmatched:
        same = [i for i in items if _fits(line, i) and i.line_id not in used]
        by_reference = [i for i in same if _reference_equal(line, i)]
        if len(by_reference) == 1:
            chosen = by_reference[0]
        elif len(same) == 1 and amounts[line.amount] == 1 and not by_reference:
            chosen = same[0]
        else:
            continue
        used.add(chosen.line_id)
        pairs.append((line, chosen))
    return pairs


@dataclass(frozen=True)
class BankSuggestion:
    statement_line_id: int
    item: OpenItem
    same_amount: bool
    days_apart: int
    similarity: int  # 2: reference or number found; +1: partner named in the text


def similarity(line: BankStatementLine, item: OpenItem) -> int:
    """How well the statement's texts point at *item*: its reference or entry number
    appears (2), its partner is named (1)."""
    text = _norm(f"{line.reference or ''} {line.description}")
    score = 0
    keys = [k for k in (_norm(item.reference), _norm(item.entry_number)) if k]
    if any(k in text for k in keys):
        score += 2
    if item.partner and _norm(item.partner) in text:
        score += 1
    return score


def suggestions(
    line: BankStatementLine, items: Sequence[OpenItem], limit: int = SUGGESTIONS
) -> list[BankSuggestion]:
    """Open items of the statement line's sign, best first: the same amount first,
    then the nearest due date, then the best reference/partner similarity."""
    found = [
        BankSuggestion(
            line.id,
            item,
            _fits(line, item),
            abs((line.date - item.due).days),
            similarity(line, item),
        )
        for item in items
        if (item.residual > 0) == (line.amount > 0) and item.residual != 0
    ]
    found.sort(key=lambda s: (not s.same_amount, s.days_apart, -s.similarity, s.item.line_id))
    return found[:limit]


@dataclass(frozen=True)
class BankMatch:
    """A statement line matched to an open item; *entry_id* is the payment posted
    (None when the item was a line already booked on the bank account)."""

    statement_line: BankStatementLine
    item: OpenItem
    entry_id: int | None
    reconciliation_id: int | None


@dataclass(frozen=True)
class BankMatching:
    matched: tuple[BankMatch, ...]
    suggestions: tuple[BankSuggestion, ...]
    unmatched: int  # statement lines still unmatched


# Balance assertions ----------------------------------------------------------------


@dataclass(frozen=True)
class BalanceAssertion:
    """An asserted balance of an account (with its sub-accounts) in one commodity at
    the end of a day, beside the balance the books show."""

    account: str
    commodity: str
    date: date
    amount: Decimal
    actual: Decimal

    @property
    def holds(self) -> bool:
        return self.actual == self.amount

    @property
    def difference(self) -> Decimal:
        return self.actual - self.amount


def subtree(tree: Iterable[tuple[int, int | None]], root: int) -> set[int]:
    """*root* and every account below it.

    >>> sorted(subtree([(1, None), (2, 1), (3, 2), (4, None)], 1))
    [1, 2, 3]
    """
    children: dict[int | None, list[int]] = {}
    for account, parent in tree:
        children.setdefault(parent, []).append(account)
    found, todo = set(), [root]
    while todo:
        account = todo.pop()
        if account not in found:
            found.add(account)
            todo.extend(children.get(account, []))
    return found
