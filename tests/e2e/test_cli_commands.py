"""The command tree of ``hansa``: every command is reachable and has help, and a run
imports the modules of its own command only (see ``hansa.cli.lazy``)."""

from __future__ import annotations

import json
import subprocess
import sys

import typer
from typer.core import TyperGroup

from hansa.cli.main import COMMANDS, app
from tests.e2e.conftest import HANSA


def _walk(command: object, path: str) -> list[tuple[str, object]]:
    found = [(path, command)]
    if isinstance(command, TyperGroup):
        for name in command.list_commands(typer.Context(command)):
            found += _walk(command.get_command(typer.Context(command), name), f"{path} {name}")
    return found


def test_every_command_is_reachable_and_has_help() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    assert root.list_commands(typer.Context(root)) == list(COMMANDS)
    commands = _walk(root, "hansa")
    assert len(commands) > 200
    missing = [path for path, command in commands if not getattr(command, "help", None)]
    assert missing == []


def _modules_loaded_by(*args: str) -> set[str]:
    script = (
        "import json, sys\n"
        "from hansa.cli.main import run\n"
        "try:\n"
        f"    run({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('hansa.cli.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_a_run_imports_the_modules_of_its_own_command_only() -> None:
    loaded = _modules_loaded_by("report", "trial-balance", "--help")
    assert {"hansa.cli.report", "hansa.cli.ledger_groups", "hansa.cli.ledger_fx"} <= loaded
    assert not loaded & {"hansa.cli.inventory", "hansa.cli.crm", "hansa.cli.parties_all"}
    assert "hansa.cli.inventory" in _modules_loaded_by("inventory", "--help")


def test_a_mistyped_command_is_named_with_a_suggestion() -> None:
    done = subprocess.run([HANSA, "ledgr"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "No such command 'ledgr'" in done.stderr
    assert "Did you mean 'ledger'?" in done.stderr
    listed = subprocess.run(
        [HANSA, "--help"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert all(f" {name} " in listed for name in COMMANDS)
