"""The interchange format: CSV files of accounts and of journal lines, parsed row by row.

An accounts file has the header ``code,name,type,parent,currency``; a journal file has
``date,entry,account,commodity,amount,weight_amount,weight_currency,narration,payee``,
one row per line, the ``entry`` column grouping consecutive rows into one entry. Every
problem is returned as data — a :class:`Rejection` naming the file line — so an import
can list all of them at once.

>>> kind, records = read_interchange([
...     "date,entry,account,commodity,amount,weight_amount,weight_currency,narration,payee",
...     "2026-01-05,1,1000,EUR,100.00,,,Capital,",
...     "2026-01-05,1,3000,EUR,-100.00,,,,",
... ])
>>> kind, [parse_journal_row(*r).draft.amount for r in records]
('journal', [Decimal('100.00'), Decimal('-100.00')])
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from hansa.kernel.errors import HansaError
from hansa.kernel.money import unit
from hansa.ledger.domain.accounts import (
    Account,
    AccountType,
    check_account_code,
    parse_account_type,
)
from hansa.ledger.domain.commodities import MAX_DECIMALS, Commodity, check_code
from hansa.ledger.domain.entries import EntryDraft, LineDraft
from hansa.ledger.errors import BadLedgerInput

ACCOUNTS_HEADER = ("code", "name", "type", "parent", "currency")
JOURNAL_HEADER = (
    "date",
    "entry",
    "account",
    "commodity",
    "amount",
    "weight_amount",
    "weight_currency",
    "narration",
    "payee",
)
# Amounts are stored as 64-bit integers of millionths (see hansa.db.types.ExactDecimal).
MAX_AMOUNT = Decimal(2**63 - 1).scaleb(-MAX_DECIMALS)
_MILLIONTH = unit(MAX_DECIMALS)
_FIELD_COUNT = "#fields"  # set on a record whose field count differs from the header's

Record = tuple[int, Mapping[str, str]]  # (line number in the file, values by column)


class Rejection(NamedTuple):
    """A row that was not imported: its line in the file and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored (or, with rejections and nothing stored, would have)."""

    kind: str  # accounts | journal
    entries: int = 0
    lines: int = 0
    entries_rejected: int = 0
    accounts_created: int = 0
    accounts_existing: int = 0
    commodities_declared: tuple[Commodity, ...] = ()
    fiscal_years_opened: tuple[str, ...] = ()
    rejected: tuple[Rejection, ...] = field(default=())


def interchange_kind(header: Sequence[str]) -> str:
    """``accounts`` or ``journal`` from a file's header (column order is free)."""
    names = {name.strip().lstrip("\ufeff").lower() for name in header}
    if names == set(ACCOUNTS_HEADER) and len(header) == len(ACCOUNTS_HEADER):
        return "accounts"
    if names == set(JOURNAL_HEADER) and len(header) == len(JOURNAL_HEADER):
        return "journal"
    raise BadLedgerInput(
        f"unrecognised header {','.join(header)!r}: an accounts file has the header "
        f"{','.join(ACCOUNTS_HEADER)} and a journal file {','.join(JOURNAL_HEADER)}",
        code="ledger.bad_import_header",
    )


def read_interchange(lines: Iterable[str]) -> tuple[str, Iterator[Record]]:
    """The kind of an interchange CSV and its records, read lazily from *lines* (an
    open file or any iterable of text lines). Blank rows are skipped."""
    reader = csv.reader(lines)
    header = [name.strip().lstrip("\ufeff").lower() for name in next(reader, [])]
    kind = interchange_kind(header)

    def records() -> Iterator[Record]:
        width = len(header)
        for fields in reader:
            if not any(fields):
                continue
            values = dict(zip(header, fields, strict=False))
            if len(fields) != width:
                values[_FIELD_COUNT] = f"{len(fields)} fields where the header has {width}"
            yield reader.line_num, values

    return kind, records()


@dataclass(frozen=True)
class AccountRow:
    line: int
    code: str
    name: str
    type: AccountType
    parent: str | None
    currency: str | None


def parse_account_row(line: int, values: Mapping[str, str]) -> AccountRow | Rejection:
    """One accounts-file row as typed values, or why it cannot be one."""
    if _FIELD_COUNT in values:
        return Rejection(line, values[_FIELD_COUNT])
    try:
        code = check_account_code(values["code"])
        account_type = parse_account_type(values["type"])
    except HansaError as exc:
        return Rejection(line, exc.message)
    name = values["name"].strip()
    if not name:
        return Rejection(line, f"account {code} has no name")
    currency = values["currency"].strip().upper() or None
    return AccountRow(line, code, name, account_type, values["parent"].strip() or None, currency)


def order_accounts(
    rows: Sequence[AccountRow], existing: Iterable[str]
) -> tuple[list[AccountRow], list[Rejection]]:
    """The rows to create, parents before children, and the rows refused: a code given
    twice, a parent that exists neither in the file nor in the books, a cycle."""
    first: dict[str, AccountRow] = {}
    rejected: list[Rejection] = []
    for row in rows:
        if row.code in first:
            rejected.append(
                Rejection(
                    row.line,
                    f"account {row.code} is given twice (first on line {first[row.code].line})",
                )
            )
        else:
            first[row.code] = row
    ordered: list[AccountRow] = []
    placed: set[str] = set(existing)
    visiting: set[str] = set()
    refused: set[str] = set()

    def place(row: AccountRow) -> bool:
        """Place *row* after its ancestors (depth first); False if it is refused."""
        if row.code in placed or row.code in refused:
            return row.code in placed
        visiting.add(row.code)
        reason = None
        if row.parent and row.parent not in placed:
            parent = first.get(row.parent)
            if parent is None:
                reason = f"parent account {row.parent} exists neither in the file nor the books"
            elif parent.code in visiting:
                reason = f"the parents of account {row.code} form a cycle"
            elif not place(parent):
                reason = f"parent account {row.parent} is refused"
        visiting.discard(row.code)
        if reason is None:
            placed.add(row.code)
            ordered.append(row)
            return True
        refused.add(row.code)
        rejected.append(Rejection(row.line, reason))
        return False

    for row in first.values():
        place(row)
    return ordered, sorted(rejected)


@dataclass(frozen=True)
class AccountPlan:
    """What an accounts file asks for: accounts to create (parents first), how many
    exist already as the file describes them, and the rows refused."""

    create: tuple[AccountRow, ...]
    kept: int
    rejected: tuple[Rejection, ...]


def plan_accounts(
    records: Iterable[Record],
    existing: Mapping[str, Account],
    currency_known: Callable[[str], bool],
) -> AccountPlan:
    """Compare an accounts file with the books: an account that exists with the same
    type and currency is kept as it is, with another type or currency it is refused,
    as is a currency that is neither ISO 4217 nor declared."""
    fresh: list[AccountRow] = []
    rejected: list[Rejection] = []
    kept = 0
    for line, values in records:
        row = parse_account_row(line, values)
        if isinstance(row, Rejection):
            rejected.append(row)
        elif row.code in existing:
            account = existing[row.code]
            if (account.type, account.currency) == (row.type, row.currency):
                kept += 1
            else:
                where = account.currency or "in any currency"
                reason = f"account {row.code} exists already as {account.type} {where}"
                rejected.append(Rejection(line, reason))
        elif row.currency and not currency_known(row.currency):
            reason = (
                f"unknown currency {row.currency!r}: declare it first "
                "('hansa ledger commodity add')"
            )
            rejected.append(Rejection(line, reason))
        else:
            fresh.append(row)
    ordered, refused = order_accounts(fresh, existing)
    return AccountPlan(tuple(ordered), kept, tuple(sorted(rejected + refused)))


class JournalRow(NamedTuple):
    """A journal-file row: its line drafted for posting and what it says of its entry."""

    line: int
    date: date
    draft: LineDraft
    narration: str
    payee: str


_day = functools.lru_cache(maxsize=4096)(date.fromisoformat)
_code = functools.lru_cache(maxsize=1024)(check_code)


def _places(number: Decimal) -> int:
    """The decimals written in *number*."""
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _number(text: str, column: str) -> Decimal:
    """An amount as written (at most 6 decimals: more are accepted only as zeros);
    refused unless it is an exact number that can be stored."""
    try:
        number = Decimal(text)
        fits = -MAX_AMOUNT <= number <= MAX_AMOUNT  # NaN refuses to compare
    except InvalidOperation:
        raise BadLedgerInput(f"{column} {text!r} is not a number") from None
    if not fits:
        raise BadLedgerInput(f"{column} {text!r} is too large to store")
    if _places(number) > MAX_DECIMALS:
        if number.quantize(_MILLIONTH) != number:
            raise BadLedgerInput(f"{column} {text!r} has more than {MAX_DECIMALS} decimals")
        number = number.quantize(_MILLIONTH)
    return number


def parse_journal_row(line: int, values: Mapping[str, str]) -> JournalRow | Rejection:
    """One journal-file row as typed values, or why it cannot be one. Blank weight
    columns make the line weigh its own amount in its own commodity."""
    if _FIELD_COUNT in values:
        return Rejection(line, values[_FIELD_COUNT])
    text = values["date"]
    try:
        day = _day(text.strip())
    except ValueError:
        return Rejection(line, f"date {text!r} is not a date (YYYY-MM-DD)")
    account = values["account"].strip()
    if not account:
        return Rejection(line, "the account is empty")
    try:
        commodity = _code(values["commodity"])
        amount = _number(values["amount"], "amount")
        weight, weight_currency = amount, commodity
        if values["weight_amount"].strip():
            weight = _number(values["weight_amount"], "weight_amount")
            weight_currency = _code(values["weight_currency"].strip() or commodity)
        elif values["weight_currency"].strip():
            return Rejection(line, "weight_currency is given without a weight_amount")
    except HansaError as exc:
        return Rejection(line, exc.message)
    payee = values["payee"].strip()
    if len(payee) > 200:
        return Rejection(line, "the payee is longer than 200 characters")
    draft = LineDraft(account, commodity, amount, weight, weight_currency)
    return JournalRow(line, day, draft, values["narration"].strip(), payee)


@dataclass
class ParsedEntry:
    """The consecutive rows of one entry of the file as drafted lines (the rows are not
    kept: a large file has millions), and the problems found in them."""

    key: str
    line: int
    size: int = 0  # records read, rejected or not
    date: date | None = None  # of the first row that could be read
    narration: str = ""  # the first row's that has one
    payee: str | None = None
    lines: list[LineDraft] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)  # the file line of each line
    rejected: list[Rejection] = field(default_factory=list)
    misdated: list[Rejection] = field(default_factory=list)  # rows off the entry's date

    def add(self, row: JournalRow) -> None:
        if self.date is None:
            self.date = row.date
        elif row.date != self.date:
            reason = f"entry {self.key}: date {row.date} differs from its first line's"
            self.misdated.append(Rejection(row.line, f"{reason} ({self.date})"))
        if row.narration and not self.narration:
            self.narration = row.narration
        if row.payee and not self.payee:
            self.payee = row.payee
        self.lines.append(row.draft)
        self.line_numbers.append(row.line)


def group_entries(records: Iterable[Record]) -> Iterator[ParsedEntry]:
    """Parse *records* and group consecutive rows with the same ``entry`` value. An
    entry whose rows are not consecutive is refused where it reappears (the file is
    streamed, so an entry must be complete when the next one starts)."""
    first_line: dict[str, int] = {}
    current: ParsedEntry | None = None
    for line, values in records:
        key = values.get("entry", "").strip()
        if current is None or key != current.key or not key:
            if current is not None:
                yield current
            current = ParsedEntry(key, line)
            if not key:
                current.rejected.append(Rejection(line, "the entry column is empty"))
            elif key in first_line:
                current.rejected.append(
                    Rejection(
                        line,
                        f"entry {key} continues here after other entries: its lines must "
                        f"be consecutive (it starts on line {first_line[key]})",
                    )
                )
            else:
                first_line[key] = line
        current.size += 1
        parsed = parse_journal_row(line, values)
        if isinstance(parsed, Rejection):
            current.rejected.append(parsed)
        else:
            current.add(parsed)
    if current is not None:
        yield current


def entry_draft(parsed: ParsedEntry, journal: str) -> EntryDraft | list[Rejection]:
    """The entry draft of *parsed* (every weight explicit), or its problems. Balance,
    accounts and periods are checked where every posting is (``posting.resolved``)."""
    if parsed.rejected:
        return parsed.rejected
    if parsed.misdated:
        return parsed.misdated
    assert parsed.date is not None  # a row that could not be read is rejected
    return EntryDraft(
        journal,
        parsed.date,
        tuple(parsed.lines),
        parsed.narration,
        parsed.payee,
        parsed.key[:100],
    )


def decimals_seen(lines: Iterable[LineDraft], codes: Container[str]) -> dict[str, int]:
    """For the commodities *codes*, the most decimals written in *lines* (with explicit
    weights, as parsed)."""
    seen: dict[str, int] = {}
    for line in lines:
        if line.commodity in codes:
            seen[line.commodity] = max(seen.get(line.commodity, -1), _places(line.amount))
        if line.weight_currency in codes:
            weight, currency = line.weighed
            seen[currency] = max(seen.get(currency, -1), _places(weight))
    return seen
