"""``hansa fx``, ``hansa ledger revalue`` and ``year close`` as a user runs them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.e2e.conftest import Cli

YEAR = date.today().year


def test_rates_a_revaluation_and_the_year_end_close_from_the_command_line(
    initialised: Cli, tmp_path: Path
) -> None:
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
    rates.write_text(f"date,currency,rate\n{YEAR}-01-31,USD,0.95\n{YEAR}-01-31,EUR,1\n")
    refused = cli("fx", "import", str(rates))
    assert refused.returncode == 5
    assert "line 3: EUR is the company currency" in refused.stderr
    rates.write_text(f"date,currency,rate\n{YEAR}-01-31,USD,0.95\n")
    assert cli("fx", "import", str(rates)).returncode == 0

    revalued = cli("--format", "json", "ledger", "revalue", "--date", f"{YEAR}-01-31")

    assert revalued.returncode == 0, revalued.stderr
    rows = json.loads(revalued.stdout)
    assert [(r["account"], r["old_value"], r["new_value"], r["difference"]) for r in rows] == [
        ("1010", "920.00", "950.00", "30.00")
    ]
    assert f"Posted GEN/{YEAR}/000002: net 30.00 EUR" in revalued.stderr
    closed = cli("--yes", "ledger", "year", "close", str(YEAR))
    assert closed.returncode == 0, closed.stderr
    assert f"Fiscal year {YEAR} is closed by CLO/{YEAR}/000001: -30.00 EUR into 3900" in (
        closed.stdout
    )
