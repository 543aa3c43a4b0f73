"""Reading the worked examples out of a doc, and the rules for comparing their output.

A doc is cut into *scenarios*, one per ``## `` section holding runnable blocks; each
scenario is a list of *blocks*, and each block a list of shell *commands*. Two forms of
block are runnable:

- a ```` ```bash ```` block: its commands (``\\`` continuations joined), optionally
  followed (only blank lines between) by a plain ```` ``` ```` block with what the last
  of them print;
- a ```` ```console ```` block: ``$ COMMAND`` lines, each followed by its output, maybe
  ending in ``(exit N)``.

Other blocks (```` ```json ````, a plain block after prose) illustrate and are not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# The day the docs' outputs were recorded: wall-clock dates are compared relative to it.
DOCS_RECORDED_ON = date(2026, 11, 22)

# Columns that hold the day the command ran (or a day counted from it), not a book date.
WALL_CLOCK_COLUMNS = frozenset({"classified_on", "arrives"})

_FENCE = re.compile(r"^```(\w*)\s*$")
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\+00:00)?")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXIT = re.compile(r"^\(exit (\d+)\)$")
_PROSE_EXIT = re.compile(r"\bexit(?:s| code) (\d+)\b")


@dataclass
class Command:
    text: str
    line: int  # where it starts in the doc
    expected: list[str] | None = None  # console form: its own output
    exit_code: int | None = None  # as the doc states it


@dataclass
class Block:
    line: int
    commands: list[Command]
    expected: list[str] | None = None  # bash form: what the last commands print
    exit_code: int | None = None  # bash form: the exit code the prose after it states


@dataclass
class Scenario:
    title: str
    blocks: list[Block] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # shown by `cat`, made first

    def creates_tenant(self) -> bool:
        return any("hansa init" in c.text for b in self.blocks for c in b.commands)


@dataclass
class _Fenced:
    lang: str
    line: int  # first content line, 1-based
    lines: list[str]
    prose_before: str
    prose_after: str = ""


def _fenced_blocks(text: str) -> list[tuple[str, _Fenced]]:
    """Every fenced block with the ``## `` section it is in."""
    section, prose, found = "", [], []
    current: _Fenced | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(line)
        if current is not None:
            if fence and not fence.group(1):
                found.append((section, current))
                current, prose = None, []
            else:
                current.lines.append(line)
        elif fence:
            if found:
                found[-1][1].prose_after = found[-1][1].prose_after or "\n".join(prose)
            current = _Fenced(fence.group(1), number + 1, [], "\n".join(prose))
        else:
            if line.startswith("## "):
                section = line[3:].strip()
            prose.append(line)
    if found and not found[-1][1].prose_after:
        found[-1][1].prose_after = "\n".join(prose)
    return found


def _logical_lines(lines: list[str], first: int) -> list[tuple[int, str]]:
    """Lines with ``\\`` continuations joined, each with its doc line number."""
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for offset, line in enumerate(lines):
        start, text = pending if pending else (first + offset, "")
        text += line.strip() if pending else line
        if line.rstrip().endswith("\\"):
            pending = (start, text.rstrip()[:-1].rstrip() + " ")
        else:
            pending = None
            joined.append((start, text))
    return joined


def _bash_commands(block: _Fenced) -> list[Command]:
    return [
        Command(text, line)
        for line, text in _logical_lines(block.lines, block.line)
        if text.strip() and not text.lstrip().startswith("#")
    ]


def _console_commands(block: _Fenced) -> list[Command]:
    commands: list[Command] = []
    lines = block.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            if commands and commands[-1].expected is not None:
                commands[-1].expected.append(line)
            index += 1
            continue
        start, text = block.line + index, line[2:]
        while text.rstrip().endswith("\\") and index + 1 < len(lines):
            index += 1
            text = text.rstrip()[:-1].rstrip() + " " + lines[index].strip()
        commands.append(Command(text, start, expected=[]))
        index += 1
    for command in commands:
        output = trimmed(command.expected or [])
        if output and (code := _EXIT.match(output[-1].strip())):
            command.exit_code = int(code.group(1))
            output = trimmed(output[:-1])
        command.expected = output
    return commands


def scenarios(doc: Path) -> list[Scenario]:
    """The doc's runnable examples, one scenario per ``##`` section that has some."""
    found: dict[str, Scenario] = {}
    fenced = _fenced_blocks(doc.read_text(encoding="utf-8"))
    for index, (section, block) in enumerate(fenced):
        if block.lang == "console":
            commands = _console_commands(block)
            runnable = Block(block.line, commands)
        elif block.lang == "bash":
            runnable = Block(block.line, _bash_commands(block))
            following = fenced[index + 1][1] if index + 1 < len(fenced) else None
            if following and not following.lang and not following.prose_before.strip():
                runnable.expected = trimmed(following.lines)
                codes = _PROSE_EXIT.findall(following.prose_after.strip().split("\n\n")[0])
                runnable.exit_code = int(codes[0]) if len(set(codes)) == 1 else None
        else:
            continue
        scenario = found.setdefault(section, Scenario(section))
        scenario.blocks.append(runnable)
        for command in runnable.commands:
            shown = re.fullmatch(r"cat (\S+)", command.text.strip())
            if shown and command.expected is not None:
                scenario.files[shown.group(1)] = "\n".join(command.expected) + "\n"
    return list(found.values())


def trimmed(lines: list[str]) -> list[str]:
    """Without trailing spaces, and without blank lines at either end."""
    out = [line.rstrip() for line in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def _relative(day: str, today: date) -> str:
    offset = (date.fromisoformat(day) - today).days
    return f"<today{offset:+d}>" if offset else "<today>"


def normalised(lines: list[str], today: date) -> list[str]:
    """*lines* with what honestly varies between runs made comparable.

    Trailing spaces go; a timestamp (date and time of day) keeps its date as a day
    counted from *today* and masks its time; a date in a wall-clock CSV column becomes a
    day counted from *today*. Everything else, every number included, stays.
    """
    out: list[str] = []
    clock_columns: set[int] = set()
    for line in trimmed(lines):
        line = _TIMESTAMP.sub(lambda m: _relative(m.group(1), today) + " <time>", line)
        fields = line.split(",")
        if WALL_CLOCK_COLUMNS & set(fields):
            clock_columns = {i for i, name in enumerate(fields) if name in WALL_CLOCK_COLUMNS}
        elif "," not in line:
            clock_columns = set()
        elif clock_columns:
            fields = [
                _relative(value, today) if i in clock_columns and _DATE.match(value) else value
                for i, value in enumerate(fields)
            ]
            line = ",".join(fields)
        out.append(line)
    return out
