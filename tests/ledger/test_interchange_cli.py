"""``hansa ledger import`` and ``export`` through the real executable, without a
terminal (so no progress bar: stdout stays machine-readable)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e import conftest as e2e
from tests.e2e.conftest import Cli
from tests.ledger.test_interchange import (
    ACCOUNTS_FILE,
    EXPECTED_TRIAL_BALANCE,
    JOURNAL,
    JOURNAL_FILE,
)

# The e2e suite's fixtures that run the real executable, used here too.
cli_env, cli, initialised = e2e.cli_env, e2e.cli, e2e.initialised


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_report_export_and_a_rejected_file_through_the_cli(
    initialised: Cli, tmp_path: Path
) -> None:
    run = initialised
    company = ["ledger", "company", "add", "Acme", "--currency", "EUR", "--chart", "minimal"]
    _json(run("-f", "json", *company))
    accounts, journal, bad = (tmp_path / n for n in ("accounts.csv", "journal.csv", "bad.csv"))
    accounts.write_text(ACCOUNTS_FILE)
    journal.write_text(JOURNAL_FILE)
    bad.write_text(JOURNAL + "2026-03-01,E,1000,EUR,1.00,,,,\n2026-03-01,E,3000,EUR,-2.00,,,,\n")

    result = run("-f", "json", "ledger", "import", str(bad))
    assert result.returncode == 5
    assert json.loads(result.stdout) == [
        {"line": 2, "reason": "entry E: the entry does not balance: weights sum to -1.00 EUR"}
    ]
    assert "[ledger.import_rejected]: 1 row rejected, nothing was stored" in result.stderr
    assert "Traceback" not in result.stderr

    assert _json(run("-f", "json", "ledger", "import", str(accounts))) == {
        "kind": "accounts",
        "accounts_created": 5,
        "accounts_existing": 0,
        "rejected": [],
    }
    assert _json(run("-f", "json", "ledger", "import", str(journal))) == {
        "kind": "journal",
        "entries": 7,
        "lines": 14,
        "entries_rejected": 0,
        "commodities_declared": ["ACME (1 decimal)", "HRS (2 decimals)"],
        "fiscal_years_opened": ["2025"],
        "rejected": [],
    }
    balance = _json(run("-f", "json", "report", "trial-balance", "--as-of", "2026-12-31"))
    assert [(r["account"], r["commodity"], r["balance"]) for r in balance] == EXPECTED_TRIAL_BALANCE

    audit = _json(run("-f", "json", "audit", "list", "--action", "ledger.import.*", "--details"))
    after = [json.loads(r["after"]) if isinstance(r["after"], str) else r["after"] for r in audit]
    assert [(a["file"], a["entries"], a["lines"]) for a in after] == [
        ("journal.csv", 7, 14),
        ("accounts.csv", 0, 0),
    ]
    assert after[0]["sha256"] == hashlib.sha256(journal.read_bytes()).hexdigest()

    exported = tmp_path / "out" / "2025.csv"
    exported.parent.mkdir()
    assert _json(run("-f", "json", "ledger", "export", str(exported), "--to", "2025-12-31")) == {
        "file": str(exported),
        "kind": "journal",
        "rows": 8,
    }
    text = exported.read_text().splitlines()
    assert text[0] == JOURNAL.strip()
    assert text[5] == "2025-05-15,GEN/2025/000003,1600,ACME,10.0,500.00,USD,Buy shares,Broker"
    assert [p.name for p in exported.parent.iterdir()] == ["2025.csv"]
