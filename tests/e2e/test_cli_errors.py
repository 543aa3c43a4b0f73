"""Bad input never shows a traceback: one clear line and a documented exit code."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Cli


def _one_clear_line(stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error ["), stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["no-such-command"], 2),
        (["users", "add", "--role", "viewer"], 2),  # missing --username
        (["audit", "list", "--since", "2026-13-45"], 2),  # malformed date
        (["users", "update", "--username", "ghost", "--email", "g@example.com"], 3),
        (["users", "add", "--username", "x", "--role", "emperor"], 8),
    ],
)
def test_user_errors_give_a_clear_message_and_exit_code(
    initialised: Cli, args: list[str], code: int
) -> None:
    result = initialised(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    _one_clear_line(result.stderr)


def test_unwritable_database_file(cli: Cli, backend: str) -> None:
    result = cli(
        "--db",
        "/proc/hansa/hansa.db",
        "init",
        "--admin-user",
        "a",
        "--admin-password",
        "Correct-Horse-42",
    )
    assert result.returncode == 9, result.stderr
    _one_clear_line(result.stderr)
    assert len(result.stderr.strip().splitlines()) <= 2


def test_postgresql_down(cli: Cli) -> None:
    result = cli("--db", "postgresql+psycopg://postgres@127.0.0.1:1/hansa", "migrate", "test")
    assert result.returncode == 9
    assert "db.unavailable" in result.stderr
    _one_clear_line(result.stderr)


def test_schema_behind_is_refused_with_the_fix(cli: Cli, empty_db_url: str) -> None:
    result = cli("--db", empty_db_url, "users", "list", HANSA_USER="a", HANSA_PASSWORD="b")
    assert result.returncode == 10
    assert "hansa init" in result.stderr


def test_an_id_too_large_for_the_database_is_a_usage_error(initialised: Cli) -> None:
    result = initialised("apikey", "revoke", "99999999999999999999")
    assert result.returncode == 2
    _one_clear_line(result.stderr)


def test_audit_list_honours_since_and_until(initialised: Cli) -> None:
    import json

    future = initialised("audit", "list", "--since", "2099-01-01", "--format", "json")
    assert json.loads(future.stdout) == []
    everything = initialised("audit", "list", "--until", "9999-12-31", "--format", "json")
    assert json.loads(everything.stdout)
