"""``hansa gdpr``, ``hansa keys rotate`` and ``hansa crm`` through the real executable."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Cli


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_gdpr_export_then_erase(initialised: Cli, tmp_path: Path) -> None:
    cli = initialised
    assert (
        cli(
            "customers",
            "add",
            "--first-name",
            "Augusta",
            "--last-name",
            "Kingsworth",
            "--email",
            "ak@example.org",
        ).returncode
        == 0
    )
    out = tmp_path / "ak.json"

    exported = cli("gdpr", "export", "C00001", "--output", str(out))
    refused = cli("gdpr", "erase", "C00001")
    erased = cli("--yes", "gdpr", "erase", "C00001")
    shown = _json(cli("--format", "json", "customers", "show", "C00001"))

    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text())["party"]["email"] == "ak@example.org"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert refused.returncode == 8
    assert erased.returncode == 0, erased.stderr
    assert shown == {**shown, "name": "Erased party C00001", "email": None}


def test_keys_rotate_re_encrypts_and_data_stays_readable(initialised: Cli) -> None:
    cli = initialised
    assert cli("customers", "add", "Acme", "--email", "a@acme.example").returncode == 0

    rotated = cli("keys", "rotate")
    found = _json(cli("--format", "json", "customers", "search", "--query", "a@acme.example"))

    assert rotated.returncode == 0, rotated.stderr
    assert "Key k2 is now active; re-encrypted 1 values." in rotated.stdout
    assert [r["email"] for r in found] == ["a@acme.example"]


def test_lead_to_customer_pipeline_and_history(initialised: Cli) -> None:
    cli = initialised
    lead = _json(
        cli(
            "--format",
            "json",
            "crm",
            "lead",
            "add",
            "Grace Hopper",
            "--company",
            "Navy Labs",
            "--source",
            "fair",
        )
    )
    opp = _json(
        cli(
            "--format",
            "json",
            "crm",
            "lead",
            "convert",
            str(lead["id"]),
            "--expected-revenue",
            "10000.00",
        )
    )
    assert _json(
        cli(
            "--format",
            "json",
            "crm",
            "opportunity",
            "add",
            "Upsell",
            "--customer",
            "C00001",
            "--stage",
            "proposal",
            "--expected-revenue",
            "2000",
        )
    )
    _json(
        cli("--format", "json", "crm", "activity", "add", "call", "Intro call", "--party", "C00001")
    )
    pipeline = _json(cli("--format", "json", "crm", "pipeline"))
    history = _json(cli("--format", "json", "crm", "activity", "history", "--party", "C00001"))

    assert opp["customer"] == "C00001"
    assert pipeline == [
        {
            "stage": "qualified",
            "owner": "admin",
            "currency": "EUR",
            "count": 1,
            "expected": "10000.00",
            "weighted": "2500.00",
        },
        {
            "stage": "proposal",
            "owner": "admin",
            "currency": "EUR",
            "count": 1,
            "expected": "2000.00",
            "weighted": "1000.00",
        },
    ]
    assert [h["subject"] for h in history] == ["Intro call"]
