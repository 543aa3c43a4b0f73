"""Aging of receivables and payables, and the partner ledger, on fixed dates with
figures computed by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from hansa import ledger
from hansa.kernel.actor import SYSTEM
from hansa.kernel.errors import NotFound
from tests.ledger.matching_support import CODE, D, Uows, bill, books, invoice, payment


def _aging_books(uows: Uows) -> None:
    """Two customers and a vendor; the figures below are computed by hand."""
    books(uows)
    invoice(uows, date(2026, 6, 1), "100.00", "Globex", due=date(2026, 7, 10))  # not yet due
    invoice(uows, date(2026, 5, 1), "200.00", "Globex", due=date(2026, 6, 15))  # 15 days
    old = invoice(uows, date(2026, 4, 1), "300.00", "Globex", due=date(2026, 5, 20))  # 41 days
    part = payment(uows, date(2026, 6, 20), "50.00", "Globex")
    ledger.reconcile(uows(), SYSTEM, CODE, [old, part])  # 250.00 of it stays open
    late = invoice(uows, date(2026, 3, 15), "400.00", "Initech", due=date(2026, 4, 10))  # 81
    invoice(uows, date(2026, 2, 1), "500.00", "Initech")  # no due date: 149 days old
    invoice(uows, date(2026, 6, 30), "60.00", "Initech")  # today
    settled = payment(uows, date(2026, 7, 5), "400.00", "Initech")  # after the aging date
    ledger.reconcile(uows(), SYSTEM, CODE, [late, settled])
    bill(uows, date(2026, 5, 15), "500.00", "Hooli", due=date(2026, 6, 1))  # 29 days


def _buckets(row: ledger.AgingRow) -> tuple[str | None, str, list[str]]:
    amounts = [row.current, row.days_1_30, row.days_31_60, row.days_61_90, row.over_90]
    return row.partner, row.commodity, [str(a) for a in [*amounts, row.total]]


def test_aging_puts_each_open_item_in_its_bucket(uow_factory: Uows) -> None:
    _aging_books(uow_factory)

    report = ledger.aging(uow_factory(readonly=True), SYSTEM, CODE, as_of=date(2026, 6, 30))

    assert report.accounts == ("1010", "1100")  # the reconcilable asset accounts
    assert [_buckets(r) for r in report.rows] == [
        ("Globex", "EUR", ["100.00", "200.00", "250.00", "0.00", "0.00", "550.00"]),
        ("Initech", "EUR", ["60.00", "0.00", "0.00", "400.00", "500.00", "960.00"]),
    ]
    assert [_buckets(r) for r in report.totals] == [
        (None, "EUR", ["160.00", "200.00", "250.00", "400.00", "500.00", "1510.00"]),
    ]


def test_aging_a_month_later_counts_the_payment_and_moves_the_buckets(
    uow_factory: Uows,
) -> None:
    _aging_books(uow_factory)

    report = ledger.aging(uow_factory(readonly=True), SYSTEM, CODE, as_of=date(2026, 7, 31))

    assert [_buckets(r) for r in report.rows] == [
        ("Globex", "EUR", ["0.00", "100.00", "200.00", "250.00", "0.00", "550.00"]),
        ("Initech", "EUR", ["0.00", "0.00", "60.00", "0.00", "500.00", "560.00"]),
    ]


def test_payables_aging_shows_what_is_owed_as_positive(uow_factory: Uows) -> None:
    _aging_books(uow_factory)

    report = ledger.aging(
        uow_factory(readonly=True), SYSTEM, CODE, kind="payable", as_of=date(2026, 6, 30)
    )

    assert [_buckets(r) for r in report.rows] == [
        ("Hooli", "EUR", ["0.00", "500.00", "0.00", "0.00", "0.00", "500.00"]),
    ]


def test_partner_ledger_runs_a_balance_from_the_opening_balance(uow_factory: Uows) -> None:
    _aging_books(uow_factory)

    found = ledger.partner_ledger(
        uow_factory(readonly=True), SYSTEM, CODE, "Globex", date(2026, 5, 1), date(2026, 6, 30)
    )

    assert found.opening == {"EUR": D("300.00")}
    assert [(r.date, str(r.amount), str(r.balance), str(r.open)) for r in found.rows] == [
        (date(2026, 5, 1), "200.00", "500.00", "200.00"),
        (date(2026, 6, 1), "100.00", "600.00", "100.00"),
        (date(2026, 6, 20), "-50.00", "550.00", "0.00"),
    ]
    assert found.closing == {"EUR": D("550.00")}


def test_partner_ledger_of_an_unknown_partner_is_not_found(uow_factory: Uows) -> None:
    books(uow_factory)
    with pytest.raises(NotFound) as caught:
        ledger.partner_ledger(
            uow_factory(readonly=True), SYSTEM, CODE, "Nobody", date(2026, 1, 1), date(2026, 12, 31)
        )
    assert caught.value.code == "ledger.partner_not_found"
