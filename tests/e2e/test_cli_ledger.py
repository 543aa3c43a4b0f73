"""The ledger through the real CLI: a company, entries, reports as scripts read them."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import ADMIN, ADMIN_PASSWORD, Cli


@pytest.fixture
def books(cli: Cli) -> Cli:
    result = cli(
        "init",
        "--admin-user",
        ADMIN,
        "--admin-password",
        ADMIN_PASSWORD,
        "--company",
        "Acme Trading",
        "--currency",
        "EUR",
        "--chart",
        "minimal",
    )
    assert result.returncode == 0, result.stderr
    assert cli("login", HANSA_USER=ADMIN, HANSA_PASSWORD=ADMIN_PASSWORD).returncode == 0
    return cli


def test_entries_and_the_trial_balance_as_json(books: Cli) -> None:
    year = json.loads(books("ledger", "period", "list", "--format", "json").stdout)[0]["name"][:4]
    posted = books(
        "ledger",
        "entry",
        "add",
        "-j",
        "SAL",
        "-d",
        f"{year}-01-20",
        "-n",
        "Invoice",
        "-l",
        "1100 119.00 partner=Globex",
        "-l",
        "4000 -100",
        "-l",
        "2100 -19",
        "--format",
        "json",
    )
    assert posted.returncode == 0, posted.stderr
    entry = json.loads(posted.stdout)
    assert entry["number"] == f"SAL/{year}/000001"
    assert [line["amount"] for line in entry["lines"]] == ["119.00", "-100.00", "-19.00"]

    trial = json.loads(
        books("report", "trial-balance", "--as-of", f"{year}-12-31", "--format", "json").stdout
    )
    assert trial == [
        {"account": "1100", "commodity": "EUR", "balance": "119.00"},
        {"account": "2100", "commodity": "EUR", "balance": "-19.00"},
        {"account": "4000", "commodity": "EUR", "balance": "-100.00"},
    ]

    reversed_ = books("ledger", "entry", "reverse", str(entry["id"]), "-d", f"{year}-01-21")
    assert reversed_.returncode == 0, reversed_.stderr
    after = json.loads(
        books("report", "trial-balance", "--as-of", f"{year}-12-31", "--format", "json").stdout
    )
    assert after == []


def test_ledger_errors_are_one_line_with_codes(books: Cli) -> None:
    year = json.loads(books("ledger", "period", "list", "--format", "json").stdout)[0]["name"][:4]
    unbalanced = books(
        "ledger", "entry", "add", "-d", f"{year}-01-05", "-l", "1000 10", "-l", "4000 -9"
    )
    assert unbalanced.returncode == 5
    assert "ledger.unbalanced_entry" in unbalanced.stderr
    assert books("ledger", "period", "close", f"{year}-01").returncode == 0
    closed = books(
        "ledger", "entry", "add", "-d", f"{year}-01-05", "-l", "1000 10", "-l", "4000 -10"
    )
    assert closed.returncode == 5
    assert f"period {year}-01 is closed" in closed.stderr
    bad_line = books("ledger", "entry", "add", "-l", "1000 ten", "-l", "4000 -10")
    assert bad_line.returncode == 8
    assert "cli.bad_line" in bad_line.stderr
    for result in (unbalanced, closed, bad_line):
        assert len(result.stderr.strip().splitlines()) == 1


def test_reports_as_xlsx_need_a_file_and_hold_numbers(books: Cli, tmp_path: object) -> None:
    import zipfile
    from pathlib import Path

    year = json.loads(books("ledger", "period", "list", "--format", "json").stdout)[0]["name"][:4]
    books(
        "ledger", "entry", "add", "-d", f"{year}-02-01", "-l", "1000 250.50", "-l", "3000 -250.50"
    )
    refused = books("report", "trial-balance", "--format", "xlsx")
    assert refused.returncode == 8
    assert "cli.output_required" in refused.stderr
    target = Path(str(tmp_path)) / "tb.xlsx"
    made = books(
        "--output",
        str(target),
        "report",
        "trial-balance",
        "--as-of",
        f"{year}-12-31",
        "--format",
        "xlsx",
    )
    assert made.returncode == 0, made.stderr
    sheet = zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>250.5</v>" in sheet
    assert "<v>-250.5</v>" in sheet


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_tax_line_typed_with_tax_and_base_feeds_the_tax_report(books: Cli) -> None:
    year = json.loads(books("ledger", "period", "list", "--format", "json").stdout)[0]["name"][:4]
    added = books("ledger", "tax", "add", "VAT19", "VAT 19 %", "--rate", "19", "--account", "2100")
    assert added.returncode == 0, added.stderr
    posted = books(
        "ledger",
        "entry",
        "add",
        "-j",
        "SAL",
        "-d",
        f"{year}-01-20",
        "-l",
        "1100 119.00 partner=Globex",
        "-l",
        "4000 -100",
        "-l",
        "2100 -19 tax=VAT19 base=-100",
    )
    assert posted.returncode == 0, posted.stderr
    report = books(
        "report", "tax", "--from", f"{year}-01-01", "--to", f"{year}-01-31", "--format", "json"
    )
    assert report.returncode == 0, report.stderr
    assert [(r["code"], r["base"], r["tax"]) for r in json.loads(report.stdout)] == [
        ("VAT19", "-100.00", "-19.00")
    ]
