"""The inventory over HTTP: the acceptance example, problem details with stable codes,
and the permissions (warehouse and admin write stock; sales reads availability)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import ADMIN, PASSWORD, Headers, auth, client  # noqa: F401

API = "/api/v1"


def _user(client: TestClient, admin: dict[str, str], name: str, role: str) -> None:  # noqa: F811
    made = client.post(
        f"{API}/users",
        headers=admin,
        json={"username": name, "roles": [role], "password": "Role-Pass-12345"},
    )
    assert made.status_code == 201, made.text


def test_receipts_an_issue_and_the_valuation_over_the_api(
    client: TestClient,  # noqa: F811
    auth: Headers,  # noqa: F811
) -> None:
    h = auth(ADMIN, PASSWORD)
    assert (
        client.post(
            f"{API}/ledger/companies", json={"name": "Acme", "currency": "EUR"}, headers=h
        ).status_code
        == 201
    )
    category = client.post(
        f"{API}/inventory/categories",
        headers=h,
        json={"code": "AVG", "name": "Average", "valuation": "average", "cost_percent": "70"},
    )
    assert category.status_code == 201, category.text
    added = client.post(
        f"{API}/inventory/products",
        headers=h,
        json={"sku": "W1", "name": "Widget", "price": "10", "category_code": "AVG"},
    )
    assert added.status_code == 201, added.text
    assert (added.json()["cost"], added.json()["cost_rule"]) == (
        "7.00",
        "70% of the price, the default of category AVG",
    )
    for cost in ("5.00", "7.00"):
        moved = client.post(
            f"{API}/inventory/moves",
            headers=h,
            json={"kind": "receipt", "product": "W1", "quantity": "10", "unit_cost": cost},
        )
        assert moved.status_code == 201, moved.text

    issued = client.post(
        f"{API}/inventory/moves",
        headers=h,
        json={"kind": "issue", "product": "W1", "quantity": "15"},
    )
    too_many = client.post(
        f"{API}/inventory/moves",
        headers=h,
        json={"kind": "issue", "product": "W1", "quantity": "6"},
    )

    assert issued.json()["value"] == "90.00"
    assert too_many.status_code == 422
    assert too_many.json()["code"] == "inventory.insufficient_stock"
    valuation = client.get(f"{API}/inventory/valuation", headers=h).json()
    assert valuation["accounts"] == [
        {"account": "1200", "stock_value": "30.00", "ledger_balance": "30.00"}
    ]
    status = client.get(f"{API}/reports/inventory-status", headers=h).json()
    assert [(r["sku"], r["on_hand"], r["status"]) for r in status] == [("W1", "5", "in stock")]


def test_sales_reads_availability_but_only_warehouse_and_admin_move_stock(
    client: TestClient,  # noqa: F811
    auth: Headers,  # noqa: F811
) -> None:
    admin = auth(ADMIN, PASSWORD)
    client.post(f"{API}/ledger/companies", json={"name": "Acme", "currency": "EUR"}, headers=admin)
    client.post(
        f"{API}/inventory/products",
        headers=admin,
        json={"sku": "W1", "name": "W", "price": "2", "quantity": "3"},
    )
    _user(client, admin, "sam", "sales")
    _user(client, admin, "wes", "warehouse")
    sales, warehouse = auth("sam", "Role-Pass-12345"), auth("wes", "Role-Pass-12345")
    receipt = {"kind": "receipt", "product": "W1", "quantity": "1", "unit_cost": "1"}

    seen = client.get(f"{API}/inventory/on-hand", headers=sales)
    refused = client.post(f"{API}/inventory/moves", headers=sales, json=receipt)
    done = client.post(f"{API}/inventory/moves", headers=warehouse, json=receipt)

    assert [(r["sku"], r["available"]) for r in seen.json()] == [("W1", "3")]
    assert (refused.status_code, refused.json()["code"]) == (403, "identity.permission_denied")
    assert done.status_code == 201, done.text


def test_a_batch_of_moves_over_the_api_is_all_or_nothing(
    client: TestClient,  # noqa: F811
    auth: Headers,  # noqa: F811
) -> None:
    h = auth(ADMIN, PASSWORD)
    client.post(f"{API}/ledger/companies", json={"name": "Acme", "currency": "EUR"}, headers=h)
    client.post(
        f"{API}/inventory/products",
        headers=h,
        json={"sku": "W1", "name": "Widget", "price": "10", "cost": "5"},
    )
    receipts = [
        {"kind": "receipt", "product": "W1", "quantity": "10", "unit_cost": cost}
        for cost in ("5.00", "7.00")
    ]
    issue = {"kind": "issue", "product": "W1", "quantity": "15"}

    refused = client.post(
        f"{API}/inventory/moves/batch", headers=h, json={"moves": [*receipts, issue, issue]}
    )
    done = client.post(
        f"{API}/inventory/moves/batch", headers=h, json={"moves": [*receipts, issue]}
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "inventory.insufficient_stock"
    assert refused.json()["detail"].startswith("move 4 (W1): insufficient stock")
    assert done.status_code == 201, done.text
    assert [m["value"] for m in done.json()] == ["50.00", "70.00", "85.00"]
    listed = client.get(f"{API}/inventory/moves", headers=h).json()
    assert len(listed) == 3
