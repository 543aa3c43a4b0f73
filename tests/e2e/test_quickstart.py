"""The README's first command ends in `hansa quickstart`: the demo must run through."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.e2e.conftest import HANSA


def test_the_quickstart_trades_and_ends_with_books_that_tie(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANSA_", "ERP_"))}
    env.update(HANSA_HOME=str(tmp_path / "home"), HANSA_CONFIG=str(tmp_path / "c.toml"))
    env.update(COLUMNS="200", HANSA_AUTH_ARGON2_TIME_COST="1")
    run = subprocess.run(
        [HANSA, "quickstart", "--dir", str(tmp_path / "demo")],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "received 800 @ 10.00 from V00001: stock 8000.00 EUR" in out
    assert "Shipped 600 to C00001: valued 6000.00 EUR (FIFO)" in out
    assert "Result: profit of 2500.00 EUR" in out
    assert "Inventory account 1200: stock 2000.00 EUR, ledger 2000.00 EUR (tie)" in out
    assert "chain intact" in out
    assert "victor tries to add an admin -> refused [identity.permission_denied]" in out
    assert (tmp_path / "demo" / "passwords.txt").stat().st_mode & 0o777 == 0o600
