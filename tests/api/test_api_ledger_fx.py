"""Exchange rates, revaluation and the year-end close over the API."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.api.conftest import Headers

YEAR = date.today().year
API = "/api/v1/ledger"


def test_rates_revaluation_and_year_close_over_the_api(client: TestClient, auth: Headers) -> None:
    h = auth()
    company = client.post(f"{API}/companies", json={"name": "Acme", "currency": "EUR"}, headers=h)
    assert company.status_code == 201, company.text
    rate = {"currency": "USD", "date": f"{YEAR}-01-01", "rate": "0.92"}
    assert client.post(f"{API}/fx/rates", json=rate, headers=h).json() == {
        "currency": "USD",
        "day": f"{YEAR}-01-01",
        "rate": "0.92",
    }
    bad = client.post(
        f"{API}/fx/rates/import", json={"csv": "date,currency,rate\nxx,USD,1\n"}, headers=h
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "ledger.import_rejected"
    good = client.post(
        f"{API}/fx/rates/import",
        json={"csv": f"date,currency,rate\n{YEAR}-01-31,USD,0.95\n"},
        headers=h,
    )
    assert good.json()["count"] == 1
    entry = {
        "date": f"{YEAR}-01-02",
        "lines": [
            {"account": "1010", "amount": "1000.00", "commodity": "USD"},
            {"account": "3000", "amount": "-920.00"},
        ],
    }
    assert client.post(f"{API}/entries", json=entry, headers=h).status_code == 201
    converted = client.get(
        f"{API}/fx/convert",
        params={"amount": "10.25", "currency": "USD", "day": f"{YEAR}-01-31"},
        headers=h,
    )
    assert converted.json()["value"] == "9.74"  # 9.7375

    revalued = client.post(f"{API}/revaluations", json={"date": f"{YEAR}-01-31"}, headers=h)

    assert revalued.status_code == 200, revalued.text
    body = revalued.json()
    assert (body["total"], body["rows"][0]["difference"]) == ("30.00", "30.00")
    assert body["entry"]["lines"][0]["weight"] == "30.00"
    closed = client.post(f"{API}/years/{YEAR}/close", headers=h)
    assert closed.status_code == 200, closed.text
    assert closed.json()["result"] == {"EUR": "-30.00"}
    assert closed.json()["year"]["state"] == "closed"
