"""The ``customers``, ``vendors`` and ``parties`` commands, run as a user would."""

from __future__ import annotations

import json

from tests.e2e.conftest import Cli


def test_customers_add_list_search_update_delete_as_in_the_cli_surface(initialised: Cli) -> None:
    cli = initialised
    added = cli(
        "--format",
        "json",
        "customers",
        "add",
        "--first-name",
        "Zoë",
        "--last-name",
        "Müller",
        "--email",
        "zoe@example.com",
        "--phone",
        "+49 30 1234",
        "--address",
        "Hauptstr. 1, Berlin",
        "--company",
        "Acme",
        "--tax-id",
        "DE123",
        "--notes",
        "prefers e-mail",
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["code"] == "C00001"
    assert cli("customers", "add", "Globex Corporation").returncode == 0

    listed = cli(
        "--format",
        "json",
        "customers",
        "list",
        "--page",
        "1",
        "--limit",
        "1",
        "--sort-by",
        "name",
        "--order",
        "asc",
    )
    found = cli("--format", "json", "customers", "search", "--query", "zoe muller")
    by_email = cli("--format", "json", "customers", "search", "--query", "ZOE@example.com")
    updated = cli(
        "--format",
        "json",
        "customers",
        "update",
        "C00001",
        "--email",
        "z@example.com",
        "--name",
        "Zoë Müller-Lang",
    )

    assert [r["name"] for r in json.loads(listed.stdout)] == ["Globex Corporation"]
    assert [r["code"] for r in json.loads(found.stdout)] == ["C00001"]
    assert [r["code"] for r in json.loads(by_email.stdout)] == ["C00001"]
    assert json.loads(updated.stdout)["email"] == "z@example.com"
    assert json.loads(updated.stdout)["name"] == "Zoë Müller-Lang"

    refused = cli("customers", "delete", "2")
    assert refused.returncode == 8
    assert "cli.confirmation_required" in refused.stderr
    deleted = cli("customers", "delete", "2", "--force")
    assert deleted.returncode == 0, deleted.stderr
    assert "deleted" in deleted.stdout
    missing = cli("customers", "show", "2")
    assert missing.returncode == 3
    assert missing.stderr.startswith("error [parties.party_not_found]")


def test_vendors_and_parties_commands(initialised: Cli) -> None:
    cli = initialised
    assert cli("vendors", "add", "Steel Supply").returncode == 0
    assert cli("parties", "tag", "V00001", "metal", "Key").returncode == 0
    contact = cli(
        "--format",
        "json",
        "parties",
        "contact",
        "add",
        "V00001",
        "--name",
        "Grace Hopper",
        "--role",
        "sales",
    )
    segment = cli("--format", "json", "parties", "list", "--tag", "metal")
    both = json.loads(
        cli(
            "--format",
            "json",
            "parties",
            "update",
            "V00001",
            "--customer",
            "--shipping-address",
            "Dock 4",
            "--currency",
            "usd",
        ).stdout
    )
    found = json.loads(cli("--format", "json", "parties", "search", "-q", "steel").stdout)
    archived = cli("parties", "archive", "V00001")
    vendors = cli("--format", "json", "vendors", "list")

    assert "Grace Hopper" in json.loads(contact.stdout)["contacts"]
    assert [r["tags"] for r in json.loads(segment.stdout)] == ["key,metal"]
    assert (both["roles"], both["shipping_address"], both["currency"]) == (
        "customer,vendor",
        "Dock 4",
        "USD",
    )
    assert [r["code"] for r in found] == ["V00001"]
    assert "archived" in archived.stdout
    assert json.loads(vendors.stdout) == []


def test_every_parties_command_has_help(initialised: Cli) -> None:
    for group in ("customers", "vendors"):
        for command in ("add", "list", "search", "update", "delete"):
            shown = initialised(group, command, "--help")
            assert shown.returncode == 0
            assert "Usage" in shown.stdout
    assert "Add a vendor" in initialised("vendors", "add", "--help").stdout
