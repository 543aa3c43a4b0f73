"""The ledger over HTTP: amounts are decimal strings, errors are problems."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import ADMIN, PASSWORD, Headers


def test_posting_and_reading_an_entry_keeps_amounts_exact(
    client: TestClient, auth: Headers
) -> None:
    headers = auth(ADMIN, PASSWORD)
    company = client.post(
        "/api/v1/ledger/companies",
        headers=headers,
        json={"name": "Acme", "currency": "EUR", "chart": "minimal"},
    )
    assert company.status_code == 201, company.text
    year = client.get("/api/v1/ledger/periods", headers=headers).json()[0]["name"][:4]
    body = {
        "journal": "SAL",
        "date": f"{year}-03-01",
        "narration": "Invoice",
        "lines": [
            {"account": "1100", "amount": "0.10", "partner": "Globex"},
            {"account": "4000", "amount": "-0.10"},
        ],
    }
    posted = client.post("/api/v1/ledger/entries", headers=headers, json=body)
    assert posted.status_code == 201, posted.text
    entry = posted.json()
    assert entry["number"] == f"SAL/{year}/000001"
    assert [line["amount"] for line in entry["lines"]] == ["0.10", "-0.10"]
    trial = client.get(
        "/api/v1/reports/trial-balance", headers=headers, params={"as_of": f"{year}-12-31"}
    ).json()
    assert trial == [
        {"account": "1100", "commodity": "EUR", "balance": "0.10"},
        {"account": "4000", "commodity": "EUR", "balance": "-0.10"},
    ]
    sheet = client.get(
        "/api/v1/reports/balance-sheet", headers=headers, params={"as_of": f"{year}-12-31"}
    ).json()
    assert {r["account"]: r["balance"] for r in sheet["rows"]}["1100"] == "0.10"


def test_an_unbalanced_entry_is_a_422_problem(client: TestClient, auth: Headers) -> None:
    headers = auth(ADMIN, PASSWORD)
    client.post(
        "/api/v1/ledger/companies",
        headers=headers,
        json={"name": "Acme", "currency": "EUR", "chart": "minimal"},
    )
    year = client.get("/api/v1/ledger/periods", headers=headers).json()[0]["name"][:4]
    response = client.post(
        "/api/v1/ledger/entries",
        headers=headers,
        json={
            "date": f"{year}-03-01",
            "lines": [{"account": "1000", "amount": "1"}, {"account": "4000", "amount": "-2"}],
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "ledger.unbalanced_entry"


def test_a_tax_line_posted_over_http_carries_its_code_and_base_into_the_tax_report(
    client: TestClient, auth: Headers
) -> None:
    headers = auth(ADMIN, PASSWORD)
    client.post(
        "/api/v1/ledger/companies",
        headers=headers,
        json={"name": "Acme", "currency": "EUR", "chart": "standard"},
    )
    year = client.get("/api/v1/ledger/periods", headers=headers).json()[0]["name"][:4]
    added = client.post(
        "/api/v1/ledger/taxes",
        headers=headers,
        json={"code": "VAT19", "name": "VAT 19 %", "rate": "19", "account": "2100"},
    )
    assert added.status_code == 201, added.text
    body = {
        "journal": "SAL",
        "date": f"{year}-03-01",
        "narration": "Invoice 100 + VAT",
        "lines": [
            {"account": "1100", "amount": "119.00", "partner": "Globex"},
            {"account": "4000", "amount": "-100.00"},
            {"account": "2100", "amount": "-19.00", "tax_code": "VAT19", "tax_base": "-100.00"},
        ],
    }
    posted = client.post("/api/v1/ledger/entries", headers=headers, json=body)
    assert posted.status_code == 201, posted.text
    tax_line = posted.json()["lines"][2]
    assert (tax_line["tax_code"], tax_line["tax_base"]) == ("VAT19", "-100.00")
    report = client.get(
        "/api/v1/reports/tax",
        headers=headers,
        params={"from": f"{year}-03-01", "to": f"{year}-03-31"},
    ).json()
    assert [(r["code"], r["base"], r["tax"]) for r in report] == [("VAT19", "-100.00", "-19.00")]
