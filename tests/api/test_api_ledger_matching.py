"""Receivables, payables and bank over the API."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.api.conftest import Headers

YEAR = date.today().year
API, REPORTS = "/api/v1/ledger", "/api/v1/reports"


def test_reconciliation_bank_matching_and_reports_over_the_api(
    client: TestClient, auth: Headers
) -> None:
    h = auth()
    company = client.post(f"{API}/companies", json={"name": "Acme", "currency": "EUR"}, headers=h)
    assert company.status_code == 201, company.text
    sale = {
        "journal": "SAL",
        "date": f"{YEAR}-01-15",
        "reference": "RE-7",
        "lines": [
            {"account": "1100", "amount": "119.00", "partner": "Globex"},
            {"account": "1100", "amount": "80.00", "partner": "Initech"},
            {"account": "4000", "amount": "-199.00"},
        ],
    }
    assert client.post(f"{API}/entries", json=sale, headers=h).status_code == 201
    items = client.get(f"{API}/open-items", params={"account": "1100"}, headers=h).json()
    globex, initech = (i["line_id"] for i in items)
    assert [i["residual"] for i in items] == ["119.00", "80.00"]

    written_off = client.post(
        f"{API}/reconciliations",
        json={"lines": [initech], "write_off_account": "6300", "write_off_date": f"{YEAR}-01-31"},
        headers=h,
    )
    assert written_off.status_code == 201, written_off.text
    assert written_off.json()["left_open"] == "0.00"
    undone = client.delete(f"{API}/reconciliations/{written_off.json()['id']}", headers=h)
    assert undone.status_code == 200
    assert undone.json()["parts"] == [[initech, "80.00"], [initech + 2, "-80.00"]]

    statement = {"account": "1010", "csv": f"date,amount,reference\n{YEAR}-02-01,119.00,RE-7\n"}
    imported = client.post(f"{API}/bank/statements", json=statement, headers=h)
    assert imported.status_code == 201, imported.text
    matched = client.post(f"{API}/bank/match", json={"account": "1010"}, headers=h).json()
    assert [m["item"]["line_id"] for m in matched["matched"]] == [globex]
    asserted = client.post(
        f"{API}/balance-assertions",
        json={"account": "1010", "amount": "119.00", "date": f"{YEAR}-02-28"},
        headers=h,
    )
    assert asserted.status_code == 201, asserted.text
    assert asserted.json()["holds"] is True

    aging = client.get(f"{REPORTS}/aging", params={"as_of": f"{YEAR}-02-28"}, headers=h).json()
    # The write-off was undone: its line (31 January) is open beside the invoice (15 January).
    found = [(r["partner"], r["days_1_30"], r["days_31_60"], r["total"]) for r in aging["rows"]]
    assert found == [("Initech", "-80.00", "80.00", "0.00")]
    assert aging["totals"][0]["partner"] is None
    ledger = client.get(
        f"{REPORTS}/partner-ledger",
        params={"partner": "Globex", "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"},
        headers=h,
    ).json()
    assert [(r["amount"], r["balance"]) for r in ledger["rows"]] == [
        ("119.00", "119.00"),
        ("-119.00", "0.00"),
    ]
