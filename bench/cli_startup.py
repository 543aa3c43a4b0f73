"""Wall time of one run of the ``hansa`` command, start to exit.

    .venv/bin/python bench/cli_startup.py [--runs 11]

Each command runs --runs times (the median is reported) without a terminal, in a
scratch tenant on the embedded SQLite default that the benchmark makes first (a
company with the standard chart, one posted entry, one customer). The baselines, run
the same way in the same run: the interpreter alone (``python -c pass``), and the
interpreter importing the libraries every command needs (SQLAlchemy, Typer with Rich,
pydantic-settings, PyJWT with cryptography). The difference from the second baseline
is Hansa's own start-up and the command's work.

Prints JSON and writes bench/results/cli_startup-sqlite.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ledger_support import write_results

HANSA = str(Path(sys.executable).with_name("hansa"))
PASSWORD = "Correct-Horse-42"
SETUP = [
    ["init", "--admin-user", "alice", "--company", "Acme", "--currency", "EUR"],
    ["login", "--user", "alice"],
    ["ledger", "entry", "add", "-j", "GEN", "-n", "Capital", "-l", "1010 100", "-l", "3000 -100"],
    ["customers", "add", "Globex"],
]
COMMANDS = [
    ["--version"],
    ["whoami"],
    ["report", "trial-balance"],
    ["ledger", "account", "list"],
    ["customers", "list"],
    ["inventory", "list"],
]
LIBRARIES = "import sqlalchemy, typer, rich.table, pydantic_settings, jwt"


def median_ms(argv: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True)
        times.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()}")
    return {"median_ms": round(statistics.median(times), 1), "runs_ms": [round(t) for t in times]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hansa-bench-cli-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANSA_")}
    env.update(HANSA_HOME=str(work / "home"), HANSA_CONFIG=str(work / "config.toml"))
    # Only init and login read it (without a terminal); the commands use the session.
    setup_env = {**env, "HANSA_PASSWORD": PASSWORD}
    for argv in SETUP:
        subprocess.run([HANSA, *argv], env=setup_env, capture_output=True, check=True)
    results = {
        "baseline_python_alone": median_ms([sys.executable, "-c", "pass"], env, args.runs),
        "baseline_python_importing_libraries": median_ms(
            [sys.executable, "-c", LIBRARIES], env, args.runs
        ),
        "hansa": {" ".join(argv): median_ms([HANSA, *argv], env, args.runs) for argv in COMMANDS},
    }
    write_results("cli_startup", "sqlite", {"runs": args.runs, **results})


if __name__ == "__main__":
    main()
