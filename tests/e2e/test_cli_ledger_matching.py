"""Receivables and bank through the real ``hansa`` executable: a sale on credit, a
German bank export imported with a column mapping, the payment matched automatically,
a balance asserted and checked, aging and the partner ledger."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.e2e.conftest import Cli

YEAR = date.today().year  # the company opens the current fiscal year


def _ok(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_bank_statement_pays_an_invoice_and_the_books_are_checked(
    initialised: Cli, tmp_path: Path
) -> None:
    cli = initialised
    _ok(cli, "ledger", "company", "add", "Acme GmbH", "--currency", "EUR", "--code", "ACME")
    sale = ["ledger", "entry", "add", "-j", "SAL", "-d", f"{YEAR}-01-15", "--reference", "RE-1"]
    sale += ["--line", f"1100 119.00 EUR partner=Globex due={YEAR}-02-14"]
    sale += ["--line", "1100 50.00 EUR partner=Initech", "--line", "4000 -169.00"]
    _ok(cli, *sale)
    statement = tmp_path / "umsaetze.csv"
    statement.write_text(
        f"Buchungstag;Betrag;Verwendungszweck;Referenz\n03.02.{YEAR};119,00;Globex Zahlung;RE-1\n",
        encoding="cp1252",
    )
    bank = ["ledger", "bank", "import", str(statement), "--account", "1010", "--decimal-comma"]
    mapping = "date=Buchungstag,amount=Betrag,description=Verwendungszweck,reference=Referenz"
    bank += ["--map", mapping, "--date-format", "%d.%m.%Y"]

    assert "1 lines imported into 1010, total 119.00" in _ok(cli, *bank)
    again = cli(*bank)
    assert again.returncode == 4
    assert "[ledger.duplicate_statement]" in again.stderr

    matched = json.loads(_ok(cli, "--format", "json", "ledger", "bank", "match", "-a", "1010"))
    assert [(m["amount"], m["partner"]) for m in matched["matched"]] == [("119.00", "Globex")]
    assert matched["unmatched"] == 0
    still_open = json.loads(_ok(cli, "--format", "json", "ledger", "open-items", "-a", "1100"))
    assert [(i["partner"], i["open"]) for i in still_open] == [("Initech", "50.00")]

    off = cli("ledger", "balance-assert", "1100", "-10.00", "--date", f"{YEAR}-02-28")
    assert off.returncode == 0, off.stderr
    assert "off by 60.00" in off.stderr
    check = cli("check", "--only", "ledger.balance_assertions_hold")
    assert check.returncode == 1
    assert "asserted to hold -10.00 EUR" in check.stdout + check.stderr

    aging = json.loads(_ok(cli, "--format", "json", "report", "aging", "--as-of", f"{YEAR}-03-31"))
    assert aging == [  # no due date: 75 days (76 in a leap year) past 15 January
        {
            "partner": "Initech",
            "commodity": "EUR",
            "current": "0.00",
            "1-30": "0.00",
            "31-60": "0.00",
            "61-90": "50.00",
            "over_90": "0.00",
            "total": "50.00",
        },
        {
            "partner": "Total",
            "commodity": "EUR",
            "current": "0.00",
            "1-30": "0.00",
            "31-60": "0.00",
            "61-90": "50.00",
            "over_90": "0.00",
            "total": "50.00",
        },
    ]
    ledger_rows = json.loads(
        _ok(
            cli,
            "--format",
            "json",
            "report",
            "partner-ledger",
            "Globex",
            "--from",
            f"{YEAR}-01-01",
            "--to",
            f"{YEAR}-12-31",
        )
    )
    assert [(r["amount"], r["balance"], r["open"]) for r in ledger_rows] == [
        ("119.00", "119.00", "0.00"),
        ("-119.00", "0.00", "0.00"),
    ]


def test_a_usd_payment_realises_its_exchange_gain_and_a_bank_match_is_undone(
    initialised: Cli, tmp_path: Path
) -> None:
    cli = initialised
    _ok(cli, "ledger", "company", "add", "Acme GmbH", "--currency", "EUR", "--code", "ACME")
    invoice = ["ledger", "entry", "add", "-j", "SAL", "-d", f"{YEAR}-01-15"]
    _ok(cli, *invoice, "-l", "1100 1000 USD @ 900.00 EUR partner=Globex", "-l", "4000 -900")
    payment = ["ledger", "entry", "add", "-j", "BNK", "-d", f"{YEAR}-02-10"]
    _ok(cli, *payment, "-l", "1100 -1000 USD @ -950.00 EUR partner=Globex", "-l", "1010 950")
    items = json.loads(_ok(cli, "--format", "json", "ledger", "open-items", "-a", "1100"))

    rec = json.loads(
        _ok(cli, "--format", "json", "ledger", "reconcile", *(str(i["line"]) for i in items))
    )

    assert (rec["full"], rec["exchange_difference"]) == (True, "50.00")
    trial = json.loads(_ok(cli, "report", "trial-balance", "--format", "json"))
    assert {"account": "7900", "commodity": "EUR", "balance": "-50.00"} in trial
    assert "ok" in _ok(cli, "check", "--only", "ledger.reconciliations_net_zero").lower()
    sheet = json.loads(_ok(cli, "--format", "json", "report", "balance-sheet", "--in-base"))
    assert [(r["account"], r["name"], r["commodity"], r["balance"]) for r in sheet] == [
        ("1010", "Bank", "EUR", "950.00"),  # the payment; 1100 nets to zero in EUR too
        ("", "Result not yet closed", "EUR", "-950.00"),  # sales 900.00 + gain 50.00
        ("", "Total asset", "EUR", "950.00"),
        ("", "Total equity", "EUR", "-950.00"),
    ]

    statement = tmp_path / "feb.csv"
    statement.write_text(f"date,amount,description\n{YEAR}-02-12,-12.50,Charges\n")
    _ok(cli, "ledger", "bank", "import", str(statement), "--account", "1010")
    charge = ["ledger", "entry", "add", "-j", "BNK", "-d", f"{YEAR}-02-12"]
    _ok(cli, *charge, "-l", "6400 12.50", "-l", "1010 -12.50")
    (matched,) = json.loads(_ok(cli, "--format", "json", "ledger", "bank", "match", "-a", "1010"))[
        "matched"
    ]

    undone = _ok(cli, "ledger", "bank", "unmatch", str(matched["statement_line"]))

    assert f"Statement line {matched['statement_line']} unmatched" in undone
    lines = json.loads(_ok(cli, "--format", "json", "ledger", "bank", "lines", "-a", "1010"))
    assert [ln["status"] for ln in lines] == ["unmatched"]
    again = cli("ledger", "bank", "unmatch", str(matched["statement_line"]))
    assert again.returncode != 0
    assert "error [ledger.bank_line_not_matched]" in again.stderr
