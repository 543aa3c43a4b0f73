"""Taxes: hand-computed examples, rounding per line and per document against a plain
reference, tax codes and groups in the books, posting tax lines, and the tax report."""

from __future__ import annotations

import doctest
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hansa import ledger
from hansa.identity.roles import ROLES
from hansa.kernel.actor import SYSTEM, Actor
from hansa.kernel.errors import HansaError, PermissionDenied
from hansa.ledger.domain import taxes as taxes_domain
from hansa.ledger.domain.taxes import TaxCode, TaxedLine, TaxRounding, compute
from tests.ledger.fx_support import D, Uows, balances, company, failing_checks

MARCH, APRIL = date(2026, 3, 12), date(2026, 4, 2)
LINE, DOCUMENT = TaxRounding.line, TaxRounding.document


def tax(code: str, rate: str, *, included: bool = False, compound: bool = False) -> TaxCode:
    return TaxCode(0, 1, code, f"Tax {code}", D(rate), "2100", included, compound)


def by_code(result: ledger.TaxComputation) -> dict[str, tuple[Decimal, Decimal]]:
    """Per code: (base, tax)."""
    return {t.code: (t.base, t.tax) for t in result.taxes}


def test_the_domain_examples_hold() -> None:
    assert doctest.testmod(taxes_domain).failed == 0


# --- hand-computed examples -----------------------------------------------------------


@pytest.mark.parametrize("rounding", [LINE, DOCUMENT])
def test_19_percent_excluded_adds_19_to_a_net_of_100(rounding: TaxRounding) -> None:
    result = compute([TaxedLine(D("100"), (tax("VAT19", "19"),))], "EUR", 2, rounding)

    assert by_code(result) == {"VAT19": (D("100.00"), D("19.00"))}
    assert [str(x) for x in (result.net, result.tax, result.gross)] == ["100.00", "19.00", "119.00"]
    assert result.taxes[0].rounding_difference == 0


def test_7_7_percent_included_is_taken_out_of_the_gross_per_line_or_per_document() -> None:
    # 10.00 / 1.077 = 9.285051..., so each line holds 0.714948... of tax.
    lines = [TaxedLine(D("10.00"), (tax("VAT77", "7.7", included=True),))] * 3

    per_line = compute(lines, "CHF", 2, LINE)
    per_document = compute(lines, "CHF", 2, DOCUMENT)

    assert by_code(per_line) == {"VAT77": (D("27.87"), D("2.13"))}  # 3 x 0.71
    assert per_line.nets == (D("9.29"),) * 3
    assert per_line.taxes[0].rounding_difference == D("-0.014847")
    assert by_code(per_document) == {"VAT77": (D("27.86"), D("2.14"))}  # 2.144846... once
    assert per_document.nets == (D("9.28"), D("9.29"), D("9.29"))
    assert per_document.taxes[0].rounding_difference == D("-0.004847")
    assert per_line.gross == per_document.gross == D("30.00")


@pytest.mark.parametrize("rounding", [LINE, DOCUMENT])
def test_a_compound_tax_is_charged_on_the_net_plus_the_tax_before_it(
    rounding: TaxRounding,
) -> None:
    gst, qst = tax("GST", "5"), tax("QST", "9.975", compound=True)

    result = compute([TaxedLine(D("100.00"), (gst, qst))], "CAD", 2, rounding)

    # QST: 9.975 % of 105.00 = 10.47375
    assert by_code(result) == {"GST": (D("100.00"), D("5.00")), "QST": (D("105.00"), D("10.47"))}
    assert result.gross == D("115.47")


def test_rounding_per_document_can_differ_from_rounding_per_line() -> None:
    lines = [TaxedLine(D("1.05"), (tax("V7", "7"),))] * 3  # 0.0735 each

    assert compute(lines, "EUR", 2, LINE).tax == D("0.21")
    assert compute(lines, "EUR", 2, DOCUMENT).tax == D("0.22")


def test_a_currency_without_decimals_rounds_to_whole_units() -> None:
    result = compute([TaxedLine(D("1050"), (tax("JCT", "10", included=True),))], "JPY", 0, LINE)

    assert by_code(result) == {"JCT": (D("955"), D("95"))}  # 1050 / 1.1 = 954.5454...


@pytest.mark.parametrize(
    ("taxes", "amount", "code", "says"),
    [
        ((tax("EX", "10"), tax("IN", "5", included=True)), "10.00", "ledger.tax_order", "before"),
        ((tax("EX", "10"), tax("EX", "10")), "10.00", "ledger.tax_rule", "applies twice"),
        ((tax("EX", "10"),), "10.001", "ledger.too_many_decimals", "more than 2 decimals"),
    ],
)
def test_taxes_that_cannot_apply_are_refused_with_the_line_named(
    taxes: tuple[TaxCode, ...], amount: str, code: str, says: str
) -> None:
    with pytest.raises(HansaError) as refused:
        compute([TaxedLine(D("1.00"), ()), TaxedLine(D(amount), taxes)], "EUR", 2, LINE)

    assert refused.value.code == code
    assert "line 2" in refused.value.message
    assert says in refused.value.message


def test_tax_lines_credit_sales_tax_and_debit_purchase_tax_with_their_base() -> None:
    result = compute([TaxedLine(D("100.00"), (tax("VAT19", "19"),))], "EUR", 2, LINE)

    (sale,) = ledger.tax_lines(result, credit=True)
    (purchase,) = ledger.tax_lines(result, credit=False)

    assert (sale.account, sale.commodity, sale.amount) == ("2100", "EUR", D("-19.00"))
    assert (sale.tax_code, sale.tax_base) == ("VAT19", D("-100.00"))
    assert (purchase.amount, purchase.tax_base) == (D("19.00"), D("100.00"))


# --- rounding against a plain reference ------------------------------------------------


def reference_exact(amount: Decimal, taxes: Sequence[TaxCode]) -> dict[str, Decimal]:
    """The exact tax per code of one line: one included tax, or excluded taxes in order
    where a compound one is charged on the amount plus the taxes before it."""
    if taxes and taxes[0].price_included:
        net = amount / (1 + taxes[0].rate / 100)
        return {taxes[0].code: amount - net}
    result: dict[str, Decimal] = {}
    for t in taxes:
        base = amount + (sum(result.values(), D(0)) if t.compound else 0)
        result[t.code] = base * t.rate / 100
    return result


def reference(lines: Sequence[TaxedLine], places: int) -> tuple[dict[str, Decimal], ...]:
    """Per code: taxes rounded per line and summed; taxes summed and rounded once."""
    unit = D(1).scaleb(-places)
    per_line: dict[str, Decimal] = defaultdict(Decimal)
    exact: dict[str, Decimal] = defaultdict(Decimal)
    with localcontext() as ctx:
        ctx.prec = 60
        for line in lines:
            for code, amount in reference_exact(line.amount, line.taxes).items():
                per_line[code] += amount.quantize(unit, rounding=ROUND_HALF_UP)
                exact[code] += amount
        per_document = {c: a.quantize(unit, rounding=ROUND_HALF_UP) for c, a in exact.items()}
    return dict(per_line), per_document


rates = st.decimals(min_value=0, max_value=30, places=3)


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[TaxedLine], int]:
    places = draw(st.sampled_from([0, 2, 3]))
    included = tax("IN", str(draw(rates)), included=True)
    first, second = tax("A", str(draw(rates))), tax("B", str(draw(rates)))
    compound = tax("C", str(draw(rates)), compound=True)
    choices = [(included,), (first,), (second,), (first, compound), (first, second, compound)]
    lines = draw(
        st.lists(
            st.builds(
                TaxedLine,
                st.integers(-(10**9), 10**9).map(lambda n: D(n).scaleb(-places)),
                st.sampled_from(choices),
            ),
            min_size=1,
            max_size=12,
        )
    )
    return lines, places


@settings(max_examples=300, deadline=None)
@given(documents())
def test_each_rounding_mode_matches_the_reference_and_the_two_stay_close(
    document: tuple[list[TaxedLine], int],
) -> None:
    lines, places = document
    expected_line, expected_document = reference(lines, places)

    per_line = compute(lines, "XXX", places, LINE)
    per_document = compute(lines, "XXX", places, DOCUMENT)

    assert {t.code: t.tax for t in per_line.taxes} == expected_line
    assert {t.code: t.tax for t in per_document.taxes} == expected_document
    half_unit = D(1).scaleb(-places) / 2
    for line_total, document_total in zip(per_line.taxes, per_document.taxes, strict=True):
        taxed = sum(1 for ln in lines if line_total.code in {t.code for t in ln.taxes})
        assert abs(line_total.tax - document_total.tax) <= taxed * half_unit
        assert abs(document_total.rounding_difference) <= half_unit
    included_gross = sum((ln.amount for ln in lines if ln.taxes[0].code == "IN"), D(0))
    for result in (per_line, per_document):
        if any(t.code == "IN" for t in result.taxes):
            assert sum(by_code(result)["IN"]) == included_gross
        excluded = sum((t.tax for t in result.taxes if t.code != "IN"), D(0))
        assert result.gross == result.net + result.tax
        assert result.gross == sum((ln.amount for ln in lines), D(0)) + excluded


# --- in the books (SQLite and PostgreSQL) ----------------------------------------------


def standard_taxes(uows: Uows) -> None:
    """Output VAT 19 %, input VAT 19 % and a GST + compound QST group."""
    add = ledger.add_tax_code
    add(uows(), SYSTEM, None, code="VAT19", name="VAT 19%", rate=D(19), account="2100")
    add(uows(), SYSTEM, None, code="IN19", name="Input VAT 19%", rate=D(19), account="1150")
    add(uows(), SYSTEM, None, code="GST", name="GST", rate=D(5), account="2100", sequence=1)
    add(
        uows(),
        SYSTEM,
        None,
        code="QST",
        name="QST",
        rate=D("9.975"),
        account="2100",
        compound=True,
        sequence=2,
    )
    ledger.add_tax_group(uows(), SYSTEM, None, code="CA", name="Canada", members=["GST", "QST"])


def test_tax_codes_are_added_listed_updated_and_archived(uow_factory: Uows) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)

    listed = ledger.list_tax_codes(uow_factory(readonly=True), SYSTEM, None)
    assert [(t.code, t.rate, t.account) for t in listed] == [
        ("GST", D(5), "2100"),
        ("QST", D("9.975"), "2100"),
        ("IN19", D(19), "1150"),
        ("VAT19", D(19), "2100"),
    ]
    updated = ledger.update_tax_code(
        uow_factory(), SYSTEM, None, "VAT19", name="Output VAT", account="2000", sequence=0
    )
    assert (updated.name, updated.account, updated.version) == ("Output VAT", "2000", 2)
    ledger.archive_tax_code(uow_factory(), SYSTEM, None, "IN19")

    active = ledger.list_tax_codes(uow_factory(readonly=True), SYSTEM, None)
    everything = ledger.list_tax_codes(
        uow_factory(readonly=True), SYSTEM, None, include_archived=True
    )
    assert [t.code for t in active] == ["VAT19", "GST", "QST"]
    assert [(t.code, t.active) for t in everything][-1] == ("IN19", False)
    groups = ledger.list_tax_groups(uow_factory(readonly=True), SYSTEM, None)
    assert [(g.code, g.members) for g in groups] == [("CA", ("GST", "QST"))]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"code": "VAT19", "rate": D(16), "account": "2100"}, "ledger.duplicate_code"),
        ({"code": "CA", "rate": D(16), "account": "2100"}, "ledger.duplicate_code"),
        ({"code": "V16", "rate": D(16), "account": "9999"}, "ledger.account_not_found"),
        ({"code": "V16", "rate": D(-1), "account": "2100"}, "ledger.bad_tax_rate"),
        ({"code": "V 16", "rate": D(16), "account": "2100"}, "ledger.bad_tax_code"),
    ],
)
def test_a_tax_code_that_clashes_or_makes_no_sense_is_refused(
    uow_factory: Uows, change: dict[str, object], code: str
) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)

    with pytest.raises(HansaError) as refused:
        ledger.add_tax_code(uow_factory(), SYSTEM, None, name="VAT 16%", **change)

    assert refused.value.code == code


def test_a_group_applies_its_members_in_order_and_the_company_rounding_decides(
    uow_factory: Uows,
) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)
    lines = [ledger.TaxableLine(D("0.95"), ("CA",))] * 4  # GST 0.0475, QST 0.09950... each

    per_line = ledger.compute_taxes(uow_factory(readonly=True), SYSTEM, None, lines)
    ledger.set_tax_rounding(uow_factory(), SYSTEM, None, "document")
    per_document = ledger.compute_taxes(uow_factory(readonly=True), SYSTEM, None, lines)

    assert per_line.rounding is LINE
    assert per_document.rounding is DOCUMENT
    assert by_code(per_line) == {"GST": (D("3.80"), D("0.20")), "QST": (D("4.00"), D("0.40"))}
    assert by_code(per_document) == {
        "GST": (D("3.80"), D("0.19")),  # 0.19 exactly
        "QST": (D("3.99"), D("0.40")),  # 9.975 % of 3.99 = 0.398002...
    }


def test_an_archived_tax_code_taxes_no_new_document(uow_factory: Uows) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)
    ledger.archive_tax_code(uow_factory(), SYSTEM, None, "QST")

    with pytest.raises(HansaError) as refused:
        ledger.compute_taxes(
            uow_factory(readonly=True), SYSTEM, None, [ledger.TaxableLine(D(10), ("CA",))]
        )

    assert refused.value.code == "ledger.tax_rule"
    assert "QST is archived" in refused.value.message


def invoice(
    uows: Uows, day: date, *lines: tuple[str, tuple[str, ...]], sale: bool, post: bool = True
) -> int:
    """Post a sales invoice (or a purchase bill) whose tax lines come from tax_lines."""
    taxable = [ledger.TaxableLine(D(amount), taxes) for amount, taxes in lines]
    result = ledger.compute_taxes(uows(readonly=True), SYSTEM, None, taxable)
    sign = -1 if sale else 1
    drafts = (
        ledger.LineDraft("1100" if sale else "2000", "EUR", -sign * result.gross),
        *(ledger.LineDraft("4000" if sale else "6300", "EUR", sign * net) for net in result.nets),
        *ledger.tax_lines(result, credit=sale),
    )
    entry = ledger.EntryDraft("SAL" if sale else "PUR", day, drafts, "invoice")
    return ledger.record_entry(uows(), SYSTEM, None, entry, post=post).id


def test_an_invoice_posted_with_its_tax_lines_balances_and_feeds_the_tax_report(
    uow_factory: Uows,
) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)

    invoice(uow_factory, MARCH, ("100.00", ("VAT19",)), ("50.00", ("CA",)), sale=True)
    invoice(uow_factory, MARCH, ("20.00", ("IN19",)), sale=False)
    invoice(uow_factory, APRIL, ("1000.00", ("VAT19",)), sale=True)  # another period
    invoice(uow_factory, MARCH, ("500.00", ("VAT19",)), sale=True, post=False)  # a draft

    # 100 + 19 + 50 + GST 2.50 + QST 5.24 (9.975 % of 52.50 = 5.236875)
    assert balances(uow_factory, MARCH) == {
        ("1100", "EUR"): D("176.74"),
        ("1150", "EUR"): D("3.80"),
        ("2000", "EUR"): D("-23.80"),
        ("2100", "EUR"): D("-26.74"),
        ("4000", "EUR"): D("-150.00"),
        ("6300", "EUR"): D("20.00"),
    }
    report = ledger.tax_report(
        uow_factory(readonly=True), SYSTEM, None, date(2026, 3, 1), date(2026, 3, 31)
    )
    assert [(r.code, r.rate, r.commodity, r.base, r.tax) for r in report] == [
        ("GST", D(5), "EUR", D("-50.00"), D("-2.50")),
        ("QST", D("9.975"), "EUR", D("-52.50"), D("-5.24")),
        ("IN19", D(19), "EUR", D("20.00"), D("3.80")),
        ("VAT19", D(19), "EUR", D("-100.00"), D("-19.00")),
    ]
    assert failing_checks(uow_factory) == []


def test_a_reversed_invoice_cancels_its_tax_in_the_report(uow_factory: Uows) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)
    entry_id = invoice(uow_factory, MARCH, ("100.00", ("VAT19",)), sale=True)

    reversal = ledger.reverse_entry(uow_factory(), SYSTEM, None, entry_id, APRIL)

    tax_line = next(ln for ln in reversal.lines if ln.tax_code)
    assert (tax_line.tax_code, tax_line.amount, tax_line.tax_base) == (
        "VAT19",
        D("19.00"),
        D("100.00"),
    )
    march_to_april = ledger.tax_report(
        uow_factory(readonly=True), SYSTEM, None, date(2026, 3, 1), date(2026, 4, 30)
    )
    april = ledger.tax_report(
        uow_factory(readonly=True), SYSTEM, None, date(2026, 4, 1), date(2026, 4, 30)
    )
    assert [(r.base, r.tax) for r in march_to_april] == [(D("0.00"), D("0.00"))]
    assert [(r.base, r.tax) for r in april] == [(D("100.00"), D("19.00"))]


def test_a_viewer_reads_tax_codes_but_cannot_add_one(uow_factory: Uows) -> None:
    company(uow_factory)
    standard_taxes(uow_factory)
    viewer = Actor("vera", roles=frozenset({"viewer"}), permissions=ROLES["viewer"].permissions)

    with pytest.raises(PermissionDenied) as refused:
        ledger.add_tax_code(
            uow_factory(), viewer, None, code="V7", name="VAT 7%", rate=D(7), account="2100"
        )

    assert refused.value.details == {"permission": "ledger.tax.write"}
    assert len(ledger.list_tax_codes(uow_factory(readonly=True), viewer, None)) == 4
    with pytest.raises(PermissionDenied):
        ledger.set_tax_rounding(uow_factory(), viewer, None, "document")


def test_a_tax_report_whose_period_ends_before_it_starts_is_refused(uow_factory: Uows) -> None:
    company(uow_factory)

    with pytest.raises(HansaError) as refused:
        ledger.tax_report(uow_factory(readonly=True), SYSTEM, None, APRIL, MARCH)

    assert refused.value.code == "ledger.bad_period"
