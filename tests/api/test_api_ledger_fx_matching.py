"""A realised exchange difference and a bank un-match over the API."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.api.conftest import ADMIN, PASSWORD, Headers

YEAR = date.today().year
API = "/api/v1/ledger"


def _usd(client: TestClient, h: dict[str, str], day: str, usd: str, eur: str, other: str) -> None:
    entry = {
        "date": f"{YEAR}-{day}",
        "lines": [
            {
                "account": "1100",
                "amount": usd,
                "commodity": "USD",
                "weight": eur,
                "weight_currency": "EUR",
                "partner": "Globex",
            },
            {"account": other, "amount": eur[1:] if eur.startswith("-") else f"-{eur}"},
        ],
    }
    posted = client.post(f"{API}/entries", json=entry, headers=h)
    assert posted.status_code == 201, posted.text


def test_reconciling_usd_at_two_rates_posts_the_realised_difference(
    client: TestClient, auth: Headers
) -> None:
    h = auth(ADMIN, PASSWORD)
    client.post(f"{API}/companies", json={"name": "Acme", "currency": "EUR"}, headers=h)
    _usd(client, h, "01-15", "1000", "900.00", "4000")
    _usd(client, h, "02-10", "-1000", "-950.00", "1010")
    items = client.get(f"{API}/open-items", params={"account": "1100"}, headers=h).json()
    lines = [i["line_id"] for i in items]

    rec = client.post(
        f"{API}/reconciliations",
        json={"lines": lines, "exchange_account": "7900"},
        headers=h,
    )

    assert rec.status_code == 201, rec.text
    assert rec.json()["exchange_difference"] == "50.00"
    gain = client.get(f"{API}/entries/{rec.json()['exchange_entry_id']}", headers=h).json()
    assert [(ln["account_code"], ln["weight"]) for ln in gain["lines"]] == [
        ("1100", "50.00"),
        ("7900", "-50.00"),
    ]
    sheet = client.get(
        "/api/v1/reports/balance-sheet",
        params={"as_of": f"{YEAR}-12-31", "in_base": "true"},
        headers=h,
    ).json()
    assert [(r["account"], r["commodity"], r["balance"]) for r in sheet["rows"]] == [
        ("1010", "EUR", "950.00"),
        ("", "EUR", "-950.00"),
    ]
    assert sheet["totals"] == {"asset": {"EUR": "950.00"}, "equity": {"EUR": "-950.00"}}
    income = client.get(
        "/api/v1/reports/income-statement",
        params={"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31", "in_base": "true"},
        headers=h,
    ).json()
    assert [(r["account"], r["balance"]) for r in income["rows"]] == [
        ("4000", "-900.00"),
        ("7900", "-50.00"),
    ]


def test_a_bank_line_is_unmatched_over_the_api(client: TestClient, auth: Headers) -> None:
    h = auth(ADMIN, PASSWORD)
    client.post(f"{API}/companies", json={"name": "Acme", "currency": "EUR"}, headers=h)
    sale = {
        "journal": "SAL",
        "date": f"{YEAR}-01-15",
        "reference": "RE-7",
        "lines": [
            {"account": "1100", "amount": "119.00", "partner": "Globex"},
            {"account": "4000", "amount": "-119.00"},
        ],
    }
    assert client.post(f"{API}/entries", json=sale, headers=h).status_code == 201
    statement = {"account": "1010", "csv": f"date,amount,reference\n{YEAR}-02-01,119.00,RE-7\n"}
    client.post(f"{API}/bank/statements", json=statement, headers=h)
    (match,) = client.post(f"{API}/bank/match", json={"account": "1010"}, headers=h).json()[
        "matched"
    ]
    line_id = match["statement_line"]["id"]

    undone = client.post(f"{API}/bank/lines/{line_id}/unmatch", json={}, headers=h)

    assert undone.status_code == 200, undone.text
    assert undone.json()["entry_id"] == match["entry_id"]
    lines = client.get(f"{API}/bank/lines", params={"account": "1010"}, headers=h).json()
    assert [ln["status"] for ln in lines] == ["unmatched"]
    again = client.post(f"{API}/bank/lines/{line_id}/unmatch", json={}, headers=h)
    assert again.json()["code"] == "ledger.bank_line_not_matched"
