"""``hansa ledger tax``, ``tax-group`` and ``report tax`` through the real executable,
and the same through the API."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hansa import ledger
from hansa.db.engine import create_engine
from hansa.db.uow import UnitOfWork
from hansa.kernel.actor import SYSTEM
from tests.api.conftest import Headers, auth, client  # noqa: F401  (fixtures)
from tests.e2e.conftest import Cli, cli, cli_env, initialised  # noqa: F401  (fixtures)
from tests.ledger.fx_support import D

YEAR = date.today().year


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def uow(db_url: str) -> Iterator[UnitOfWork]:
    engine = create_engine(db_url)
    yield UnitOfWork(engine)
    engine.dispose()


# The executable starts in seconds; the services under it run on both engines elsewhere.
@pytest.mark.parametrize("backend", ["sqlite"])
def test_tax_codes_groups_rounding_and_the_report_from_the_command_line(
    initialised: Cli,  # noqa: F811
    uow: UnitOfWork,
) -> None:
    run = initialised
    ledger.create_company(uow, SYSTEM, name="Acme", currency="EUR")
    ledger.add_tax_code(uow, SYSTEM, None, code="GST", name="GST", rate=D(5), account="2100")
    added = _json(
        run(
            "-f", "json", "ledger", "tax", "add", "V7", "VAT 7%", "--rate", "7", "--account", "2100"
        )
    )
    assert (added["rate"], added["price_included"]) == ("7", False)
    made = run("ledger", "tax-group", "add", "G", "Both", "--tax", "GST", "--tax", "V7")
    assert made.returncode == 0, made.stderr
    assert "Tax group G: GST, V7." in made.stdout

    lines = ("--line", "1.05 V7", "--line", "1.05 V7", "--line", "1.05 V7")
    per_line = _json(run("-f", "json", "ledger", "tax", "compute", *lines))
    assert run("ledger", "tax", "rounding", "document").returncode == 0
    per_document = _json(run("-f", "json", "ledger", "tax", "compute", *lines))
    assert (per_line["rounding"], per_line["tax"]) == ("line", "0.21")
    assert (per_document["rounding"], per_document["tax"], per_document["gross"]) == (
        "document",
        "0.22",
        "3.37",
    )

    result = ledger.compute_taxes(uow, SYSTEM, None, [ledger.TaxableLine(D("200.00"), ("G",))])
    drafts = (
        ledger.LineDraft("1100", "EUR", result.gross),
        ledger.LineDraft("4000", "EUR", -result.net),
        *ledger.tax_lines(result, credit=True),
    )
    ledger.record_entry(uow, SYSTEM, None, ledger.EntryDraft("SAL", date(YEAR, 1, 5), drafts))

    report = _json(
        run("-f", "json", "report", "tax", "--from", f"{YEAR}-01-01", "--to", f"{YEAR}-01-31")
    )
    assert report == [
        {
            "code": "GST",
            "name": "GST",
            "rate": "5",
            "commodity": "EUR",
            "base": "-200.00",
            "tax": "-10.00",
        },
        {
            "code": "V7",
            "name": "VAT 7%",
            "rate": "7",
            "commodity": "EUR",
            "base": "-200.00",
            "tax": "-14.00",
        },
    ]
    refused = run("ledger", "tax", "compute", "--line", "ten V7")
    assert refused.returncode == 8
    assert "'ten' is not an amount" in refused.stderr


def test_tax_codes_compute_and_report_through_the_api(
    client: TestClient,  # noqa: F811
    auth: Headers,  # noqa: F811
) -> None:
    headers = auth()
    made = client.post(
        "/api/v1/ledger/companies", headers=headers, json={"name": "Acme", "currency": "EUR"}
    )
    assert made.status_code == 201, made.text
    code = {
        "code": "V77",
        "name": "VAT 7.7%",
        "rate": "7.7",
        "account": "2100",
        "price_included": True,
    }
    added = client.post("/api/v1/ledger/taxes", headers=headers, json=code)
    assert added.status_code == 201, added.text
    assert added.json()["rate"] == "7.7"

    lines = {"lines": [{"amount": "10.00", "taxes": ["V77"]}] * 3}
    per_line = client.post("/api/v1/ledger/taxes/compute", headers=headers, json=lines).json()
    rounding = client.put(
        "/api/v1/ledger/taxes/rounding", headers=headers, json={"mode": "document"}
    )
    per_document = client.post("/api/v1/ledger/taxes/compute", headers=headers, json=lines).json()

    assert rounding.status_code == 200, rounding.text
    assert [(t["base"], t["tax"]) for t in per_line["taxes"]] == [("27.87", "2.13")]
    assert [(t["base"], t["tax"]) for t in per_document["taxes"]] == [("27.86", "2.14")]
    report = client.get(
        "/api/v1/reports/tax",
        headers=headers,
        params={"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"},
    )
    assert report.status_code == 200, report.text
    assert report.json() == []
    bad = client.put("/api/v1/ledger/taxes/rounding", headers=headers, json={"mode": "cents"})
    assert bad.status_code == 400
