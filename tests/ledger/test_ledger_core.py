"""The ledger's core rules on both engines: posting, numbering, periods, reversal,
immutability, permissions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hansa import ledger, system
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM, Actor
from hansa.kernel.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from hansa.ledger import EntryDraft, LineDraft

Uow = Callable[..., UnitOfWork]
D = Decimal
JAN = date(2026, 1, 15)


@pytest.fixture
def books(uow_factory: Uow) -> ledger.Company:
    return ledger.create_company(
        uow_factory(), SYSTEM, name="Acme Trading", currency="EUR", chart="standard", year_of=JAN
    )


def sale(day: date = JAN, amount: str = "119.00", journal: str = "SAL") -> EntryDraft:
    gross = D(amount)
    net = (gross / D("1.19")).quantize(D("0.01"))
    return EntryDraft(
        journal,
        day,
        (
            LineDraft("1100", "EUR", gross, partner="Globex"),
            LineDraft("4000", "EUR", -net),
            LineDraft("2100", "EUR", net - gross),
        ),
        "Invoice",
        partner="Globex",
    )


def balances(uow_factory: Uow, as_of: date = date(2026, 12, 31)) -> dict[str, Decimal]:
    return {
        f"{r.account}/{r.commodity}": r.balance
        for r in ledger.trial_balance(uow_factory(), SYSTEM, None, as_of)
    }


def all_checks_pass(uow_factory: Uow) -> None:
    failing = [
        (o.name, [p.message for p in o.problems], o.error)
        for o in system.run_checks(uow_factory(readonly=True), SYSTEM)
        if not o.ok
    ]
    assert failing == []


def test_a_new_company_has_its_chart_journals_and_open_year(
    uow_factory: Uow, books: ledger.Company
) -> None:
    accounts = {a.code: a for a in ledger.list_accounts(uow_factory(), SYSTEM, None)}
    assert accounts["1100"].reconcilable
    assert accounts["4000"].type is ledger.AccountType.income
    periods = ledger.list_periods(uow_factory(), SYSTEM, None)
    assert [p.name for p in periods][:2] == ["2026-01", "2026-02"]
    assert len(periods) == 12
    with pytest.raises(Conflict):
        ledger.create_company(uow_factory(), SYSTEM, name="Acme Other", currency="EUR", code="ACME")


def test_posting_numbers_the_entry_and_moves_the_balances(
    uow_factory: Uow, books: ledger.Company
) -> None:
    entry = ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    assert entry.number == "SAL/2026/000001"
    assert entry.state is ledger.EntryState.posted
    assert balances(uow_factory) == {
        "1100/EUR": D("119.00"),
        "2100/EUR": D("-19.00"),
        "4000/EUR": D("-100.00"),
    }
    all_checks_pass(uow_factory)


def test_an_unbalanced_entry_is_refused_with_the_difference(
    uow_factory: Uow, books: ledger.Company
) -> None:
    draft = EntryDraft(
        "GEN", JAN, (LineDraft("1000", "EUR", D("10")), LineDraft("4000", "EUR", D("-9.99")))
    )
    with pytest.raises(RuleViolation, match=r"\+0\.01 EUR") as refused:
        ledger.record_entry(uow_factory(), SYSTEM, None, draft)
    assert refused.value.code == "ledger.unbalanced_entry"
    assert balances(uow_factory) == {}


def test_posting_into_a_closed_period_is_refused_with_the_period_named(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.set_period_state(uow_factory(), SYSTEM, None, "2026-01", ledger.PeriodState.closed)
    with pytest.raises(RuleViolation, match="period 2026-01 is closed") as refused:
        ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    assert refused.value.code == "ledger.closed_period"
    ledger.set_period_state(uow_factory(), SYSTEM, None, "2026-01", ledger.PeriodState.open)
    assert ledger.record_entry(uow_factory(), SYSTEM, None, sale()).number


def test_a_locked_period_can_never_be_reopened(uow_factory: Uow, books: ledger.Company) -> None:
    ledger.set_period_state(uow_factory(), SYSTEM, None, "2026-01", ledger.PeriodState.locked)
    with pytest.raises(RuleViolation, match="never"):
        ledger.set_period_state(uow_factory(), SYSTEM, None, "2026-01", ledger.PeriodState.open)


def test_the_lock_date_refuses_earlier_postings(uow_factory: Uow, books: ledger.Company) -> None:
    ledger.set_lock_date(uow_factory(), SYSTEM, None, date(2026, 1, 31))
    with pytest.raises(RuleViolation, match="locked up to 2026-01-31"):
        ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    assert ledger.record_entry(uow_factory(), SYSTEM, None, sale(date(2026, 2, 1))).number


def test_a_date_outside_every_fiscal_year_is_refused(
    uow_factory: Uow, books: ledger.Company
) -> None:
    with pytest.raises(RuleViolation, match="no fiscal period covers 2027-01-05"):
        ledger.record_entry(uow_factory(), SYSTEM, None, sale(date(2027, 1, 5)))
    ledger.open_fiscal_year(uow_factory(), SYSTEM, None, date(2027, 1, 1))
    assert (
        ledger.record_entry(uow_factory(), SYSTEM, None, sale(date(2027, 1, 5))).number
        == "SAL/2027/000001"
    )


def test_drafts_get_no_number_until_posted_and_numbers_have_no_gaps(
    uow_factory: Uow, books: ledger.Company
) -> None:
    first = ledger.record_entry(uow_factory(), SYSTEM, None, sale(), post=False)
    assert first.number is None
    assert balances(uow_factory) == {}
    second = ledger.record_entry(uow_factory(), SYSTEM, None, sale(), post=False)
    ledger.delete_draft(uow_factory(), SYSTEM, None, first.id)
    posted = ledger.post_draft(uow_factory(), SYSTEM, None, second.id)
    assert posted.id == second.id
    assert posted.number == "SAL/2026/000001"
    with pytest.raises(RuleViolation):
        ledger.post_draft(uow_factory(), SYSTEM, None, second.id)
    with pytest.raises(RuleViolation):
        ledger.delete_draft(uow_factory(), SYSTEM, None, second.id)
    with pytest.raises(NotFound):
        ledger.get_entry(uow_factory(), SYSTEM, None, first.id)
    all_checks_pass(uow_factory)


def test_reversal_negates_links_both_ways_and_nets_to_zero(
    uow_factory: Uow, books: ledger.Company
) -> None:
    original = ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    reversal = ledger.reverse_entry(uow_factory(), SYSTEM, None, original.id, date(2026, 2, 3))
    assert reversal.reversal_of == original.id
    assert reversal.date == date(2026, 2, 3)
    assert [ln.amount for ln in reversal.lines] == [-ln.amount for ln in original.lines]
    assert ledger.get_entry(uow_factory(), SYSTEM, None, original.id).reversed_by == reversal.id
    assert balances(uow_factory) == {}
    assert balances(uow_factory, date(2026, 1, 31)) == {
        "1100/EUR": D("119.00"),
        "2100/EUR": D("-19.00"),
        "4000/EUR": D("-100.00"),
    }
    with pytest.raises(RuleViolation, match="already reversed"):
        ledger.reverse_entry(uow_factory(), SYSTEM, None, original.id)
    all_checks_pass(uow_factory)


def test_a_reversal_into_a_closed_period_is_refused(
    uow_factory: Uow, books: ledger.Company
) -> None:
    original = ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    ledger.set_period_state(uow_factory(), SYSTEM, None, "2026-02", ledger.PeriodState.closed)
    with pytest.raises(RuleViolation, match="2026-02 is closed"):
        ledger.reverse_entry(uow_factory(), SYSTEM, None, original.id, date(2026, 2, 3))


def test_the_database_refuses_to_change_a_posted_line_or_entry(
    uow_factory: Uow, books: ledger.Company, engine: sa.Engine
) -> None:
    entry = ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    for statement in (
        "UPDATE ledger_lines SET amount = 1 WHERE entry_id = :id",
        "DELETE FROM ledger_lines WHERE entry_id = :id",
        "UPDATE ledger_entries SET narration = 'x' WHERE id = :id",
        "DELETE FROM ledger_entries WHERE id = :id",
    ):
        with pytest.raises(sa.exc.DBAPIError, match="immutable"), engine.begin() as conn:
            conn.execute(sa.text(statement), {"id": entry.id})
    assert balances(uow_factory)["1100/EUR"] == D("119.00")


def test_archived_accounts_take_no_postings_but_keep_their_history(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    ledger.archive_account(uow_factory(), SYSTEM, None, "4000")
    assert "4000" not in {a.code for a in ledger.list_accounts(uow_factory(), SYSTEM, None)}
    with pytest.raises(RuleViolation, match="4000 is archived"):
        ledger.record_entry(uow_factory(), SYSTEM, None, sale())
    assert balances(uow_factory)["4000/EUR"] == D("-100.00")


def test_an_account_restricted_to_a_currency_refuses_others(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.add_account(
        uow_factory(),
        SYSTEM,
        None,
        code="1020",
        name="Bank USD",
        type="asset",
        parent="10",
        currency="USD",
    )
    draft = EntryDraft(
        "GEN", JAN, (LineDraft("1020", "EUR", D("5")), LineDraft("3000", "EUR", D("-5")))
    )
    with pytest.raises(RuleViolation, match="takes only USD"):
        ledger.record_entry(uow_factory(), SYSTEM, None, draft)


def test_unknown_accounts_and_commodities_are_named(
    uow_factory: Uow, books: ledger.Company
) -> None:
    with pytest.raises(NotFound, match="9999"):
        ledger.record_entry(
            uow_factory(),
            SYSTEM,
            None,
            EntryDraft(
                "GEN", JAN, (LineDraft("9999", "EUR", D("1")), LineDraft("4000", "EUR", D("-1")))
            ),
        )
    with pytest.raises(InvalidInput, match="AAPL"):
        ledger.record_entry(
            uow_factory(),
            SYSTEM,
            None,
            EntryDraft(
                "GEN", JAN, (LineDraft("1200", "AAPL", D("1")), LineDraft("1200", "AAPL", D("-1")))
            ),
        )


def test_a_viewer_reads_but_cannot_post(uow_factory: Uow, books: ledger.Company) -> None:
    from hansa.identity import effective_permissions

    viewer = Actor("vera", 2, frozenset({"viewer"}), effective_permissions(["viewer"]))
    assert ledger.trial_balance(uow_factory(), viewer, None) == []
    with pytest.raises(PermissionDenied):
        ledger.record_entry(uow_factory(), viewer, None, sale())


def test_concurrent_postings_get_distinct_gapless_numbers(
    uow_factory: Uow, books: ledger.Company
) -> None:
    errors: list[BaseException] = []

    def post_some() -> None:
        try:
            for _ in range(5):
                ledger.record_entry(uow_factory(), SYSTEM, None, sale())
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=post_some) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(e.number or "" for e in ledger.list_entries(uow_factory(), SYSTEM, None))
    assert numbers == [f"SAL/2026/{n:06d}" for n in range(1, 21)]
    all_checks_pass(uow_factory)


amounts = st.decimals(
    min_value=D("-100000"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False
).filter(lambda d: d != 0)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1000", "1100", "1200", "5000", "6100"]),
            amounts,
            st.sampled_from(["EUR", "USD", "CHF"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_random_balanced_entries_keep_every_check_green(
    uow_factory: Uow, books: ledger.Company, legs: list[tuple[str, Decimal, str]]
) -> None:
    lines = []
    for account, amount, currency in legs:
        lines += [
            LineDraft(account, currency, amount, amount, currency),
            LineDraft("4000", currency, -amount, -amount, currency),
        ]
    ledger.record_entry(uow_factory(), SYSTEM, None, EntryDraft("GEN", JAN, tuple(lines)))
    totals: dict[str, Decimal] = {}
    for row in ledger.trial_balance(uow_factory(), SYSTEM, None):
        totals[row.commodity] = totals.get(row.commodity, D(0)) + row.balance
    assert all(total == 0 for total in totals.values())
    all_checks_pass(uow_factory)


def test_the_general_ledger_runs_balances_from_the_opening_balance(
    uow_factory: Uow, books: ledger.Company
) -> None:
    ledger.record_entry(uow_factory(), SYSTEM, None, sale(date(2026, 1, 10)))
    ledger.record_entry(uow_factory(), SYSTEM, None, sale(date(2026, 2, 10), "238.00"))
    ledger.record_entry(
        uow_factory(),
        SYSTEM,
        None,
        EntryDraft(
            "BNK",
            date(2026, 2, 20),
            (
                LineDraft("1010", "EUR", D("119.00")),
                LineDraft("1100", "EUR", D("-119.00"), partner="Globex"),
            ),
        ),
    )
    rows = ledger.general_ledger(
        uow_factory(), SYSTEM, None, date(2026, 2, 1), date(2026, 2, 28), "1100"
    )
    assert [(r.narration, r.amount, r.balance) for r in rows] == [
        ("Opening balance", D(0), D("119.00")),
        ("Invoice", D("238.00"), D("357.00")),
        ("", D("-119.00"), D("238.00")),
    ]
    everything = ledger.general_ledger(
        uow_factory(), SYSTEM, None, date(2026, 1, 1), date(2026, 12, 31)
    )
    assert {r.account for r in everything} == {"1010", "1100", "2100", "4000"}
