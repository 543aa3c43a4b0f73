"""The docs' worked examples print what the docs say they print.

Each doc with a worked example is one test. Every ``##`` section of it that holds
runnable blocks (see :mod:`tests.e2e.docs_examples`) runs, in order, in one ``bash``
with the real ``hansa`` first on ``PATH``, in a fresh scratch tenant (its own
``HANSA_HOME``, ``HANSA_CONFIG`` and working directory). A section that makes no tenant
itself starts with the doc's own ``hansa init``/``hansa login`` block, or, in a doc with
none, with the tenant its prose names (:data:`DEFAULT_SETUP`).

What is compared, and the only things normalised:

- A console block: each ``$ COMMAND``'s output with what the command printed (stdout
  and stderr together). A bash block followed by a plain block: that block with what
  the last commands of the bash block printed (the docs show the output of the last
  one or few commands; the earlier ones must still succeed).
- Trailing spaces and blank lines at either end of an output are ignored. Tables are
  not: each doc runs at the terminal width it was written at (:data:`COLUMNS`), so
  Rich wraps its tables as in the doc.
- Wall-clock values: a timestamp (a date with a time of day) keeps its date, counted
  in days from the run's day (the doc's from :data:`DOCS_RECORDED_ON`), and masks the
  time; so does a date in the columns :data:`WALL_CLOCK_COLUMNS` (the day of an ABC
  analysis, the day a reorder arrives).
- Exit codes: a command whose shown output is ``error [...]`` must fail, with the code
  the doc states (``(exit N)`` at the end of its console output, or "exit code N" /
  "exits N" in the sentence right after a bash block's output); every other command
  must exit 0.
- ``$ cat FILE`` shows a file the reader makes: its content is written before the
  section runs.

A block that differs because the program is wrong (not the doc) is listed in
:data:`KNOWN_FAILURES`: the test is then an expected failure (strict) naming it, and
every other block is still compared.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.e2e.docs_examples import (
    DOCS_RECORDED_ON,
    Block,
    Command,
    Scenario,
    normalised,
    scenarios,
    trimmed,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
WORKED_EXAMPLES = sorted(
    path.name for path in DOCS.glob("*.md") if "## A worked example" in path.read_text()
)

# The terminal width each doc's tables were written at (the widest table that fits).
COLUMNS = {"ledger.md": 100, "inventory.md": 120, "parties.md": 120}

DEFAULT_SETUP = [
    'hansa init --admin-user alice --admin-password Correct-Horse-42 --company "Acme Trading"'
    " --currency EUR",
    "hansa login --user alice --password Correct-Horse-42",
]

# doc -> {start of a command: why the program, not the doc, is wrong}.
KNOWN_FAILURES: dict[str, dict[str, str]] = {}

_MARK = "@@hansa-docs-test@@"


@dataclass
class Ran:
    output: list[str]
    exit_code: int


@dataclass
class Failure:
    where: str  # docs/DOC:LINE
    command: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: `{self.command}`\n{self.problem}"


def test_worked_examples_are_found() -> None:
    assert WORKED_EXAMPLES == ["inventory.md", "ledger.md", "parties.md"]


def test_wall_clock_values_compare_as_days_counted_from_the_run() -> None:
    doc = ["at 2026-11-22 02:54", "sku,arrives,date", "PEN,2026-11-29,2026-11-29"]
    later = ["at 2027-01-05 17:03", "sku,arrives,date", "PEN,2027-01-12,2026-11-29"]
    assert normalised(doc, DOCS_RECORDED_ON) == normalised(later, date(2027, 1, 5))
    assert normalised(doc, DOCS_RECORDED_ON)[2] == "PEN,<today+7>,2026-11-29"
    wrong = ["at 2027-01-05 17:03", "sku,arrives,date", "PEN,2027-01-13,2026-11-29"]
    assert normalised(doc, DOCS_RECORDED_ON) != normalised(wrong, date(2027, 1, 5))


@pytest.mark.slow
@pytest.mark.parametrize("doc", WORKED_EXAMPLES)
def test_doc_example_prints_what_the_doc_says(doc: str, tmp_path: Path) -> None:
    sections = scenarios(DOCS / doc)
    setup = next(
        (
            b.commands
            for s in sections
            for b in s.blocks
            if any("hansa init" in c.text for c in b.commands)
        ),
        [Command(text, 0) for text in DEFAULT_SETUP],
    )
    failures: list[Failure] = []
    for number, scenario in enumerate(sections):
        prelude = [] if scenario.creates_tenant() else setup
        failures += _run_scenario(doc, scenario, prelude, tmp_path / f"s{number}")
    known = KNOWN_FAILURES.get(doc, {})
    unknown = [f for f in failures if not f.command.startswith(tuple(known))]
    if unknown:
        pytest.fail(
            f"docs/{doc}: {len(unknown)} difference(s)\n\n" + "\n\n".join(map(str, unknown))
        )
    still = {
        reason
        for start, reason in known.items()
        if any(f.command.startswith(start) for f in failures)
    }
    if still != set(known.values()):
        pytest.fail(
            f"docs/{doc}: known failures now pass, remove them: {set(known.values()) - still}"
        )
    if still:
        pytest.xfail("; ".join(sorted(still)))


def _run_scenario(
    doc: str, scenario: Scenario, prelude: list[Command], workdir: Path
) -> list[Failure]:
    workdir.mkdir(parents=True)
    for name, content in scenario.files.items():
        (workdir / name).write_text(content, encoding="utf-8")
    commands = prelude + [c for block in scenario.blocks for c in block.commands]
    today = datetime.now(UTC).date()
    ran = _run(commands, workdir, COLUMNS[doc])
    results = dict(zip(map(id, commands), ran, strict=True))
    failures: list[Failure] = []
    for command in prelude:
        if results[id(command)].exit_code != 0:
            failures.append(_failure(doc, command, "setup failed", results[id(command)].output))
    for block in scenario.blocks:
        failures += _check_block(doc, block, [results[id(c)] for c in block.commands], today)
    return failures


def _run(commands: list[Command], workdir: Path, columns: int) -> list[Ran]:
    """Run *commands* in one ``bash``, in order; what each printed and its exit code."""
    script = ["exec 2>&1"]
    for number, command in enumerate(commands):
        script += [f"printf '{_MARK} {number}\\n'", command.text, f"printf '{_MARK} rc %d\\n' $?"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANSA_", "ERP_"))}
    for alias in ("DATABASE_URL", "JWT_SECRET", "LOG_LEVEL", "REDIS_URL"):
        env.pop(alias, None)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        HANSA_HOME=str(workdir / "home"),
        HANSA_CONFIG=str(workdir / "config.toml"),
        HANSA_AUTH_ARGON2_TIME_COST="1",
        HANSA_AUTH_ARGON2_MEMORY_KIB="1024",
        COLUMNS=str(columns),
        PYTHONUNBUFFERED="1",  # stdout and stderr in the order they were written
        TMPDIR=str(workdir),  # the docs' `mktemp -d` scratch tenants stay in the test's
    )
    run = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    ran: list[Ran] = []
    for line in run.stdout.split("\n"):  # not splitlines(): it also cuts at \x1c-\x1e
        if line.startswith(f"{_MARK} rc "):
            ran[-1].exit_code = int(line.split()[-1])
        elif line.startswith(_MARK):
            ran.append(Ran([], -1))
        elif ran:
            ran[-1].output.append(line)
    assert len(ran) == len(commands), run.stdout[-2000:] + run.stderr[-2000:]
    return ran


def _check_block(doc: str, block: Block, ran: list[Ran], today: date) -> list[Failure]:
    if block.expected is None:
        return _check_each(doc, block, ran, today)
    failures: list[Failure] = []
    suffix = _matching_suffix(block.expected, ran, today)
    first_shown = len(ran) - suffix if suffix else 0  # no match: the diff says it all
    for index, (command, result) in enumerate(zip(block.commands, ran, strict=True)):
        failed = index >= first_shown and _shows_error(result.output)
        wanted = (block.exit_code or "non-zero") if failed else 0
        if not _exit_ok(result.exit_code, wanted):
            failures.append(_exit_failure(doc, command, wanted, result))
    if not suffix:
        got = [line for result in ran for line in result.output]
        failures.append(
            _failure(doc, block.commands[-1], _diff(block.expected, got, today), None, block)
        )
    return failures


def _check_each(doc: str, block: Block, ran: list[Ran], today: date) -> list[Failure]:
    failures: list[Failure] = []
    for command, result in zip(block.commands, ran, strict=True):
        expected = command.expected
        if expected is None:  # a bash block with no output shown: it must only succeed
            expected = []
        elif not _same(expected, result.output, today):
            failures.append(_failure(doc, command, _diff(expected, result.output, today), None))
        wanted: int | str = command.exit_code or ("non-zero" if _shows_error(expected) else 0)
        if not _exit_ok(result.exit_code, wanted):
            failures.append(_exit_failure(doc, command, wanted, result))
    return failures


def _matching_suffix(expected: list[str], ran: list[Ran], today: date) -> int:
    """How many of the last commands printed *expected* (0: no suffix did)."""
    for count in range(1, len(ran) + 1):
        got = [line for result in ran[len(ran) - count :] for line in result.output]
        if _same(expected, got, today):
            return count
    return 0


def _same(expected: list[str], got: list[str], today: date) -> bool:
    return normalised(expected, DOCS_RECORDED_ON) == normalised(got, today)


def _shows_error(output: list[str]) -> bool:
    return any(line.startswith("error [") for line in trimmed(output))


def _exit_ok(code: int, wanted: int | str) -> bool:
    return code != 0 if wanted == "non-zero" else code == wanted


def _exit_failure(doc: str, command: Command, wanted: int | str, result: Ran) -> Failure:
    problem = f"exit code {result.exit_code}, the doc says {wanted}; it printed:\n"
    return _failure(doc, command, problem + "\n".join(result.output), None)


def _failure(
    doc: str, command: Command, problem: str, output: list[str] | None, block: Block | None = None
) -> Failure:
    where = f"docs/{doc}:{block.line if block else command.line}"
    return Failure(where, command.text, problem + ("\n" + "\n".join(output) if output else ""))


def _diff(expected: list[str], got: list[str], today: date) -> str:
    lines = difflib.unified_diff(
        normalised(expected, DOCS_RECORDED_ON),
        normalised(got, today),
        "the doc",
        "hansa printed",
        lineterm="",
    )
    return "\n".join(lines)
