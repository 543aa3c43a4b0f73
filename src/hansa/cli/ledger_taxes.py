"""``hansa ledger tax``, ``hansa ledger tax-group`` and ``hansa report tax``."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any

import typer

from hansa import ledger
from hansa.cli.context import FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.kernel.errors import InvalidInput
from hansa.kernel.money import to_decimal

DATE = ["%Y-%m-%d"]
tax_app = typer.Typer(help="Tax codes, tax computation and tax rounding.", no_args_is_help=True)
group_app = typer.Typer(help="Tax groups (tax codes that apply together).", no_args_is_help=True)


def register(ledger_app: typer.Typer, report_app: typer.Typer) -> None:
    """Add the tax commands to ``hansa ledger`` and ``hansa report``."""
    ledger_app.add_typer(tax_app, name="tax")
    ledger_app.add_typer(group_app, name="tax-group")
    report_app.command("tax")(report_tax)


def tax_row(t: ledger.TaxCode) -> dict[str, Any]:
    return {
        "code": t.code,
        "name": t.name,
        "rate": t.rate,
        "price_included": t.price_included,
        "compound": t.compound,
        "account": t.account,
        "sequence": t.sequence,
        "active": t.active,
    }


@tax_app.command("add")
def tax_add(
    ctx: typer.Context,
    code: str = typer.Argument(..., help="Short code, e.g. VAT19."),
    name: str = typer.Argument(...),
    rate: str = typer.Option(..., "--rate", help="Percent, e.g. 19 or 7.7."),
    account: str = typer.Option(..., "--account", help="Account the tax posts to."),
    included: bool = typer.Option(False, "--included", help="Prices include this tax."),
    compound: bool = typer.Option(False, "--compound", help="Charged on net + earlier taxes."),
    sequence: int = typer.Option(10, "--sequence", help="Order in lists and the report."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a tax code."""
    st = state(ctx)
    tax = ledger.add_tax_code(
        st.runtime.uow(),
        st.actor(),
        st.company,
        code=code,
        name=name,
        rate=to_decimal(rate),
        account=account,
        price_included=included,
        compound=compound,
        sequence=sequence,
    )
    render_object(tax_row(tax), st.output(fmt))


@tax_app.command("list")
def tax_list(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="Include archived tax codes."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """List the tax codes."""
    st = state(ctx)
    codes = ledger.list_tax_codes(
        st.runtime.uow(readonly=True), st.actor(), st.company, include_archived=all_
    )
    render_rows([tax_row(t) for t in codes], st.output(fmt), title="Tax codes")


@tax_app.command("update")
def tax_update(
    ctx: typer.Context,
    code: str = typer.Argument(...),
    name: str | None = typer.Option(None, "--name"),
    account: str | None = typer.Option(None, "--account"),
    sequence: int | None = typer.Option(None, "--sequence"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Rename a tax code, change its account or its order (its rate is fixed)."""
    st = state(ctx)
    tax = ledger.update_tax_code(
        st.runtime.uow(),
        st.actor(),
        st.company,
        code,
        name=name,
        account=account,
        sequence=sequence,
    )
    render_object(tax_row(tax), st.output(fmt))


@tax_app.command("archive")
def tax_archive(ctx: typer.Context, code: str = typer.Argument(...)) -> None:
    """Archive a tax code: it taxes no new documents; its history stays in the report."""
    st = state(ctx)
    ledger.archive_tax_code(st.runtime.uow(), st.actor(), st.company, code)
    say(f"Tax code {code} is archived.", st.fmt)


@tax_app.command("restore")
def tax_restore(ctx: typer.Context, code: str = typer.Argument(...)) -> None:
    """Make an archived tax code active again."""
    st = state(ctx)
    ledger.archive_tax_code(st.runtime.uow(), st.actor(), st.company, code, archived=False)
    say(f"Tax code {code} is active again.", st.fmt)


@tax_app.command("rounding")
def tax_rounding(
    ctx: typer.Context,
    mode: str = typer.Argument(..., help="line (round each line's tax) or document."),
) -> None:
    """Set where the company rounds taxes: per line, or once per document."""
    st = state(ctx)
    company = ledger.set_tax_rounding(st.runtime.uow(), st.actor(), st.company, mode)
    say(f"{company.code}: taxes are rounded per {company.tax_rounding}.", st.fmt)


def parse_taxable(text: str) -> ledger.TaxableLine:
    """``"119.00 VAT19"`` or ``"100 GST,QST"`` -> an amount and the taxes named."""
    words = text.replace(",", " ").split()
    if not words:
        raise InvalidInput("an empty --line: give 'AMOUNT [TAX ...]'", code="cli.bad_line")
    try:
        amount = to_decimal(words[0])
    except InvalidInput:
        raise InvalidInput(
            f"cannot read line {text!r}: {words[0]!r} is not an amount (expected "
            "'AMOUNT [TAX ...]')",
            code="cli.bad_line",
        ) from None
    return ledger.TaxableLine(amount, tuple(words[1:]))


@tax_app.command("compute")
def tax_compute(
    ctx: typer.Context,
    line: list[str] = typer.Option(
        ..., "--line", "-l", help="AMOUNT [TAX-OR-GROUP ...]; repeat for each line."
    ),
    currency: str | None = typer.Option(None, "--currency", help="Default: company currency."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Compute the taxes of a document, rounded as the company rounds them."""
    st = state(ctx)
    result = ledger.compute_taxes(
        st.runtime.uow(readonly=True),
        st.actor(),
        st.company,
        [parse_taxable(text) for text in line],
        currency,
    )
    out = st.output(fmt)
    taxes = [{**t.__dict__, "currency": result.currency} for t in result.taxes]
    totals = {"net": result.net, "tax": result.tax, "gross": result.gross}
    if out is OutputFormat.table:
        render_rows(taxes, out, title=f"Taxes (rounded per {result.rounding.value})")
        render_object({**totals, "currency": result.currency}, out)
    else:
        summary = {"currency": result.currency, "rounding": result.rounding.value, **totals}
        render_object({**summary, "taxes": taxes, "nets": list(result.nets)}, out)


@group_app.command("add")
def group_add(
    ctx: typer.Context,
    code: str = typer.Argument(...),
    name: str = typer.Argument(...),
    tax: list[str] = typer.Option(..., "--tax", "-t", help="A member tax code; repeat, in order."),
) -> None:
    """Add a tax group: its members apply in the order given."""
    st = state(ctx)
    group = ledger.add_tax_group(
        st.runtime.uow(), st.actor(), st.company, code=code, name=name, members=tax
    )
    say(f"Tax group {group.code}: {', '.join(group.members)}.", st.fmt)


@group_app.command("list")
def group_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List the tax groups and their members in order."""
    st = state(ctx)
    groups = ledger.list_tax_groups(st.runtime.uow(readonly=True), st.actor(), st.company)
    rows = [{"code": g.code, "name": g.name, "members": list(g.members)} for g in groups]
    render_rows(rows, st.output(fmt), ["code", "name", "members"], title="Tax groups")


def report_tax(
    ctx: typer.Context,
    start: datetime = typer.Option(..., "--from", formats=DATE),
    end: datetime = typer.Option(..., "--to", formats=DATE),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Base and tax posted per tax code in a period (credit negative: output tax on
    sales shows negative, input tax on purchases positive)."""
    st = state(ctx)
    found = ledger.tax_report(
        st.runtime.uow(readonly=True), st.actor(), st.company, start.date(), end.date()
    )
    rows: list[dict[str, Any]] = [r.__dict__ for r in found]
    out = st.output(fmt)
    if out is OutputFormat.table:
        net: dict[str, Decimal] = defaultdict(Decimal)
        for r in found:
            net[r.commodity] += r.tax
        rows += [
            {"code": "", "name": "Net tax", "commodity": c, "tax": t}
            for c, t in sorted(net.items())
        ]
    render_rows(
        rows,
        out,
        ["code", "name", "rate", "commodity", "base", "tax"],
        title=f"Tax report {start.date()} to {end.date()}",
    )
