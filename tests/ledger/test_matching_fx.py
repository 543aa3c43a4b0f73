"""Realised exchange differences: a foreign-currency group reconciled at another rate
than it was booked at, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from hansa import ledger
from hansa.db import migrate
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import NotFound
from hansa.ledger.domain.matching import (
    OpenItem,
    exchange_difference,
    part_weights,
    plan_match,
)
from tests.ledger.fx_support import failing_checks
from tests.ledger.matching_support import (
    CODE,
    D,
    Uows,
    balance,
    books,
    invoice,
    line_on,
    payment,
    problems,
)

JAN, FEB, MAR = date(2026, 1, 15), date(2026, 2, 10), date(2026, 3, 5)
NET_ZERO = "ledger.reconciliations_net_zero"


def _usd(uows: Uows, day: date, amount: str, rate: str, journal: str, other: str) -> int:
    """*amount* USD on the receivable 1100 (Globex) at *rate*, against *other* in EUR;
    returns the receivable line."""
    usd, eur = D(amount), (D(amount) * D(rate)).quantize(D("0.01"))
    entry = ledger.record_entry(
        uows(),
        SYSTEM,
        CODE,
        ledger.EntryDraft(
            journal,
            day,
            (
                ledger.LineDraft("1100", "USD", usd, eur, "EUR", partner="Globex"),
                ledger.LineDraft(other, "EUR", -eur),
            ),
            f"{amount} USD at {rate}",
            "Globex",
        ),
    )
    return line_on(entry, "1100")


def test_a_usd_invoice_paid_at_a_higher_rate_realises_a_gain_of_50_eur(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    sale = _usd(uow_factory, JAN, "1000", "0.90", "SAL", "4000")  # 900.00 EUR
    paid = _usd(uow_factory, FEB, "-1000", "0.95", "BNK", "1010")  # -950.00 EUR

    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    # 1000 x 0.95 - 1000 x 0.90 = 950.00 - 900.00 = 50.00 EUR, a gain (credit 7900)
    assert rec.exchange_difference == D("50.00")
    assert rec.left_open == 0
    gain = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, rec.exchange_entry_id or 0)
    assert gain.date == FEB
    assert [(ln.account_code, ln.commodity, ln.amount, ln.weight) for ln in gain.lines] == [
        ("1100", "USD", D("0.00"), D("50.00")),
        ("7900", "EUR", D("-50.00"), D("-50.00")),
    ]
    assert balance(uow_factory, "7900") == D("-50.00")
    assert balance(uow_factory, "1100") == 0  # no USD left
    in_euros = ledger.balance_sheet(
        uow_factory(readonly=True), SYSTEM, CODE, date(2026, 12, 31), in_base=True
    )
    assert "1100" not in {r.account for r in in_euros.rows}  # and no euro value either
    assert ledger.open_items(uow_factory(readonly=True), SYSTEM, CODE, "1100") == []
    assert failing_checks(uow_factory) == []


def test_a_usd_bill_paid_at_a_higher_rate_realises_a_loss(uow_factory: Uows) -> None:
    books(uow_factory)
    bill = _usd(uow_factory, JAN, "-200", "0.90", "PUR", "6300")  # -180.00 EUR
    paid = _usd(uow_factory, FEB, "200", "0.95", "BNK", "1010")  # 190.00 EUR

    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [bill, paid])

    assert rec.exchange_difference == D("-10.00")  # credit the account, debit 7900
    assert balance(uow_factory, "7900") == D("10.00")
    assert failing_checks(uow_factory) == []


def test_a_partial_payment_realises_the_difference_of_the_part_paid(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = _usd(uow_factory, JAN, "1000", "0.90", "SAL", "4000")  # 900.00 EUR
    first = _usd(uow_factory, FEB, "-400", "0.95", "BNK", "1010")  # -380.00 EUR
    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, first])

    # 400 of 1000 USD carried 400/1000 x 900.00 = 360.00 EUR; paid 380.00: 20.00 gain
    assert (rec.left_open, rec.exchange_difference) == (D("600"), D("20.00"))
    (rest,) = ledger.open_items(uow_factory(readonly=True), SYSTEM, CODE, "1100")
    assert (rest.line_id, rest.residual, rest.open_weight) == (sale, D("600"), D("540.00"))

    second = _usd(uow_factory, MAR, "-600", "0.85", "BNK", "1010")  # -510.00 EUR
    rec2 = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, second])

    # the rest carried 540.00 EUR and brought 510.00: a loss of 30.00
    assert (rec2.left_open, rec2.exchange_difference) == (D("0"), D("-30.00"))
    assert balance(uow_factory, "7900") == D("10.00")  # -20.00 + 30.00: a net loss of 10
    assert balance(uow_factory, "1100") == 0
    assert problems(uow_factory, NET_ZERO) == []
    assert failing_checks(uow_factory) == []


def test_a_group_in_the_company_currency_posts_no_exchange_difference(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    sale = _usd(uow_factory, JAN, "100", "1", "SAL", "4000")
    paid = _usd(uow_factory, FEB, "-100", "1", "BNK", "1010")

    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    assert (rec.exchange_entry_id, rec.exchange_difference) == (None, None)


def test_unreconcile_reverses_the_exchange_difference(uow_factory: Uows) -> None:
    books(uow_factory)
    sale = _usd(uow_factory, JAN, "1000", "0.90", "SAL", "4000")
    paid = _usd(uow_factory, FEB, "-1000", "0.95", "BNK", "1010")
    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])

    ledger.unreconcile(uow_factory(), SYSTEM, CODE, rec.id)

    gain = ledger.get_entry(uow_factory(readonly=True), SYSTEM, CODE, rec.exchange_entry_id or 0)
    assert gain.reversed_by is not None
    assert balance(uow_factory, "7900") == 0
    open_ = ledger.open_items(uow_factory(readonly=True), SYSTEM, CODE, "1100")
    assert [(i.line_id, i.residual, i.open_weight) for i in open_] == [
        (sale, D("1000"), D("900.00")),
        (paid, D("-1000"), D("-950.00")),
    ]
    assert failing_checks(uow_factory) == []


def test_a_missing_exchange_account_is_refused_and_nothing_is_reconciled(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    sale = _usd(uow_factory, JAN, "1000", "0.90", "SAL", "4000")
    paid = _usd(uow_factory, FEB, "-1000", "0.95", "BNK", "1010")

    with pytest.raises(NotFound, match="no gain/loss account '7999'"):
        ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid], exchange_account="7999")

    assert len(ledger.open_items(uow_factory(readonly=True), SYSTEM, CODE, "1100")) == 2


def test_the_check_finds_a_foreign_group_that_does_not_net_in_the_company_currency(
    uow_factory: Uows,
) -> None:
    books(uow_factory)
    sale = _usd(uow_factory, JAN, "1000", "0.90", "SAL", "4000")
    paid = _usd(uow_factory, FEB, "-1000", "0.95", "BNK", "1010")
    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, paid])
    uow = uow_factory()
    with uow:  # tampering by hand: drop the exchange line from the group
        uow.conn.execute(
            sa.text(
                "DELETE FROM ledger_reconciliation_items "
                "WHERE reconciliation_id = :r AND line_id NOT IN (:a, :b)"
            ),
            {"r": rec.id, "a": sale, "b": paid},
        )
        uow.commit()

    assert problems(uow_factory, NET_ZERO) == [
        f"reconciliation {rec.id} is off by -50 in the company currency "
        "(its realised exchange difference is missing)"
    ]


def _usd_item(line_id: int, amount: D, weight: D, matched: D, matched_weight: D) -> OpenItem:
    return OpenItem(
        line_id,
        line_id,
        None,
        JAN,
        None,
        "1100",
        "Globex",
        "USD",
        amount,
        amount - matched,
        weight=weight,
        weight_currency="EUR",
        open_weight=weight - matched_weight,
    )


cents = st.integers(min_value=1, max_value=10_000_00)
rates = st.integers(min_value=5000, max_value=15000)  # 0.5000 to 1.5000 EUR per USD


@given(total=cents, rate=rates, payments=st.lists(st.tuples(cents, rates), min_size=1))
def test_partial_payments_at_any_rates_realise_exactly_the_euro_difference(
    total: int, rate: int, payments: list[tuple[int, int]]
) -> None:
    usd = D(total) / 100
    weight = (usd * rate / 10000).quantize(D("0.01"))
    matched = matched_weight = realised = paid_weights = D(0)
    for i, (amount, pay_rate) in enumerate(payments, 1):
        if matched == usd:
            break
        pay = -min(D(amount) / 100, usd - matched)  # never more than is open
        pay_weight = (pay * pay_rate / 10000).quantize(D("0.01"))
        items = [
            _usd_item(0, usd, weight, matched, matched_weight),
            _usd_item(i, pay, pay_weight, D(0), D(0)),
        ]
        match = plan_match(items)
        weights = part_weights(items, match.parts, "EUR", 2)
        difference = exchange_difference(weights)

        assert sum(weights.values()) + difference == 0  # the group nets to zero in EUR
        assert weights[i] == pay_weight  # the payment is matched in full
        matched += dict(match.parts)[0]
        matched_weight += weights[0]
        realised += difference
        paid_weights += pay_weight
    if matched == usd:  # fully paid: the invoice gave exactly its weight, no cent lost
        assert matched_weight == weight
        assert realised == -(weight + paid_weights)


def test_groups_reconciled_before_weights_were_kept_get_them_on_upgrade(
    uow_factory: Uows, engine: sa.Engine
) -> None:
    books(uow_factory)
    sale = invoice(uow_factory, JAN, "119.00")
    first = payment(uow_factory, FEB, "50.00")
    usd = _usd(uow_factory, JAN, "1000", "0.90", "SAL", "4000")  # 900.00 EUR
    usd_paid = _usd(uow_factory, FEB, "-400", "0.95", "BNK", "1010")  # -380.00 EUR
    ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, first])
    ledger.reconcile(uow_factory(), SYSTEM, CODE, [usd, usd_paid], exchange_account="7900")
    with engine.begin() as conn:  # as the schema before 0006 left them: no weights
        conn.execute(sa.text("UPDATE ledger_reconciliation_items SET weight = 0"))
        conn.execute(sa.text("UPDATE ledger_reconciliations SET exchange_entry_id = NULL"))
        conn.execute(sa.text("DELETE FROM ledger_reconciliation_items WHERE amount = 0"))

    revisions = migrate.history()
    migrate.downgrade(engine, steps=len(revisions) - revisions.index("0005") - 1)
    migrate.upgrade(engine)

    open_ = ledger.open_items(uow_factory(readonly=True), SYSTEM, CODE, "1100")
    assert [(i.line_id, i.residual, i.open_weight) for i in open_] == [
        (sale, D("69.00"), D("69.00")),
        (usd, D("600"), D("540.00")),  # 900.00 less 400/1000 of it
    ]
    # the USD group was matched at two rates with no realised difference: the check says so
    assert problems(uow_factory, NET_ZERO) == [
        "reconciliation 2 is off by -20 in the company currency "
        "(its realised exchange difference is missing)"
    ]
    rest = payment(uow_factory, MAR, "69.00")
    rec = ledger.reconcile(uow_factory(), SYSTEM, CODE, [sale, rest])
    assert rec.exchange_entry_id is None  # a euro group has no exchange difference
