"""Settings, schema and key commands through the real CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from tests.e2e.conftest import Cli


def test_config_set_get_list_and_reset(cli: Cli, home: Path) -> None:
    path = Path(cli("config", "path").stdout.strip())
    assert cli("config", "set", "log.level", "INFO").returncode == 0
    assert cli("config", "get", "log.level").stdout.strip() == "INFO"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    rows = json.loads(cli("config", "list", "--filter", "log.*", "--format", "json").stdout)
    assert {r["key"]: r["value"] for r in rows} == {"log.level": "INFO", "log.format": "auto"}
    assert cli("config", "validate").returncode == 0
    refused = cli("config", "reset")  # no terminal, no --confirm
    assert refused.returncode == 8
    assert "cli.confirmation_required" in refused.stderr
    assert cli("config", "reset", "--confirm").returncode == 0
    assert cli("config", "get", "log.level").stdout.strip() == "WARNING"


def test_config_refuses_unknown_keys_and_bad_values(cli: Cli) -> None:
    unknown = cli("config", "set", "database.ulr", "x")
    assert unknown.returncode == 8  # a typo on the command line is invalid input
    assert "config.unknown_key" in unknown.stderr
    bad = cli("config", "set", "api.port", "seventy")
    assert bad.returncode == 10
    assert "config.invalid" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_secrets_are_masked_in_config_list(cli: Cli) -> None:
    rows = json.loads(cli("config", "list", "--format", "json", JWT_SECRET="x" * 40).stdout)
    secret = next(r for r in rows if r["key"] == "auth.jwt_secret")
    assert secret["value"] == "********"


def test_setup_and_migrate_commands(cli: Cli, empty_db_url: str) -> None:
    status = json.loads(cli("--db", empty_db_url, "migrate", "status", "--format", "json").stdout)
    assert status["current"] is None
    assert status["pending"]
    assert cli("--db", empty_db_url, "setup", "--init-db").returncode == 0
    status = json.loads(cli("--db", empty_db_url, "migrate", "status", "--format", "json").stdout)
    assert status["up_to_date"] is True
    refused = cli("--db", empty_db_url, "migrate", "down")
    assert refused.returncode == 8  # destructive and no terminal: needs --yes
    assert cli("--db", empty_db_url, "--yes", "migrate", "down", "--steps", "99").returncode == 0
    status = json.loads(cli("--db", empty_db_url, "migrate", "status", "--format", "json").stdout)
    assert status["current"] is None
    assert cli("--db", empty_db_url, "migrate", "up").returncode == 0
    probe = json.loads(cli("--db", empty_db_url, "migrate", "test", "--format", "json").stdout)
    assert probe["round_trip_ms"] >= 0


def test_status_shows_where_the_data_lives(cli: Cli, home: Path) -> None:
    info = json.loads(cli("status", "--format", "json").stdout)
    assert info["data_directory"] == str(home)
    assert info["logged_in_as"] is None


def test_api_keys_through_the_cli(initialised: Cli) -> None:
    created = json.loads(initialised("apikey", "create", "ci", "--format", "json").stdout)
    assert created["key"].startswith("hk_")
    me = json.loads(initialised("whoami", "--format", "json", HANSA_API_KEY=created["key"]).stdout)
    assert me["via"] == "apikey"
    assert initialised("apikey", "revoke", str(created["id"])).returncode == 0
    refused = initialised("whoami", HANSA_API_KEY=created["key"])
    assert refused.returncode == 7


def test_disabling_a_user_needs_confirmation_without_a_terminal(initialised: Cli) -> None:
    initialised("users", "add", "--username", "bob", "--role", "sales")
    assert initialised("users", "disable", "bob").returncode == 8
    assert initialised("--yes", "users", "disable", "bob").returncode == 0
    users = json.loads(initialised("users", "list", "--format", "json").stdout)
    assert {u["username"]: u["active"] for u in users} == {"admin": True, "bob": False}


def test_output_formats(initialised: Cli) -> None:
    csv_out = initialised("users", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,username,email,roles")
    yaml_out = initialised("users", "list", "--format", "yaml").stdout
    assert "username: admin" in yaml_out
