"""Running the real ``hansa`` executable, as a user would, with no terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HANSA = str(Path(sys.executable).with_name("hansa"))
ADMIN, ADMIN_PASSWORD = "admin", "Correct-Horse-42"

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli_env(home: Path, db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANSA_", "ERP_"))}
    for alias in ("DATABASE_URL", "JWT_SECRET", "LOG_LEVEL", "REDIS_URL"):
        env.pop(alias, None)
    env.update(
        HANSA_HOME=str(home),
        HANSA_CONFIG=str(home.parent / "config.toml"),
        HANSA_DATABASE_URL=db_url,
        HANSA_AUTH_ARGON2_TIME_COST="1",
        HANSA_AUTH_ARGON2_MEMORY_KIB="1024",
        COLUMNS="200",
    )
    return env


@pytest.fixture
def cli(cli_env: dict[str, str]) -> Cli:
    """Run ``hansa ARGS`` without a terminal; extra environment as keyword arguments."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [HANSA, *args],
            env={**cli_env, **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    return run


@pytest.fixture
def initialised(cli: Cli) -> Cli:
    """A tenant with its first admin, logged in."""
    result = cli("init", "--admin-user", ADMIN, "--admin-password", ADMIN_PASSWORD)
    assert result.returncode == 0, result.stderr
    result = cli("login", HANSA_USER=ADMIN, HANSA_PASSWORD=ADMIN_PASSWORD)
    assert result.returncode == 0, result.stderr
    return cli
