"""``hansa fx`` and ``hansa ledger revalue`` / ``year close`` as a user runs them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.e2e.conftest import Cli

YEAR = date.today().year


def test_rates_set_imported_and_a_revaluation_posted(initialised: Cli, tmp_path: Path) -> None:
    cli = initialised
    assert cli("ledger", "company", "add", "Acme Trading", "--currency", "EUR").returncode == 0
    done = cli("fx", "set", "USD", "0.92", "--date", f"{YEAR}-01-01")
    assert done.returncode == 0, done.stderr
    entry = cli(
        "ledger",
        "entry",
        "add",
        "--date",
        f"{YEAR}-01-02",
        "--line",
        "1010 1000.00 USD",
        "--line",
        "3000 -920.00 EUR",
    )
    assert entry.returncode == 0, entry.stderr
    rates = tmp_path / "rates.csv"
    rates.write_text(f"date,currency,rate\n{YEAR}-01-31,USD,0.95\n{YEAR}-01-31,GBP,1.17\n")
    imported = cli("fx", "import", str(rates))
    assert imported.returncode == 0, imported.stderr
    assert "Imported 2 rates (GBP, USD)" in imported.stdout

    revalued = cli("--format", "json", "ledger", "revalue", "--date", f"{YEAR}-01-31")

    assert revalued.returncode == 0, revalued.stderr
    rows = json.loads(revalued.stdout)
    assert [(r["account"], r["old_value"], r["new_value"], r["difference"]) for r in rows] == [
        ("1010", "920.00", "950.00", "30.00")
    ]
    assert f"Posted GEN/{YEAR}/000002: net 30.00 EUR" in revalued.stderr
    again = cli("ledger", "revalue", "--date", f"{YEAR}-01-31", "--preview")
    assert "nothing to post" in again.stdout


def test_fx_errors_are_one_line_with_a_code_and_exit_status(initialised: Cli) -> None:
    cli = initialised
    assert cli("ledger", "company", "add", "Acme Trading", "--currency", "EUR").returncode == 0

    base = cli("fx", "set", "EUR", "1")
    missing = cli("fx", "convert", "10", "GBP", "--date", f"{YEAR}-01-01")
    year = cli("ledger", "year", "close", str(YEAR))

    assert base.returncode == 8
    assert "[ledger.rate_of_base]: EUR is the company currency" in base.stderr
    assert missing.returncode == 3
    assert f"'hansa fx set GBP RATE --date {YEAR}-01-01'" in missing.stderr
    assert year.returncode == 8  # no terminal to confirm on
    closed = cli("--yes", "ledger", "year", "close", str(YEAR))
    assert closed.returncode == 0, closed.stderr
    assert f"Fiscal year {YEAR} is closed." in closed.stdout
