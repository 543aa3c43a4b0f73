"""The acceptance check of the ledger, in its spirit: a seeded random ledger of three
fiscal years and about 3,000 entries in four currencies (EUR base, USD, GBP, JPY with no
decimals) and two commodities (AAPL shares weighing in USD, hours weighing in hours or
at a cost in EUR) is written as the two interchange files, imported through the real
``hansa`` executable into a fresh tenant, and its trial balances, yearly income
statements (per commodity and in the company currency) and balance sheet in the company
currency must equal, to the cent, what an independent double-entry computation makes of
the same files. About 20 s per engine, most of it starting the executable.

The reference computation below uses only ``csv`` and ``Decimal``: it imports nothing
from Hansa, so a bug shared by the importer and the reports cannot hide itself.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from tests.e2e import conftest as e2e
from tests.e2e.conftest import Cli

# The e2e suite's fixtures that run the real executable, used here too.
cli_env, cli, initialised = e2e.cli_env, e2e.cli, e2e.initialised

SEED, ENTRIES = 20261122, 3000
YEARS = (2023, 2024, 2025)
BASE = "EUR"
HEADER = "date,entry,account,commodity,amount,weight_amount,weight_currency,narration,payee"
ACCOUNTS = {  # code: (name, type, parent, currency); none clashes with the minimal chart
    "10": ("Banks", "asset", "", ""),
    "1010": ("Bank EUR", "asset", "10", "EUR"),
    "1020": ("Bank USD", "asset", "10", "USD"),
    "1030": ("Bank GBP", "asset", "10", "GBP"),
    "1040": ("Bank JPY", "asset", "10", "JPY"),
    "1600": ("Brokerage", "asset", "", ""),
    "1800": ("Hours bank", "asset", "", ""),
    "2110": ("VAT payable", "liability", "", ""),
    "2200": ("Loans", "liability", "", ""),
    "3100": ("Capital", "equity", "", ""),
    "4100": ("Sales domestic", "income", "", ""),
    "4200": ("Sales export", "income", "", ""),
    "4900": ("Gains on shares", "income", "", ""),
    "6100": ("Rent", "expense", "", ""),
    "6200": ("Travel", "expense", "", ""),
    "6300": ("Salaries", "expense", "", ""),
    "6800": ("Hours used", "expense", "", ""),
}
RATES = {"USD": (0.85, 0.98), "GBP": (1.10, 1.20), "JPY": (0.0060, 0.0070)}
CENT = Decimal("0.01")
KINDS = (
    "eur_sale",
    "usd_sale",
    "gbp_travel",
    "jpy_sale",
    "jpy_travel",
    "shares_buy",
    "shares_sell",
    "hours",
    "salary_hours",
    "rent_split",
    "loan",
)

Row = tuple[str, str, str, str, str, str, str, str, str]


# --- the generator ---------------------------------------------------------------------


class Generator:
    """Balanced entries: every entry's weights sum to zero per weight currency."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)

    def money(self, low: int, high: int) -> Decimal:
        return Decimal(self.rnd.randint(low * 100, high * 100)) / 100

    def rate(self, currency: str) -> Decimal:
        low, high = RATES[currency]
        return Decimal(str(round(self.rnd.uniform(low, high), 4 if currency != "JPY" else 6)))

    def entry(self, day: date, number: int) -> list[Row]:
        kind = self.rnd.choice(KINDS)
        lines: list[tuple[str, str, Decimal, Decimal | None, str]] = getattr(self, kind)()
        entry, text, payee = f"E{number:05d}", kind.replace("_", " "), f"P{self.rnd.randint(1, 40)}"
        return [
            (
                day.isoformat(),
                entry,
                account,
                commodity,
                _text(amount),
                "" if weight is None else _text(weight),
                wcur,
                text if i == 0 else "",
                payee if i == 0 else "",
            )
            for i, (account, commodity, amount, weight, wcur) in enumerate(lines)
        ]

    # Each kind returns lines (account, commodity, amount, weight or None, weight currency).
    def eur_sale(self) -> list[Any]:
        x = self.money(10, 5000)
        return [("1010", "EUR", x, None, ""), ("4100", "EUR", -x, None, "")]

    def _foreign(self, currency: str, amount: Decimal) -> Decimal:
        return (amount * self.rate(currency)).quantize(CENT, ROUND_HALF_UP)

    def usd_sale(self) -> list[Any]:
        usd = self.money(50, 8000)
        eur = self._foreign("USD", usd)
        return [("1020", "USD", usd, eur, BASE), ("4200", "EUR", -eur, None, "")]

    def gbp_travel(self) -> list[Any]:
        gbp = self.money(5, 900)
        eur = self._foreign("GBP", gbp)
        return [("6200", "EUR", eur, None, ""), ("1030", "GBP", -gbp, -eur, BASE)]

    def jpy_sale(self) -> list[Any]:
        jpy = Decimal(self.rnd.randint(1000, 900000))
        eur = self._foreign("JPY", jpy)
        return [("1040", "JPY", jpy, eur, BASE), ("4200", "EUR", -eur, None, "")]

    def jpy_travel(self) -> list[Any]:
        jpy = Decimal(self.rnd.randint(500, 90000))
        eur = self._foreign("JPY", jpy)
        return [("6200", "EUR", eur, None, ""), ("1040", "JPY", -jpy, -eur, BASE)]

    def shares_buy(self) -> list[Any]:
        n = Decimal(self.rnd.randint(1, 50))
        cost = n * self.money(120, 230)
        return [("1600", "AAPL", n, cost, "USD"), ("1020", "USD", -cost, None, "")]

    def shares_sell(self) -> list[Any]:
        n = Decimal(self.rnd.randint(1, 20))
        cost, proceeds = n * self.money(120, 230), n * self.money(120, 260)
        return [
            ("1020", "USD", proceeds, None, ""),
            ("1600", "AAPL", -n, -cost, "USD"),
            ("4900", "USD", cost - proceeds, None, ""),
        ]

    def hours(self) -> list[Any]:
        h = Decimal(self.rnd.randint(1, 40)) / 4
        return [("1800", "HRS", h, None, ""), ("6800", "HRS", -h, None, "")]

    def salary_hours(self) -> list[Any]:
        """Hours worked, weighing their cost in EUR."""
        h = Decimal(self.rnd.randint(4, 160)) / 4
        eur = (h * self.money(25, 80)).quantize(CENT)
        return [("1800", "HRS", h, eur, BASE), ("6300", "EUR", -eur, None, "")]

    def rent_split(self) -> list[Any]:
        rent, travel = self.money(300, 3000), self.money(10, 400)
        vat = (rent * Decimal("0.19")).quantize(CENT, ROUND_HALF_UP)
        return [
            ("6100", "EUR", rent, None, ""),
            ("6200", "EUR", travel, None, ""),
            ("2110", "EUR", vat, None, ""),
            ("1010", "EUR", -(rent + travel + vat), None, ""),
        ]

    def loan(self) -> list[Any]:
        x = self.money(1000, 20000)
        if self.rnd.random() < 0.5:
            return [("1010", "EUR", x, None, ""), ("2200", "EUR", -x, None, "")]
        return [("1010", "EUR", x, None, ""), ("3100", "EUR", -x, None, "")]


def _text(value: Decimal) -> str:
    return f"{value:f}"


def generate(folder: Path) -> tuple[Path, Path]:
    """Write accounts.csv and journal.csv; returns their paths."""
    gen = Generator(SEED)
    first, last = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)
    days = sorted(
        first + timedelta(days=gen.rnd.randint(0, (last - first).days)) for _ in range(ENTRIES)
    )
    accounts, journal = folder / "accounts.csv", folder / "journal.csv"
    with accounts.open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "type", "parent", "currency"])
        writer.writerows([code, *fields] for code, fields in ACCOUNTS.items())
    with journal.open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER.split(","))
        for number, day in enumerate(days, 1):
            writer.writerows(gen.entry(day, number))
    return accounts, journal


# --- the independent double-entry computation (csv + Decimal only) -------------------


def _rows(journal: Path) -> Iterator[dict[str, str]]:
    with journal.open(newline="") as source:
        yield from csv.DictReader(source)


def _places(journal: Path) -> dict[str, int]:
    """The decimals each commodity is written with in the file."""
    places: dict[str, int] = defaultdict(int)
    for row in _rows(journal):
        exponent = Decimal(row["amount"]).as_tuple().exponent
        assert isinstance(exponent, int)
        places[row["commodity"]] = max(places[row["commodity"]], -exponent)
    return places


def _shown(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places)):f}"


def reference_trial_balance(journal: Path, as_of: date) -> list[dict[str, str]]:
    """Balance per account and commodity up to *as_of*, zero balances left out."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _rows(journal):
        if date.fromisoformat(row["date"]) <= as_of:
            sums[(row["account"], row["commodity"])] += Decimal(row["amount"])
    places = _places(journal)
    return [
        {"account": account, "commodity": commodity, "balance": _shown(total, places[commodity])}
        for (account, commodity), total in sorted(sums.items())
        if total
    ]


def reference_income_statement(
    journal: Path, year: int, *, in_base: bool = False
) -> dict[tuple[str, str], str]:
    """(account, commodity) -> balance of the year's income and expense accounts, plus
    ("Total income" or "Total expense", commodity) totals. *in_base*: the
    company-currency weights instead of the amounts."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _rows(journal):
        section = ACCOUNTS[row["account"]][1]
        if date.fromisoformat(row["date"]).year != year or section not in ("income", "expense"):
            continue
        if in_base:
            weighs_in = row["weight_currency"] or row["commodity"]
            if weighs_in != BASE:
                continue
            value, commodity = Decimal(row["weight_amount"] or row["amount"]), BASE
        else:
            value, commodity = Decimal(row["amount"]), row["commodity"]
        sums[(row["account"], commodity)] += value
        sums[(f"Total {section}", commodity)] += value
    places = _places(journal)
    return {key: _shown(total, places[key[1]]) for key, total in sums.items() if total}


def reference_balance_sheet_in_base(journal: Path, as_of: date) -> dict[tuple[str, str], str]:
    """(account, commodity) -> the company-currency value of each balance-sheet account
    up to *as_of*; ("Result not yet closed", BASE) -> that of income and expenses; and
    ("Total <section>", BASE) -> the totals (the result counts as equity)."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _rows(journal):
        if date.fromisoformat(row["date"]) > as_of:
            continue
        if (row["weight_currency"] or row["commodity"]) != BASE:
            continue
        weight = Decimal(row["weight_amount"] or row["amount"])
        section = ACCOUNTS[row["account"]][1]
        if section in ("income", "expense"):
            sums[("Result not yet closed", BASE)] += weight
            section = "equity"
        else:
            sums[(row["account"], BASE)] += weight
        sums[(f"Total {section}", BASE)] += weight
    return {key: _shown(total, 2) for key, total in sums.items() if total}


def _check_reference_balances(journal: Path) -> None:
    """The generated file is a double-entry ledger: each entry's weights net to zero."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _rows(journal):
        currency = row["weight_currency"] or row["commodity"]
        totals[(row["entry"], currency)] += Decimal(row["weight_amount"] or row["amount"])
    assert [k for k, v in totals.items() if v] == []


# --- Hansa, through its executable ---------------------------------------------------


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _statements(
    rows: list[dict[str, str]],
) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """The period's and the comparison period's balances from the income statement's
    JSON rows, keyed (account, commodity) and (total's name, commodity)."""
    period, comparison = {}, {}
    for r in rows:
        key = (r["account"] or r["name"], r["commodity"])
        if r["balance"] is not None:
            period[key] = r["balance"]
        if r.get("comparison") is not None:
            comparison[key] = r["comparison"]
    return period, comparison


def test_an_imported_random_ledger_matches_an_independent_computation_to_the_cent(
    initialised: Cli, tmp_path: Path
) -> None:
    run = initialised
    accounts, journal = generate(tmp_path)
    _check_reference_balances(journal)
    company = ["ledger", "company", "add", "Acme", "--currency", BASE, "--chart", "minimal"]
    _json(run("-f", "json", *company))

    assert _json(run("-f", "json", "ledger", "import", str(accounts)))["accounts_created"] == 17
    summary = _json(run("-f", "json", "ledger", "import", str(journal)))

    assert summary["entries"] == ENTRIES
    assert summary["rejected"] == []
    assert summary["fiscal_years_opened"] == [str(y) for y in YEARS]
    assert summary["commodities_declared"] == ["AAPL (0 decimals)", "HRS (2 decimals)"]
    for as_of in (date(2024, 6, 30), date(2025, 12, 31)):
        trial = _json(run("-f", "json", "report", "trial-balance", "--as-of", str(as_of)))
        assert trial == reference_trial_balance(journal, as_of), as_of
    assert {r["commodity"] for r in trial} == {"EUR", "USD", "GBP", "JPY", "AAPL", "HRS"}
    sheet = _json(
        run("-f", "json", "report", "balance-sheet", "--as-of", "2025-12-31", "--in-base")
    )
    assert _statements(sheet)[0] == reference_balance_sheet_in_base(journal, date(2025, 12, 31))
    # Each income statement compares two years, so three years take two runs.
    for year, before, base in ((2024, 2023, False), (2025, 2024, False), (2025, 2024, True)):
        period = ["--from", f"{year}-01-01", "--to", f"{year}-12-31"]
        period += ["--compare-from", f"{before}-01-01", "--compare-to", f"{before}-12-31"]
        rows = _json(
            run(
                "-f",
                "json",
                "report",
                "income-statement",
                *period,
                *(["--in-base"] if base else []),
            )
        )
        this_year, last_year = _statements(rows)
        assert this_year == reference_income_statement(journal, year, in_base=base)
        assert last_year == reference_income_statement(journal, before, in_base=base)
    assert run("check").returncode == 0
