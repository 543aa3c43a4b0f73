"""``hansa inventory abc``, ``count-sheet``, ``reorder`` and ``purchase-unit`` through
the real executable."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli, cli, cli_env, initialised  # noqa: F401  (fixtures)


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_abc_then_a_count_sheet_filled_from_a_csv_file(
    initialised: Cli,  # noqa: F811
    tmp_path: Path,
) -> None:
    run = initialised
    _ok(run("ledger", "company", "add", "Acme", "--currency", "EUR"))
    for sku, cost in (("PEN", "1.00"), ("INK", "4.00"), ("CLIP", "0.10")):
        _ok(run("inventory", "add", sku, "--sku", sku, "--price", "9", "--cost", cost))
        _ok(run("inventory", "receive", sku, "50", "--cost", cost, "--date", "2026-09-01"))
    _ok(run("inventory", "issue", "INK", "20", "--date", "2026-10-01"))  # 80.00
    _ok(run("inventory", "issue", "PEN", "15", "--date", "2026-10-02"))  # 15.00
    _ok(run("inventory", "issue", "CLIP", "50", "--date", "2026-10-03"))  # 5.00
    period = ("--from", "2026-01-01", "--to", "2026-10-31")

    preview = _json(run("-f", "json", "inventory", "abc", *period, "--dry-run"))
    stored = run("inventory", "abc", *period, "--thresholds", "80,15,5")

    assert [(r["sku"], r["consumption_value"], r["class"]) for r in preview] == [
        ("INK", "80.00", "A"),
        ("PEN", "15.00", "B"),
        ("CLIP", "5.00", "C"),
    ]
    assert "Classes stored: A 1, B 1, C 1; consumption value 100.00." in _ok(stored)
    bad = run("inventory", "abc", "--thresholds", "80,20,5")
    assert bad.returncode == 8
    assert "error [inventory.bad_thresholds]" in bad.stderr

    sheet = _json(run("-f", "json", "inventory", "count-sheet", "create", "--date", "2026-10-31"))
    assert [(ln["sku"], ln["class"], ln["expected"]) for ln in sheet["lines"]] == [
        ("INK", "A", "30"),
        ("PEN", "B", "35"),
    ]  # CLIP has no stock left: no line
    blank = _ok(run("-f", "csv", "inventory", "count-sheet", "show", str(sheet["id"])))
    rows = list(csv.DictReader(io.StringIO(blank)))
    rows[0]["counted"], rows[1]["counted"] = "29", "35"
    filled = tmp_path / "counts.csv"
    with filled.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    entered = _ok(run("inventory", "count-sheet", "enter", str(sheet["id"]), "--file", str(filled)))
    posted = _json(run("-f", "json", "inventory", "count-sheet", "post", str(sheet["id"])))

    assert f"Count sheet {sheet['id']}: 2 of 2 lines counted." in entered
    assert [(ln["variance"], ln["move"] is not None) for ln in posted["lines"]] == [
        ("-1", True),
        ("0", False),
    ]
    stored_classes = _json(run("-f", "json", "inventory", "classes"))
    assert [(c["sku"], c["abc_class"], c["last_counted"]) for c in stored_classes] == [
        ("CLIP", "C", None),
        ("INK", "A", "2026-10-31"),
        ("PEN", "B", "2026-10-31"),
    ]
    listed = _json(run("-f", "json", "inventory", "count-sheet", "list", "--state", "posted"))
    assert [(s["id"], s["state"], s["counted"]) for s in listed] == [(sheet["id"], "posted", 2)]
    again = run(
        "inventory", "count-sheet", "enter", str(sheet["id"]), "--line", "1", "--counted", "3"
    )
    assert again.returncode == 5
    assert "error [inventory.count_sheet_closed]" in again.stderr
    assert run("check").returncode == 0


@pytest.mark.parametrize("backend", ["sqlite"])
def test_reorder_in_boxes_per_warehouse(initialised: Cli) -> None:  # noqa: F811
    run = initialised
    _ok(run("ledger", "company", "add", "Acme", "--currency", "EUR"))
    _ok(
        run(
            "inventory", "add", "Pen", "--sku", "PEN", "--price", "2", "--cost", "1",
            "--reorder-min", "20", "--reorder-max", "50", "--lead-time", "3",
        )
    )  # fmt: skip
    _ok(run("inventory", "unit", "PEN", "box", "12"))
    _ok(run("inventory", "purchase-unit", "PEN", "box"))
    _ok(run("inventory", "warehouse", "add", "EAST", "East"))
    _ok(run("inventory", "receive", "PEN", "30"))
    _ok(run("inventory", "receive", "PEN", "5", "--to", "EAST/STOCK"))

    everywhere = _json(run("-f", "json", "inventory", "reorder"))
    east = _json(run("-f", "json", "inventory", "reorder", "--warehouse", "EAST"))
    unknown = run("inventory", "purchase-unit", "PEN", "pallet")

    assert everywhere == []
    assert [(r["warehouse"], r["projected"], r["quantity"], r["packs"]) for r in east] == [
        ("EAST", "5", "48", "4")
    ]
    assert unknown.returncode == 8
    assert "error [inventory.unknown_unit]" in unknown.stderr
