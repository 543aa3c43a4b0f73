"""ABC analysis, count sheets and reorder over HTTP, with the inventory permissions
(warehouse and admin write; sales and viewers read)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import ADMIN, PASSWORD, Headers, auth, client  # noqa: F401
from tests.inventory.test_inventory_api import _user

API = "/api/v1"
INV = f"{API}/inventory"


def _stock(client: TestClient, h: dict[str, str]) -> None:  # noqa: F811
    client.post(f"{API}/ledger/companies", json={"name": "Acme", "currency": "EUR"}, headers=h)
    for sku, cost in (("A1", "8"), ("B1", "1")):
        made = client.post(
            f"{INV}/products",
            headers=h,
            json={"sku": sku, "name": sku, "price": "20", "cost": cost, "quantity": "10"},
        )
        assert made.status_code == 201, made.text
    for sku in ("A1", "B1"):
        moved = client.post(
            f"{INV}/moves",
            headers=h,
            json={"kind": "issue", "product": sku, "quantity": "5", "date": "2026-10-01"},
        )
        assert moved.status_code == 201, moved.text


def test_abc_and_a_count_sheet_over_the_api(client: TestClient, auth: Headers) -> None:  # noqa: F811
    h = auth(ADMIN, PASSWORD)
    _stock(client, h)
    period = {"start": "2026-01-01", "end": "2026-10-31"}

    preview = client.get(f"{INV}/abc", headers=h, params=period).json()
    stored = client.post(f"{INV}/abc", headers=h, json={**period, "thresholds": "90,5,5"})
    sheet = client.post(f"{INV}/count-sheets", headers=h, json={"date": "2026-10-31"}).json()
    counted = client.post(
        f"{INV}/count-sheets/{sheet['id']}/counts",
        headers=h,
        json={"counts": [{"line": 1, "counted": "5"}, {"line": 2, "counted": "7"}]},
    )
    posted = client.post(f"{INV}/count-sheets/{sheet['id']}/post", headers=h)

    assert [(ln["sku"], ln["abc_class"]) for ln in preview["lines"]] == [("A1", "A"), ("B1", "B")]
    assert (preview["stored"], preview["total"]) == (False, "45.00")
    assert stored.status_code == 200, stored.text
    # with A at 90 %, B1 (from 88.9 % to 100 %) is A too
    assert [(ln["abc_class"], ln["previous"]) for ln in stored.json()["lines"]] == [
        ("A", None),
        ("A", None),
    ]
    assert counted.status_code == 200, counted.text
    assert posted.status_code == 200, posted.text
    assert [(ln["sku"], ln["variance"]) for ln in posted.json()["lines"]] == [
        ("A1", "0"),
        ("B1", "2"),
    ]
    again = client.post(f"{INV}/count-sheets/{sheet['id']}/post", headers=h)
    assert (again.status_code, again.json()["code"]) == (422, "inventory.count_sheet_closed")
    missing = client.get(f"{INV}/count-sheets/999", headers=h)
    assert (missing.status_code, missing.json()["code"]) == (404, "inventory.count_sheet_not_found")


def test_sales_reads_counts_and_reorders_but_only_warehouse_staff_count(
    client: TestClient,  # noqa: F811
    auth: Headers,  # noqa: F811
) -> None:
    admin = auth(ADMIN, PASSWORD)
    _stock(client, admin)
    client.patch(
        f"{INV}/products/A1", headers=admin, json={"reorder_min": "8", "reorder_max": "20"}
    )
    _user(client, admin, "sam", "sales")
    _user(client, admin, "wes", "warehouse")
    sales, warehouse = auth("sam", "Role-Pass-12345"), auth("wes", "Role-Pass-12345")

    refused = client.post(f"{INV}/count-sheets", headers=sales, json={})
    made = client.post(f"{INV}/count-sheets", headers=warehouse, json={})
    seen = client.get(f"{INV}/count-sheets", headers=sales)
    reorder = client.get(f"{INV}/reorder", headers=sales, params={"warehouse": "WH"})
    classify = client.post(f"{INV}/abc", headers=sales, json={})
    stored = client.get(f"{INV}/classes", headers=sales)

    assert (refused.status_code, refused.json()["code"]) == (403, "identity.permission_denied")
    assert made.status_code == 201, made.text
    assert [s["id"] for s in seen.json()] == [made.json()["id"]]
    assert [(r["sku"], r["projected"], r["quantity"]) for r in reorder.json()] == [
        ("A1", "5", "15")
    ]
    assert classify.status_code == 403
    assert [(c["sku"], c["abc_class"]) for c in stored.json()] == [("A1", None), ("B1", None)]
