"""``hansa inventory`` and ``hansa reports inventory-status`` through the real
executable, with the names and options of CLI-SURFACE."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli, cli, cli_env, initialised  # noqa: F401  (fixtures)


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# The executable starts in seconds; the services under it run on both engines elsewhere.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_products_from_the_command_line(initialised: Cli) -> None:  # noqa: F811
    run = initialised
    assert run("ledger", "company", "add", "Acme", "--currency", "EUR").returncode == 0

    cheap = run("inventory", "add", "Pen", "--sku", "PEN", "--price", "2.00", "--quantity", "40")
    assert cheap.returncode == 0, cheap.stderr
    assert "Cost 1.40: 70% of the price, the default of category GENERAL." in cheap.stdout
    made = run(
        "inventory",
        "add",
        "Desk",
        "--sku",
        "DESK",
        "--price",
        "300",
        "--cost",
        "180",
        "--description",
        "Oak desk",
    )
    assert made.returncode == 0, made.stderr

    listed = _json(run("-f", "json", "inventory", "list", "--sort-by", "price", "--order", "desc"))
    assert [
        (r["sku"], r["price"], r["cost"], r["quantity"], r["status"], r["margin_percent"])
        for r in listed
    ] == [
        ("DESK", "300.00", "180.00", "0", "out of stock", "40.0"),
        ("PEN", "2.00", "1.40", "40", "in stock", "30.0"),
    ]
    page2 = _json(run("-f", "json", "inventory", "list", "--page", "2", "--limit", "1"))
    assert [r["sku"] for r in page2] == ["PEN"]
    assert [r["sku"] for r in _json(run("-f", "json", "inventory", "list", "--search", "oak"))] == [
        "DESK"
    ]

    counted = run("inventory", "update", "PEN", "--quantity", "35", "--price", "2.50")
    assert counted.returncode == 0, counted.stderr
    low = _json(run("-f", "json", "inventory", "low-stock", "--threshold", "35"))
    assert [(r["sku"], r["quantity"]) for r in low] == [("DESK", "0"), ("PEN", "35")]
    status = _json(
        run("-f", "json", "reports", "inventory-status", "--low-stock-only", "--threshold", "10")
    )
    assert [r["sku"] for r in status] == ["DESK"]

    unconfirmed = run("inventory", "remove", "DESK")
    assert unconfirmed.returncode == 8
    assert "error [cli.confirmation_required]" in unconfirmed.stderr
    history = run("inventory", "remove", "PEN", "--force")
    assert history.returncode == 5
    assert "archive it instead" in history.stderr
    assert run("inventory", "remove", "DESK", "--force").returncode == 0
    valuation = _json(run("-f", "json", "inventory", "valuation"))
    assert valuation["accounts"] == [
        {"account": "1200", "stock_value": "49.00", "ledger_balance": "49.00", "ties": True}
    ]
    checks = run("check")
    assert checks.returncode == 0, checks.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_stock_moves_lots_and_expiry_from_the_command_line(initialised: Cli) -> None:  # noqa: F811
    run = initialised
    assert run("ledger", "company", "add", "Acme", "--currency", "EUR").returncode == 0
    assert (
        run(
            "inventory",
            "add",
            "Milk",
            "--sku",
            "MILK",
            "--price",
            "1.20",
            "--cost",
            "0.80",
            "--tracking",
            "lot",
            "--shelf-life",
            "10",
        ).returncode
        == 0
    )
    assert run("inventory", "location", "add", "WH/STOCK", "COLD").returncode == 0

    received = _json(
        run(
            "-f",
            "json",
            "inventory",
            "receive",
            "MILK",
            "24",
            "--cost",
            "0.80",
            "--lot",
            "L1",
            "--to",
            "WH/STOCK/COLD",
        )
    )
    assert (received["value"], received["to"]) == ("19.20", "WH/STOCK/COLD")
    moved = run(
        "inventory",
        "transfer",
        "MILK",
        "4",
        "--from",
        "WH/STOCK/COLD",
        "--to",
        "WH/STOCK",
        "--lot",
        "L1",
    )
    assert moved.returncode == 0, moved.stderr
    no_lot = run("inventory", "issue", "MILK", "2")
    assert no_lot.returncode == 5
    assert "first expired first out: L1 at WH/STOCK" in no_lot.stderr
    issued = _json(run("-f", "json", "inventory", "issue", "MILK", "2", "--lot", "L1"))
    assert issued["value"] == "1.60"

    on_hand = _json(run("-f", "json", "inventory", "on-hand", "MILK"))
    assert [(r["location"], r["on_hand"]) for r in on_hand] == [
        ("WH/STOCK", "2"),
        ("WH/STOCK/COLD", "20"),
    ]
    expiring = _json(run("-f", "json", "inventory", "expiring", "--within", "30d"))
    assert [(r["lot"], r["on_hand"]) for r in expiring] == [("L1", "22")]
    history = _json(run("-f", "json", "inventory", "move", "list", "--sku", "MILK"))
    assert [m["kind"] for m in history] == ["issue", "transfer", "receipt"]
    countered = run("inventory", "move", "counter", str(issued["id"]), "--reason", "returned")
    assert countered.returncode == 0, countered.stderr
    assert run("check").returncode == 0


@pytest.mark.parametrize("backend", ["sqlite"])
def test_moves_imported_from_a_csv_file_all_or_nothing(initialised: Cli, tmp_path: Path) -> None:  # noqa: F811
    run = initialised
    assert run("ledger", "company", "add", "Acme", "--currency", "EUR").returncode == 0
    added = run("inventory", "add", "Cheddar", "--sku", "CHED", "--price", "12", "--cost", "6")
    assert added.returncode == 0, added.stderr
    header = "sku,quantity,from,to,lot,unit_cost,kind\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "CHED,ten,,,,5,receipt\nCHED,2,,,,,sell\nCHED,1,,,,,issue\n")
    short = tmp_path / "short.csv"
    short.write_text(header + "CHED,5,,,,5.00,receipt\nCHED,9,,,,,issue\n")
    good = tmp_path / "good.csv"
    good.write_text(
        header + "CHED,10,,,,5.00,receipt\nCHED,10,,,,7.00,receipt\nCHED,15,,,,,issue\n"
    )

    rejected = run("inventory", "move", "import", str(bad))
    refused = run("inventory", "move", "import", str(short))
    done = _json(run("-f", "json", "inventory", "move", "import", str(good), "--chunk", "2"))

    assert rejected.returncode == 8
    assert "'ten' is not a number" in rejected.stdout
    assert "kind 'sell' is not one of" in rejected.stdout
    assert "2 bad rows in bad.csv: nothing was moved" in rejected.stderr
    assert refused.returncode == 5
    assert "short.csv line 3: move 2 (CHED): insufficient stock" in refused.stderr
    assert (done["moves"], done["ledger_entries"]) == (3, 2)
    history = _json(run("-f", "json", "inventory", "move", "list"))
    assert [m["value"] for m in history] == ["85.00", "70.00", "50.00"]
    assert run("check").returncode == 0
