"""Taxes on document lines: tax codes, groups, and where tax amounts are rounded.

A tax code charges *rate* percent of a base:

- price-excluded: the line amount is the net; tax = net x rate.
- price-included: the line amount is the gross; net = gross / (1 + rate) and
  tax = gross - net. Several included taxes come out together:
  net = gross / (1 + the sum of their rates), a compound one counting on those before.
- compound: the base is the net plus every tax before it on the line.

The taxes of a line apply in the order named, a group's in its members' order (a code's
``sequence`` orders lists and reports only); included taxes come before excluded ones.
Amounts are computed exactly first, then rounded to the currency's minor unit with
ROUND_HALF_UP at one of two points, the company's ``tax_rounding``:

- ``line``: each line's tax per code is rounded, then the rounded taxes are summed.
- ``document``: each code's exact taxes over all lines are summed, then rounded once.

Three lines of 1.05 EUR at 7 % excluded each carry 0.0735 EUR of tax:

>>> from decimal import Decimal as D
>>> vat = TaxCode(1, 1, "V7", "VAT 7%", D("7"), "2100")
>>> lines = [TaxedLine(D("1.05"), (vat,))] * 3
>>> compute(lines, "EUR", 2, TaxRounding.line).tax      # 0.07 + 0.07 + 0.07
Decimal('0.21')
>>> compute(lines, "EUR", 2, TaxRounding.document).tax  # 0.2205 rounded once
Decimal('0.22')
>>> compute(lines, "EUR", 2, TaxRounding.document).taxes[0].rounding_difference
Decimal('-0.000500')

Nets and bases are in minor units too. A line's net is its amount less its included
taxes: in line mode, less its own rounded ones; in document mode, the lines with
included taxes share their gross less the rounded included taxes by largest remainder.
Either way a document's net + tax is exactly its gross, so an invoice posted from it
balances. The base of a code is the net of the lines it taxes, plus for a compound code
the taxes before it (rounded where taxes are rounded). ``rounding_difference`` is the
rounded tax less the exact one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from hansa.kernel.money import quantize, unit
from hansa.ledger.domain.entries import LineDraft
from hansa.ledger.errors import BadLedgerInput, TaxCodeNotFound, TaxRuleViolation

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
MAX_RATE = Decimal(1000)
RATE_DECIMALS = 6
# Exact enough: a line's tax divides by (1 + rates); 40 digits leave every cent intact.
_PRECISION = 40
_HUNDRED = Decimal(100)


class TaxRounding(StrEnum):
    line = "line"
    document = "document"


@dataclass(frozen=True)
class TaxCode:
    id: int
    company_id: int
    code: str
    name: str
    rate: Decimal  # percent: 7.7 means 7.7 %
    account: str  # the account tax amounts post to
    price_included: bool = False
    compound: bool = False
    sequence: int = 10
    active: bool = True
    version: int = 1


@dataclass(frozen=True)
class TaxGroup:
    id: int
    company_id: int
    code: str
    name: str
    members: tuple[str, ...]  # tax codes, in the order they apply


@dataclass(frozen=True)
class TaxedLine:
    """A document line: its amount (net, or gross of its included taxes) and taxes."""

    amount: Decimal
    taxes: tuple[TaxCode, ...]


@dataclass(frozen=True)
class TaxableLine:
    """A document line as a caller names its taxes: tax codes or tax groups."""

    amount: Decimal
    taxes: tuple[str, ...]


@dataclass(frozen=True)
class TaxReportRow:
    """Base and tax posted under one code in one commodity (debit positive, credit
    negative: output tax on sales is negative, input tax on purchases positive)."""

    code: str
    name: str
    rate: Decimal | None  # None: a code on posted lines that this company does not define
    commodity: str
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class TaxTotal:
    """One code's result over a document; ``rounding_difference`` is the rounded tax
    minus the exact tax (to 6 decimals)."""

    code: str
    name: str
    account: str
    rate: Decimal
    base: Decimal
    tax: Decimal
    rounding_difference: Decimal


@dataclass(frozen=True)
class TaxComputation:
    """The taxes of a document: per code, per line net, and the totals
    (``gross == net + tax``)."""

    currency: str
    rounding: TaxRounding
    taxes: tuple[TaxTotal, ...]
    nets: tuple[Decimal, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal


def check_tax_code(code: str) -> str:
    code = code.strip()
    if not _CODE.match(code):
        raise BadLedgerInput(
            f"tax code {code!r} must be 1-32 letters, digits, '.', '_' or '-'",
            code="ledger.bad_tax_code",
        )
    return code


def check_rate(rate: Decimal) -> Decimal:
    """A percent from 0 to 1000 with at most 6 decimals."""
    if not 0 <= rate <= MAX_RATE or quantize(rate, RATE_DECIMALS) != rate:
        raise BadLedgerInput(
            f"a tax rate is a percent from 0 to {MAX_RATE} with at most "
            f"{RATE_DECIMALS} decimals, not {rate}",
            code="ledger.bad_tax_rate",
        )
    return rate


def parse_rounding(mode: str) -> TaxRounding:
    try:
        return TaxRounding(mode.strip().lower())
    except ValueError:
        raise BadLedgerInput(
            f"tax rounding is 'line' or 'document', not {mode!r}", code="ledger.bad_tax_rounding"
        ) from None


def check_together(where: str, taxes: Sequence[TaxCode]) -> None:
    """Refuse taxes that cannot apply together (on a line, or in a group): archived,
    repeated, or price-included after price-excluded. *where* names the place."""
    seen: set[str] = set()
    excluded = False
    for tax in taxes:
        if not tax.active:
            raise TaxRuleViolation(f"{where}: tax code {tax.code} is archived")
        if tax.code in seen:
            raise TaxRuleViolation(f"{where}: tax code {tax.code} applies twice")
        if tax.price_included and excluded:
            raise TaxRuleViolation(
                f"{where}: price-included tax {tax.code} must come before the price-excluded taxes",
                code="ledger.tax_order",
            )
        seen.add(tax.code)
        excluded = excluded or not tax.price_included


@dataclass(frozen=True)
class _Share:
    """One tax on one line, exact: the tax and the taxes before it (compound only)."""

    tax: TaxCode
    amount: Decimal
    before: Decimal


_Exact = list[tuple[Decimal, list[_Share]]]  # per line: exact net, exact taxes
_Rounded = tuple[dict[str, Decimal], dict[str, Decimal], list[Decimal]]  # taxes, bases, nets


def _exact(line: TaxedLine) -> tuple[Decimal, list[_Share]]:
    """The exact net of *line* and its taxes, as multiples of the net first."""
    multiples: list[tuple[TaxCode, Decimal, Decimal]] = []
    so_far = Decimal(0)
    for tax in line.taxes:
        before = so_far if tax.compound else Decimal(0)
        multiple = (1 + before) * tax.rate / _HUNDRED
        multiples.append((tax, before, multiple))
        so_far += multiple
    included = sum((m for t, _, m in multiples if t.price_included), Decimal(0))
    net = line.amount / (1 + included)
    return net, [_Share(t, net * m, net * b) for t, b, m in multiples]


def compute(
    lines: Sequence[TaxedLine], currency: str, places: int, rounding: TaxRounding
) -> TaxComputation:
    """The taxes of a document in *currency*, whose minor unit has *places* decimals
    (the line amounts may have no more)."""
    checked: list[TaxedLine] = []
    for number, line in enumerate(lines, 1):
        amount = quantize(line.amount, places)  # 100 -> 100.00: nets show the minor unit
        if amount != line.amount:
            raise BadLedgerInput(
                f"line {number}: {line.amount} has more than {places} decimals",
                code="ledger.too_many_decimals",
            )
        check_together(f"line {number}", line.taxes)
        checked.append(TaxedLine(amount, line.taxes))
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        exact = [_exact(line) for line in checked]
        exact_taxes = _by_code(exact, lambda share: share.amount)
        if rounding is TaxRounding.line:
            taxes, bases, nets = _per_line(checked, exact, places)
        else:
            taxes, bases, nets = _per_document(checked, exact, exact_taxes, places)
        return _result(currency, rounding, exact, exact_taxes, taxes, bases, nets)


def _by_code(exact: _Exact, value: Callable[[_Share], Decimal]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for _, shares in exact:
        for share in shares:
            sums[share.tax.code] += value(share)
    return sums


def _per_line(lines: Sequence[TaxedLine], exact: _Exact, places: int) -> _Rounded:
    taxes: dict[str, Decimal] = defaultdict(Decimal)
    bases: dict[str, Decimal] = defaultdict(Decimal)
    nets = []
    for line, (_, shares) in zip(lines, exact, strict=True):
        rounded = [quantize(s.amount, places) for s in shares]
        net = line.amount - sum(
            (r for s, r in zip(shares, rounded, strict=True) if s.tax.price_included),
            Decimal(0),
        )
        nets.append(net)
        for index, (share, tax) in enumerate(zip(shares, rounded, strict=True)):
            taxes[share.tax.code] += tax
            before = sum(rounded[:index], Decimal(0)) if share.tax.compound else 0
            bases[share.tax.code] += net + before
    return taxes, bases, nets


def _per_document(
    lines: Sequence[TaxedLine], exact: _Exact, exact_taxes: dict[str, Decimal], places: int
) -> _Rounded:
    taxes = {code: quantize(amount, places) for code, amount in exact_taxes.items()}
    included_codes = {s.tax.code for _, shares in exact for s in shares if s.tax.price_included}
    carrying = [
        i for i, (_, shares) in enumerate(exact) if any(s.tax.price_included for s in shares)
    ]
    # The nets of lines with included taxes must add up to their gross less the rounded
    # included taxes, so that net + tax is exactly the gross of the document.
    target = sum((lines[i].amount for i in carrying), Decimal(0)) - sum(
        (taxes[code] for code in included_codes), Decimal(0)
    )
    nets = [line.amount for line in lines]
    for i, net in zip(
        carrying, _largest_remainder([exact[i][0] for i in carrying], target, places), strict=True
    ):
        nets[i] = net
    bases: dict[str, Decimal] = defaultdict(Decimal)
    for net, (_, shares) in zip(nets, exact, strict=True):
        for share in shares:
            bases[share.tax.code] += net
    for code, before in _by_code(exact, lambda share: share.before).items():
        bases[code] += quantize(before, places)
    return taxes, bases, nets


def _largest_remainder(exact: Sequence[Decimal], total: Decimal, places: int) -> list[Decimal]:
    """*exact* rounded to *places* and nudged by minor units, largest remainders first,
    so that the parts sum to *total*."""
    parts = [quantize(x, places) for x in exact]
    if not parts:
        return parts
    minor = unit(places)
    missing = int((total - sum(parts, Decimal(0))) / minor)
    step = minor if missing > 0 else -minor
    order = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]) * step, i))
    for n in range(abs(missing)):
        parts[order[n % len(parts)]] += step
    return parts


def _result(
    currency: str,
    rounding: TaxRounding,
    exact: _Exact,
    exact_taxes: dict[str, Decimal],
    taxes: dict[str, Decimal],
    bases: dict[str, Decimal],
    nets: list[Decimal],
) -> TaxComputation:
    codes = {s.tax.code: s.tax for _, shares in exact for s in shares}
    totals = tuple(
        TaxTotal(
            code.code,
            code.name,
            code.account,
            code.rate,
            bases[code.code],
            taxes[code.code],
            quantize(taxes[code.code] - exact_taxes[code.code], 6),
        )
        for code in sorted(codes.values(), key=lambda c: (c.sequence, c.code))
    )
    net = sum(nets, Decimal(0))
    tax = sum((t.tax for t in totals), Decimal(0))
    return TaxComputation(currency, rounding, totals, tuple(nets), net, tax, net + tax)


def expand(
    names: Iterable[str], codes: dict[str, TaxCode], groups: dict[str, TaxGroup]
) -> tuple[TaxCode, ...]:
    """The tax codes that *names* (codes or groups, a group in its members' order) mean,
    in the order named."""
    result: list[TaxCode] = []
    for name in names:
        if name in groups:
            result.extend(codes[member] for member in groups[name].members)
        elif name in codes:
            result.append(codes[name])
        else:
            raise TaxCodeNotFound(f"there is no tax code or tax group {name!r}")
    return tuple(result)


def tax_lines(computation: TaxComputation, *, credit: bool) -> tuple[LineDraft, ...]:
    """Entry lines that post *computation*'s taxes, one per code on the code's account,
    tagged with the code and its base for the tax report. Sales post tax as credits
    (``credit=True``: owed), purchases as debits (reclaimable). A code with no tax (0 %)
    still gets a zero line, so that its base shows in the tax report."""

    def signed(amount: Decimal) -> Decimal:
        return -amount if credit and amount else amount

    return tuple(
        LineDraft(
            t.account,
            computation.currency,
            signed(t.tax),
            description=t.name,
            tax_code=t.code,
            tax_base=signed(t.base),
        )
        for t in computation.taxes
    )
