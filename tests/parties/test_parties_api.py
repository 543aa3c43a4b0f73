"""The parties and CRM routes over HTTP, with the same permissions as the services."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import ADMIN, PASSWORD, Headers


def _user(client: TestClient, auth: Headers, name: str, role: str) -> dict[str, str]:
    password = f"{role.capitalize()}-Pass-123"
    created = client.post(
        "/api/v1/users",
        headers=auth(ADMIN, PASSWORD),
        json={"username": name, "roles": [role], "password": password},
    )
    assert created.status_code == 201, created.text
    return auth(name, password)


def test_customers_add_search_update_and_delete(client: TestClient, auth: Headers) -> None:
    admin = auth(ADMIN, PASSWORD)
    added = client.post(
        "/api/v1/customers",
        headers=admin,
        json={
            "first_name": "Zoë",
            "last_name": "Müller",
            "email": "zoe@example.com",
            "credit_limit": "2500.50",
        },
    )
    assert added.status_code == 201, added.text
    assert added.json()["code"] == "C00001"
    assert added.json()["credit_limit"] == "2500.50"

    found = client.get("/api/v1/customers/search", headers=admin, params={"q": "zoe mul"})
    by_email = client.get(
        "/api/v1/customers/search", headers=admin, params={"q": "ZOE@example.com"}
    )
    page = client.get("/api/v1/customers", headers=admin, params={"limit": 10})
    patched = client.patch(
        "/api/v1/parties/C00001", headers=admin, json={"phone": "+49 30 1", "company": "Acme"}
    )
    anywhere = client.get("/api/v1/parties/search", headers=admin, params={"q": "C00001"})
    deleted = client.delete("/api/v1/parties/C00001", headers=admin)

    assert [p["code"] for p in found.json()] == ["C00001"]
    assert [p["email"] for p in by_email.json()] == ["zoe@example.com"]
    assert page.json()["total"] == 1
    assert patched.json()["phone"] == "+49 30 1"
    assert patched.json()["organisation"] == "Acme"
    assert [p["name"] for p in anywhere.json()] == ["Zoë Müller"]
    assert deleted.json() == {"outcome": "deleted"}
    missing = client.get("/api/v1/parties/C00001", headers=admin)
    assert missing.status_code == 404
    assert missing.json()["code"] == "parties.party_not_found"


def test_viewer_reads_but_may_not_write_and_sales_may_not_add_vendors(
    client: TestClient, auth: Headers
) -> None:
    viewer = _user(client, auth, "vera", "viewer")
    sales = _user(client, auth, "sam", "sales")
    assert client.post("/api/v1/customers", headers=sales, json={"name": "Acme"}).status_code == 201

    assert client.get("/api/v1/customers", headers=viewer).status_code == 200
    assert client.post("/api/v1/customers", headers=viewer, json={"name": "X"}).status_code == 403
    assert client.patch("/api/v1/parties/1", headers=viewer, json={"name": "X"}).status_code == 403
    assert client.post("/api/v1/vendors", headers=sales, json={"name": "Steel"}).status_code == 403
    assert client.post("/api/v1/parties/1/gdpr-erase", headers=sales).status_code == 403
    assert client.post("/api/v1/crm/leads", headers=viewer, json={"name": "L"}).status_code == 403


def test_lead_conversion_and_pipeline(client: TestClient, auth: Headers) -> None:
    sales = _user(client, auth, "sam", "sales")
    lead = client.post("/api/v1/crm/leads", headers=sales, json={"name": "Grace", "source": "web"})
    converted = client.post(
        f"/api/v1/crm/leads/{lead.json()['id']}/convert",
        headers=sales,
        json={"expected_revenue": "4000", "currency": "EUR"},
    )
    pipeline = client.get("/api/v1/crm/pipeline", headers=sales)

    assert converted.status_code == 200, converted.text
    assert converted.json()["lead"]["status"] == "converted"
    assert pipeline.json() == [
        {
            "stage": "qualified",
            "owner": "sam",
            "currency": "EUR",
            "count": 1,
            "expected": "4000.00",
            "weighted": "1000.00",
        }
    ]
