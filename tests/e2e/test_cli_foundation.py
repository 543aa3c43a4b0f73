"""The foundation's acceptance flow through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import sqlalchemy as sa

from tests.e2e.conftest import ADMIN, Cli


def _json(result: object) -> object:
    assert result.returncode == 0, result.stderr  # type: ignore[attr-defined]
    return json.loads(result.stdout)  # type: ignore[attr-defined]


def test_init_login_whoami_add_user_audit_and_verify(initialised: Cli) -> None:
    cli = initialised
    me = _json(cli("--format", "json", "whoami"))
    assert me["username"] == ADMIN
    assert me["roles"] == ["admin"]

    added = _json(
        cli(
            "users",
            "add",
            "--username",
            "bob",
            "--role",
            "accountant",
            "--email",
            "bob@example.com",
            "--format",
            "json",
        )
    )
    assert added["roles"] == ["accountant"]

    records = _json(cli("audit", "list", "--format", "json", "--action", "identity.user.*"))
    created = [
        (r["actor"], r["entity_id"]) for r in records if r["action"] == "identity.user.create"
    ]
    assert len(created) == 2
    assert {actor for actor, _ in created} == {ADMIN}

    verified = cli("audit", "verify", "--format", "json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["ok"] is True


def test_audit_verify_names_a_row_altered_by_hand(initialised: Cli, db_url: str) -> None:
    cli = initialised
    cli("users", "add", "--username", "carol", "--role", "viewer")
    records = _json(cli("audit", "list", "--format", "json"))
    target = records[len(records) // 2]["id"]
    _tamper(db_url, target)

    result = cli("audit", "verify")
    assert result.returncode == 1
    assert f"record {target}" in result.stderr
    assert "Traceback" not in result.stderr
    checks = cli("check", "--only", "audit.chain")
    assert checks.returncode == 1
    assert f"audit record {target}" in checks.stdout


def _tamper(db_url: str, record_id: int) -> None:
    """What an attacker with database access does: lift the protection, edit a row."""
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TRIGGER audit_log_immutable_update")
            conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = ?", (record_id,))
        return
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        # A superuser may switch triggers off for one transaction (the shared test database
        # keeps its trigger for the tests that follow).
        conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        conn.execute(
            sa.text("UPDATE audit_log SET actor = 'mallory' WHERE id = :id"), {"id": record_id}
        )
    engine.dispose()


def test_viewer_is_refused_a_change(initialised: Cli) -> None:
    cli = initialised
    assert (
        cli(
            "users",
            "add",
            "--username",
            "vera",
            "--role",
            "viewer",
            "--password",
            "Viewer-Pass-123",
        ).returncode
        == 0
    )
    result = cli(
        "users",
        "add",
        "--username",
        "eve",
        "--role",
        "admin",
        HANSA_USER="vera",
        HANSA_PASSWORD="Viewer-Pass-123",
    )
    assert result.returncode == 6, result.stderr
    assert "identity.permission_denied" in result.stderr
    assert "Traceback" not in result.stderr


def cli_home(cli: Cli) -> str:
    return str(cli("config", "get", "home").stdout.strip())


def test_login_token_file_is_private(initialised: Cli) -> None:
    home = Path(cli_home(initialised))
    mode = stat.S_IMODE(os.stat(home / "credentials.json").st_mode)
    assert mode == 0o600
    for secret in (home / "secrets").iterdir():
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_logout_revokes_the_session(initialised: Cli) -> None:
    cli = initialised
    assert cli("logout").returncode == 0
    result = cli("whoami")
    assert result.returncode == 7
    assert "hansa login" in result.stderr


def test_init_without_terminal_or_credentials_refuses_clearly(cli: Cli) -> None:
    result = cli("init")
    assert result.returncode == 8
    assert "HANSA_USER" in result.stderr
    assert "Traceback" not in result.stderr


def test_five_wrong_passwords_lock_the_account(initialised: Cli) -> None:
    cli = initialised
    for _ in range(5):
        result = cli("login", "--user", ADMIN, "--password", "wrong-password-1")
        assert result.returncode == 7
    result = cli("login", "--user", ADMIN, "--password", "Correct-Horse-42")
    assert result.returncode == 7
    assert "identity.account_locked" in result.stderr


def test_check_passes_on_a_fresh_tenant(initialised: Cli) -> None:
    result = initialised("check", "--format", "json")
    rows = json.loads(result.stdout)
    assert result.returncode == 0, [row for row in rows if not row["ok"]]
    assert rows
    assert all(row["ok"] for row in rows)
    assert {"audit.chain", "schema.current"} <= {row["check"] for row in rows}
