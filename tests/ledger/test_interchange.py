"""Journal import and export: a hand-computed multi-currency ledger built from the two
interchange files, every rejection reason, all-or-nothing and --partial, the round
trip, and a property test of random balanced entries. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hansa import ledger
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from hansa.ledger.errors import BadLedgerInput, ImportRejected
from hansa.ledger.service import interchange
from hansa.system import run_checks

Uow = Callable[..., UnitOfWork]
JOURNAL = "date,entry,account,commodity,amount,weight_amount,weight_currency,narration,payee\n"

ACCOUNTS_FILE = """\
code,name,type,parent,currency
1021,Bank USD,asset,102,USD
102,Banks,asset,,
1022,Bank EUR,asset,102,
1600,Brokerage,asset,,
6100,Travel,expense,,
"""

# Base currency EUR. USD bought with EUR weighs in EUR; shares bought with USD weigh in
# USD; hours weigh in hours. Expected balances are worked out by hand below.
JOURNAL_FILE = (
    JOURNAL
    + """\
2025-03-01,E1,1022,EUR,10000.00,,,Capital,
2025-03-01,E1,3000,EUR,-10000.00,,,,
2025-04-10,E2,1021,USD,1100.00,1000.00,EUR,Buy USD,
2025-04-10,E2,1022,EUR,-1000.00,,,,
2025-05-15,E3,1600,ACME,10,500.00,USD,Buy shares,Broker
2025-05-15,E3,1021,USD,-500.00,,,,
2025-12-20,E4,1100,USD,250.50,230.46,EUR,Sale,Globex
2025-12-20,E4,4000,EUR,-230.46,,,,
2026-01-10,E5,6100,JPY,15000,92.35,EUR,Trip,
2026-01-10,E5,1022,EUR,-92.35,,,,
2026-02-01,E6,1600,ACME,2.5,130.25,USD,More shares,
2026-02-01,E6,1021,USD,-130.25,,,,
2026-02-15,E7,6100,HRS,7.25,,,Hours,
2026-02-15,E7,3000,HRS,-7.25,,,,
"""
)

EXPECTED_TRIAL_BALANCE = [
    ("1021", "USD", "469.75"),  # 1100.00 - 500.00 - 130.25
    ("1022", "EUR", "8907.65"),  # 10000.00 - 1000.00 - 92.35
    ("1100", "USD", "250.50"),
    ("1600", "ACME", "12.5"),  # 10 + 2.5
    ("3000", "EUR", "-10000.00"),
    ("3000", "HRS", "-7.25"),
    ("4000", "EUR", "-230.46"),
    ("6100", "HRS", "7.25"),
    ("6100", "JPY", "15000"),
]


def records(text: str) -> list[tuple[int, Mapping[str, str]]]:
    _, rows = ledger.read_interchange(io.StringIO(textwrap.dedent(text)))
    return list(rows)


def company(uow: Uow, code: str = "ACME") -> None:
    ledger.create_company(
        uow(),
        SYSTEM,
        name=code,
        code=code,
        currency="EUR",
        chart="minimal",
        year_of=date(2026, 1, 1),
    )


def balances(uow: Uow, code: str | None = None) -> list[tuple[str, str, str]]:
    rows = ledger.trial_balance(uow(readonly=True), SYSTEM, code, date(2026, 12, 31))
    return [(r.account, r.commodity, str(r.balance)) for r in rows]


def build(uow: Uow) -> ledger.ImportSummary:
    company(uow)
    ledger.import_accounts(uow(), SYSTEM, None, records(ACCOUNTS_FILE))
    return ledger.import_journal(uow(), SYSTEM, None, records(JOURNAL_FILE))


def test_two_import_files_give_the_hand_computed_trial_balance(uow_factory: Uow) -> None:
    summary = build(uow_factory)

    assert (summary.entries, summary.lines, summary.rejected) == (7, 14, ())
    assert [(c.code, c.decimals) for c in summary.commodities_declared] == [
        ("ACME", 1),
        ("HRS", 2),
    ]
    assert summary.fiscal_years_opened == ("2025",)
    assert balances(uow_factory) == EXPECTED_TRIAL_BALANCE
    income_2025 = ledger.income_statement(
        uow_factory(readonly=True), SYSTEM, None, date(2025, 1, 1), date(2025, 12, 31)
    )
    assert income_2025.totals == {"income": {"EUR": Decimal("-230.46")}}
    entries = ledger.list_entries(uow_factory(readonly=True), SYSTEM, None, limit=10)
    sale = next(e for e in entries if e.narration == "Sale")
    assert (sale.number, sale.partner, sale.reference) == ("GEN/2025/000004", "Globex", "E4")
    assert all(o.ok for o in run_checks(uow_factory(readonly=True), SYSTEM))


def test_accounts_file_in_any_order_refuses_what_cannot_be_placed(uow_factory: Uow) -> None:
    company(uow_factory)
    before = len(ledger.list_accounts(uow_factory(readonly=True), SYSTEM, None))
    text = ACCOUNTS_FILE + textwrap.dedent("""\
        1000,Cash and bank,asset,,
        4000,Sales,expense,,
        77,Orphan,asset,999,
        78,Grandchild,asset,77,
        A,Loop A,asset,B,
        B,Loop B,asset,A,
        1021,Again,asset,,
        X1,Bad type,thing,,
        X2,,asset,,
        X3,Weird currency,asset,,ZZZ
    """)
    expected = [
        (8, "account 4000 exists already as income in any currency"),
        (9, "parent account 999 exists neither in the file nor the books"),
        (10, "parent account 77 is refused"),
        (11, "parent account B is refused"),
        (12, "the parents of account B form a cycle"),
        (13, "account 1021 is given twice (first on line 2)"),
        (14, "unknown account type 'thing': use asset, liability, equity, income or expense"),
        (15, "account X2 has no name"),
        (16, "unknown currency 'ZZZ': declare it first ('hansa ledger commodity add')"),
    ]

    with pytest.raises(ImportRejected) as refused:
        ledger.import_accounts(uow_factory(), SYSTEM, None, records(text))
    assert refused.value.details["rejected"] == [{"line": n, "reason": r} for n, r in expected]
    assert len(ledger.list_accounts(uow_factory(readonly=True), SYSTEM, None)) == before

    summary = ledger.import_accounts(uow_factory(), SYSTEM, None, records(text), partial=True)
    assert (summary.accounts_created, summary.accounts_existing) == (5, 1)
    assert list(summary.rejected) == expected
    usd = ledger.get_account(uow_factory(readonly=True), SYSTEM, None, "1021")
    banks = ledger.get_account(uow_factory(readonly=True), SYSTEM, None, "102")
    assert (usd.parent_id, usd.currency, usd.name) == (banks.id, "USD", "Bank USD")


BAD_JOURNAL = (
    JOURNAL
    + """\
2025-03-01,OK,1022,HRS,10.00,,,fine,Somebody
2025-03-01,OK,3000,HRS,-10.00,,,,
2025-03-02,U,1022,EUR,10.00,,,unbalanced,
2025-03-02,U,3000,EUR,-9.99,,,,
2025-03-03,A,9999,EUR,5.00,,,unknown account,
2025-03-03,A,3000,EUR,-5.00,,,,
2026-01-05,C,1022,EUR,1.00,,,closed period,
2026-01-05,C,3000,EUR,-1.00,,,,
2025-03-04,N,1022,EUR,12.3x,,,bad number,
2025-03-04,N,3000,EUR,-12.30,,,,
2025-02-30,D,1022,EUR,1.00,,,bad date,
2025-03-01,D,3000,EUR,-1.00,,,,
2025-03-05,X,1022,EUR,1.00,,,dates differ,
2025-03-06,X,3000,EUR,-1.00,,,,
2025-03-07,W,1021,EUR,1.00,,,wrong currency,
2025-03-07,W,3000,EUR,-1.00,,,,
2025-03-08,OK,1022,EUR,1.00,,,,
2025-03-08,OK,3000,EUR,-1.00,,,,
2025-03-09,F,1022,EUR
2025-03-09,F,3000,EUR,-1.00,,,,
2025-03-10,S,1022,EUR,5.00,,,single line,
2025-03-11,Z,1022,EUR,0,5,EUR,zero weighs,
2025-03-11,Z,3000,EUR,-5,,,,
2025-03-12,R,6000,EUR,3.00,,,archived account,
2025-03-12,R,1022,EUR,-3.00,,,,
2025-03-13,Q,1022,EUR,1.001,,,too many decimals for EUR,
2025-03-13,Q,3000,EUR,-1.001,,,,
"""
)

BAD_JOURNAL_REJECTIONS = [
    (4, "entry U: the entry does not balance: weights sum to +0.01 EUR"),
    (6, "entry A: there is no account '9999'"),
    (8, "entry C: period 2026-01 is closed: nothing can be posted on 2026-01-05"),
    (10, "amount '12.3x' is not a number"),
    (12, "date '2025-02-30' is not a date (YYYY-MM-DD)"),
    (15, "entry X: date 2025-03-06 differs from its first line's (2025-03-05)"),
    (16, "entry W: account 1021 takes only USD, not EUR"),
    (
        18,
        "entry OK continues here after other entries: its lines must be consecutive "
        "(it starts on line 2)",
    ),
    (20, "4 fields where the header has 9"),
    (22, "entry S: an entry needs at least two lines"),
    (23, "entry Z: an amount of 0 cannot weigh 5"),
    (25, "entry R: account 6000 is archived"),
    (27, "entry Q: 1.001 has more decimals than EUR (2)"),
]


def _bad_books(uow: Uow) -> None:
    company(uow)
    ledger.import_accounts(uow(), SYSTEM, None, records(ACCOUNTS_FILE))
    ledger.set_period_state(uow(), SYSTEM, None, "2026-01", ledger.PeriodState.closed)
    ledger.archive_account(uow(), SYSTEM, None, "6000")


def test_a_rejected_row_stores_nothing_and_every_rejection_is_named(uow_factory: Uow) -> None:
    _bad_books(uow_factory)

    with pytest.raises(ImportRejected) as refused:
        ledger.import_journal(uow_factory(), SYSTEM, None, records(BAD_JOURNAL))

    assert refused.value.code == "ledger.import_rejected"
    assert refused.value.message.startswith("13 rows rejected, nothing was stored: line 4: ")
    assert refused.value.details["rejected"] == [
        {"line": n, "reason": r} for n, r in BAD_JOURNAL_REJECTIONS
    ]
    read = uow_factory(readonly=True)
    assert ledger.list_entries(read, SYSTEM, None) == []
    assert balances(uow_factory) == []
    assert {p.name[:4] for p in ledger.list_periods(read, SYSTEM, None)} == {"2026"}
    assert "HRS" not in {c.code for c in ledger.list_commodities(read, SYSTEM)}


def test_partial_import_posts_the_valid_entries_and_lists_the_rest(uow_factory: Uow) -> None:
    _bad_books(uow_factory)

    summary = ledger.import_journal(uow_factory(), SYSTEM, None, records(BAD_JOURNAL), partial=True)

    assert (summary.entries, summary.lines, summary.entries_rejected) == (1, 2, 13)
    assert list(summary.rejected) == BAD_JOURNAL_REJECTIONS
    assert summary.fiscal_years_opened == ("2025",)
    assert [(c.code, c.decimals) for c in summary.commodities_declared] == [("HRS", 2)]
    assert balances(uow_factory) == [("1022", "HRS", "10.00"), ("3000", "HRS", "-10.00")]


def test_partial_import_with_nothing_valid_is_refused(uow_factory: Uow) -> None:
    company(uow_factory)
    text = JOURNAL + "2026-03-01,E,1000,EUR,1.00,,,,\n2026-03-01,E,3000,EUR,-2.00,,,,\n"
    with pytest.raises(ImportRejected, match="1 row rejected, nothing was stored: line 2"):
        ledger.import_journal(uow_factory(), SYSTEM, None, records(text), partial=True)


def test_large_files_are_stored_batch_by_batch_with_progress(
    uow_factory: Uow, monkeypatch: pytest.MonkeyPatch
) -> None:
    company(uow_factory)
    ledger.import_accounts(uow_factory(), SYSTEM, None, records(ACCOUNTS_FILE))
    monkeypatch.setattr(interchange, "BATCH", 3)
    seen: list[int] = []

    summary = ledger.import_journal(
        uow_factory(), SYSTEM, None, records(JOURNAL_FILE), progress=seen.append
    )

    assert seen == [6, 12, 14]
    assert summary.entries == 7
    assert balances(uow_factory) == EXPECTED_TRIAL_BALANCE


def test_a_big_batch_is_stored_in_bulk_with_the_same_result(uow_factory: Uow) -> None:
    company(uow_factory)
    rows = [
        f"2026-{1 + n % 12:02d}-{1 + n % 28:02d},{n},{account},EUR,{sign}{n}.25,,,Sale {n},P{n % 7}"
        for n in range(1, 151)
        for account, sign in (("1100", ""), ("4000", "-"))
    ]

    summary = ledger.import_journal(uow_factory(), SYSTEM, None, records(JOURNAL + "\n".join(rows)))

    total = sum(Decimal(f"{n}.25") for n in range(1, 151))
    assert (summary.entries, summary.lines) == (150, 300)
    assert balances(uow_factory) == [("1100", "EUR", str(total)), ("4000", "EUR", str(-total))]
    entries = ledger.list_entries(uow_factory(readonly=True), SYSTEM, None, limit=200)
    assert sorted(e.number for e in entries)[-1] == "GEN/2026/000150"
    assert {e.partner for e in entries} == {f"P{n}" for n in range(7)}
    assert all(o.ok for o in run_checks(uow_factory(readonly=True), SYSTEM))


def test_export_then_import_into_an_empty_company_reproduces_the_books(
    uow_factory: Uow,
) -> None:
    build(uow_factory)
    accounts = ledger.export_accounts(uow_factory(readonly=True), SYSTEM, "ACME")
    journal = list(ledger.export_journal(uow_factory(readonly=True), SYSTEM, "ACME"))
    assert journal[4] == {
        "date": "2025-05-15",
        "entry": "GEN/2025/000003",
        "account": "1600",
        "commodity": "ACME",
        "amount": "10.0",
        "weight_amount": "500.00",
        "weight_currency": "USD",
        "narration": "Buy shares",
        "payee": "Broker",
    }
    company(uow_factory, "COPY")

    ledger.import_accounts(uow_factory(), SYSTEM, "COPY", list(enumerate(accounts, 2)))
    ledger.import_journal(uow_factory(), SYSTEM, "COPY", list(enumerate(journal, 2)))

    assert balances(uow_factory, "COPY") == balances(uow_factory, "ACME")
    assert balances(uow_factory, "COPY") == EXPECTED_TRIAL_BALANCE


def test_export_keeps_to_the_dates_asked_for(uow_factory: Uow) -> None:
    build(uow_factory)
    rows = ledger.export_journal(
        uow_factory(readonly=True), SYSTEM, None, date(2025, 12, 1), date(2026, 1, 31)
    )
    assert [(r["date"], r["entry"]) for r in rows] == [
        ("2025-12-20", "GEN/2025/000004"),
        ("2025-12-20", "GEN/2025/000004"),
        ("2026-01-10", "GEN/2026/000001"),
        ("2026-01-10", "GEN/2026/000001"),
    ]


def test_an_unknown_header_names_the_expected_ones() -> None:
    with pytest.raises(BadLedgerInput, match="a journal file date,entry,account") as refused:
        ledger.read_interchange(io.StringIO("day,account,amount\n"))
    assert refused.value.code == "ledger.bad_import_header"


def test_rows_that_can_be_read_only_once_are_refused(uow_factory: Uow) -> None:
    with pytest.raises(TypeError, match="re-iterable"):
        ledger.import_journal(uow_factory(), SYSTEM, None, iter(records(JOURNAL_FILE)))


# A random balanced entry: some lines in random commodities (some weighing in another
# currency), then one line per weight currency that brings its weights back to zero.
CURRENCIES = {"EUR": 2, "USD": 2, "JPY": 0, "KWD": 3, "ACME": 4, "HRS": 1}
ACCOUNTS = ["1000", "1100", "2000", "3000", "4000", "6000"]


def _amount(places: int) -> st.SearchStrategy[Decimal]:
    return st.integers(-(10**9), 10**9).filter(bool).map(lambda n: Decimal(n).scaleb(-places))


@st.composite
def balanced_entry(draw: st.DrawFn) -> tuple[date, list[tuple[str, str, Decimal, Decimal, str]]]:
    day = draw(st.dates(date(2024, 1, 1), date(2026, 12, 31)))
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        commodity = draw(st.sampled_from(sorted(CURRENCIES)))
        amount = draw(_amount(CURRENCIES[commodity]))
        weight, weigh_in = amount, commodity
        if draw(st.booleans()):
            weigh_in = draw(st.sampled_from(["EUR", "USD"]))
            weight = draw(_amount(CURRENCIES[weigh_in]))
            weight = weight.copy_sign(amount)
        lines.append((draw(st.sampled_from(ACCOUNTS)), commodity, amount, weight, weigh_in))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for *_, weight, weigh_in in lines:
        totals[weigh_in] += weight
    for currency, total in sorted(totals.items()):
        if total:
            account = draw(st.sampled_from(ACCOUNTS))
            lines.append((account, currency, -total, -total, currency))
    return day, lines


def _csv(entries: list[tuple[date, list[tuple[str, str, Decimal, Decimal, str]]]]) -> str:
    rows = [JOURNAL.strip()]
    for n, (day, lines) in enumerate(entries):
        for account, commodity, amount, weight, weigh_in in lines:
            rows.append(f"{day},{n},{account},{commodity},{amount},{weight},{weigh_in},,")
    return "\n".join(rows) + "\n"


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(balanced_entry(), min_size=1, max_size=8))
def test_random_balanced_entries_import_and_keep_every_check_green(
    uow_factory: Uow, entries: list[tuple[date, list[tuple[str, str, Decimal, Decimal, str]]]]
) -> None:
    code = f"P{len(ledger.list_companies(uow_factory(readonly=True), SYSTEM))}"
    company(uow_factory, code)
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for _, lines in entries:
        for account, commodity, amount, *_ in lines:
            expected[(account, commodity)] += amount

    summary = ledger.import_journal(uow_factory(), SYSTEM, code, records(_csv(entries)))

    assert summary.entries == len(entries)
    got = {(a, c): Decimal(b) for a, c, b in balances(uow_factory, code)}
    assert got == {k: v for k, v in expected.items() if v}
    assert [o.name for o in run_checks(uow_factory(readonly=True), SYSTEM) if not o.ok] == []
