"""Receivables and payables: open items, full and partial reconciliation, write-offs,
refusals and the reconciliation check, on SQLite and PostgreSQL."""

from __future__ import annotations

import doctest
import itertools
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hansa import ledger
from hansa.identity.roles import effective_permissions
from hansa.kernel.actor import SYSTEM, Actor
from hansa.kernel.errors import NotFound, PermissionDenied, RuleViolation
from hansa.ledger.domain import matching as matching_domain
from hansa.ledger.domain.matching import OpenItem, plan_match
from tests.ledger.matching_support import (
    CODE,
    D,
    Uows,
    balance,
    bill,
    books,
    invoice,
    payment,
    problems,
    residuals,
)

JAN, FEB = date(2026, 1, 15), date(2026, 2, 10)
NET_ZERO = "ledger.reconciliations_net_zero"


def test_the_domain_examples_hold() -> None:
    assert doctest.testmod(matching_domain).failed == 0


def test_a_payment_reconciles_its_invoice_in_full(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00", due=date(2026, 2, 14))
    paid = payment(uow_factory, FEB, "119.00")
    assert residuals(uow_factory, partner="Globex") == {sale: D("119.00"), paid: D("-119.00")}

    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    assert rec.left_open == 0
    assert sorted(rec.parts) == [(sale, D("119.00")), (paid, D("-119.00"))]
    assert (rec.account, rec.partner, rec.commodity, rec.date) == ("1100", "Globex", "EUR", FEB)
    assert residuals(uow_factory, partner="Globex") == {}
    assert problems(uow_factory, NET_ZERO) == []


def test_a_partial_payment_leaves_the_rest_of_the_invoice_open(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00")
    first = payment(uow_factory, FEB, "50.00")

    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [first, sale])

    assert rec.left_open == D("69.00")
    assert residuals(uow_factory) == {sale: D("69.00")}
    second = payment(uow_factory, date(2026, 3, 1), "69.00")
    assert ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, second]).left_open == 0
    assert residuals(uow_factory) == {}
    assert balance(uow_factory, "1100") == 0


def test_an_overpayment_stays_open_as_a_credit_of_the_customer(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "100.00")
    paid = payment(uow_factory, FEB, "120.00")

    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    assert rec.left_open == D("-20.00")
    assert residuals(uow_factory) == {paid: D("-20.00")}


def test_the_difference_is_written_off_to_the_chosen_account(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00")
    paid = payment(uow_factory, FEB, "118.99")

    rec = ledger.reconcile(
        uow_factory(), SYSTEM, CODE, [sale, paid], write_off_account="6400", write_off_date=FEB
    )

    assert rec.left_open == 0
    assert rec.write_off_entry_id is not None
    entry = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, rec.write_off_entry_id)
    assert entry.date == FEB
    assert {(ln.account_code, ln.amount) for ln in entry.lines} == {
        ("1100", D("-0.01")),
        ("6400", D("0.01")),
    }
    assert residuals(uow_factory) == {}
    assert balance(uow_factory, "6400") == D("0.01")
    assert balance(uow_factory, "1100") == 0
    assert problems(uow_factory, NET_ZERO) == []


def test_an_unpaid_invoice_alone_can_be_written_off_as_a_bad_debt(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "40.00")

    ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale], write_off_account="6300")

    assert residuals(uow_factory) == {}
    assert balance(uow_factory, "6300") == D("40.00")


def test_lines_of_different_partners_are_refused(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00", partner="Globex")
    paid = payment(uow_factory, FEB, "119.00", partner="Initech")

    with pytest.raises(RuleViolation) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    assert caught.value.code == "ledger.match_partner_differs"
    assert "Globex, Initech" in caught.value.message
    assert residuals(uow_factory) == {sale: D("119.00"), paid: D("-119.00")}


def test_lines_of_different_accounts_are_refused(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "100.00", partner="Globex")
    vendor = bill(uow_factory, JAN, "100.00", partner="Globex")

    with pytest.raises(RuleViolation) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, vendor])

    assert caught.value.code == "ledger.match_account_differs"
    assert "1100, 2000" in caught.value.message


def test_lines_of_different_commodities_are_refused(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "90.00")
    entry = ledger.record_entry(
        uow_factory(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            "BNK",
            FEB,
            (
                ledger.LineDraft("1010", "EUR", D("90.00")),
                ledger.LineDraft("1100", "USD", D("-100.00"), D("-90.00"), "EUR", "Globex"),
            ),
        ),
    )
    dollars = next(ln.id for ln in entry.lines if ln.account_code == "1100")

    with pytest.raises(RuleViolation) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, dollars])

    assert caught.value.code == "ledger.match_commodity_differs"


def test_lines_of_an_account_that_is_not_reconcilable_are_refused(uow_factory: Uows) -> None:
    books(uow_factory)
    entry = ledger.record_entry(
        uow_factory(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            "GEN",
            JAN,
            (ledger.LineDraft("4000", "EUR", D("5")), ledger.LineDraft("4000", "EUR", D("-5"))),
        ),
    )

    with pytest.raises(RuleViolation) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [ln.id for ln in entry.lines])

    assert caught.value.code == "ledger.not_reconcilable"
    assert "hansa ledger account update 4000 --reconcilable" in caught.value.message


def test_lines_all_on_one_side_are_refused_without_a_write_off(uow_factory: Uows) -> None:
    books(uow_factory)
    lines = [invoice(uow_factory, JAN, "10.00"), invoice(uow_factory, JAN, "20.00")]

    with pytest.raises(RuleViolation) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, lines)

    assert caught.value.code == "ledger.match_one_sided"


def test_a_reconciled_line_cannot_be_matched_again(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "10.00")
    paid = payment(uow_factory, FEB, "10.00")
    ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])
    again = payment(uow_factory, FEB, "10.00")

    with pytest.raises(RuleViolation) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, again])

    assert caught.value.code == "ledger.match_already_reconciled"


def test_an_unknown_line_is_not_found(uow_factory: Uows) -> None:
    books(uow_factory)
    with pytest.raises(NotFound) as caught:
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [999_999])
    assert caught.value.code == "ledger.line_not_found"


def test_unreconcile_opens_the_lines_again(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00")
    paid = payment(uow_factory, FEB, "100.00")
    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    undone = ledger.unreconcile(uow_factory(), SYSTEM, CODE, rec.id)

    assert undone.id == rec.id
    assert residuals(uow_factory) == {sale: D("119.00"), paid: D("-100.00")}
    with pytest.raises(NotFound) as caught:
        ledger.unreconcile(uow_factory(), SYSTEM, CODE, rec.id)
    assert caught.value.code == "ledger.reconciliation_not_found"


def test_a_viewer_may_list_open_items_but_not_reconcile(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "10.00")
    paid = payment(uow_factory, FEB, "10.00")
    viewer = Actor(
        "vera", roles=frozenset({"viewer"}), permissions=effective_permissions(["viewer"])
    )

    found = ledger.open_items(uow_factory(readonly=True), viewer, CODE)
    # The payment's bank line is open too: 1010 is reconcilable, cleared by statements.
    assert sorted(i.account for i in found) == ["1010", "1100", "1100"]
    with pytest.raises(PermissionDenied):
        ledger.reconcile(uow_factory(), viewer, CODE, [sale, paid])


def test_open_items_as_of_a_day_ignore_later_payments(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00")
    paid = payment(uow_factory, FEB, "119.00")
    ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    assert residuals(uow_factory, as_of=date(2026, 1, 31)) == {sale: D("119.00")}
    assert residuals(uow_factory, as_of=FEB) == {}


# --- the reconciliation check ------------------------------------------------------------


def test_the_check_finds_a_group_that_does_not_net_to_zero(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00")
    paid = payment(uow_factory, FEB, "119.00")
    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])
    uow = uow_factory()
    with uow:  # tampering by hand, behind the service's back
        uow.conn.execute(
            sa.text(
                "UPDATE ledger_reconciliation_items SET amount = 120000000 "
                "WHERE reconciliation_id = :r AND line_id = :l"
            ),
            {"r": rec.id, "l": sale},
        )
        uow.commit()

    found = problems(uow_factory, NET_ZERO)

    assert f"reconciliation {rec.id} sums to 1.00 EUR, not zero" in found
    assert any(f"line {sale} of 119.00 EUR is matched by 120.00" in p for p in found)


# --- properties ------------------------------------------------------------------------


def _item(line_id: int, amount: Decimal) -> OpenItem:
    return OpenItem(line_id, line_id, None, JAN, None, "1100", "Globex", "EUR", amount, amount)


amounts = st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2)


@given(debits=st.lists(amounts, min_size=1, max_size=5), credits=st.lists(amounts, min_size=1))
def test_a_match_nets_to_zero_and_matches_no_line_beyond_its_residual(
    debits: list[Decimal], credits: list[Decimal]
) -> None:
    items = [_item(i, a) for i, a in enumerate(debits)]
    items += [_item(100 + i, -a) for i, a in enumerate(credits)]

    match = plan_match(items)

    residual = {i.line_id: i.residual for i in items}
    assert sum(a for _, a in match.parts) == 0
    assert all(abs(a) <= abs(residual[i]) and a * residual[i] > 0 for i, a in match.parts)
    smaller = min(sum(debits), sum(credits))
    assert sum(a for _, a in match.parts if a > 0) == smaller
    assert match.left_open == sum(debits) - sum(credits)


_company_numbers = itertools.count(1)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    total=st.decimals(min_value=D("1.00"), max_value=D("500.00"), places=2),
    shares=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=4),
)
def test_partial_payments_never_over_match_and_the_group_nets_to_zero_once_paid(
    uow_factory: Uows, total: Decimal, shares: list[int]
) -> None:
    code = books(uow_factory, f"P{next(_company_numbers)}")
    sale = invoice(uow_factory, JAN, str(total), code=code)
    paid_so_far = D(0)
    for share in shares:
        amount = max(D("0.01"), (total * share / 100).quantize(D("0.01")))
        paid = payment(uow_factory, FEB, str(amount), code=code)
        open_before = residuals(uow_factory, code).get(sale, D(0))
        if open_before == 0:
            break
        ledger.reconcile(uow_factory(), SYSTEM, code, [sale, paid])
        paid_so_far += amount
        left = residuals(uow_factory, code)
        assert D(0) <= left.get(sale, D(0)) == max(D(0), total - paid_so_far)
        assert left.get(paid, D(0)) == min(D(0), total - paid_so_far)
    rest = residuals(uow_factory, code).get(sale, D(0))
    if rest:
        final = payment(uow_factory, FEB, str(rest), code=code)
        ledger.reconcile(uow_factory(), SYSTEM, code, [sale, final])
    assert sale not in residuals(uow_factory, code)
    assert problems(uow_factory, NET_ZERO) == []
