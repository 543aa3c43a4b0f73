"""Command groups that are imported when they are first used.

``hansa ledger account list`` needs the ledger's commands, not inventory's, CRM's or
the API server's: importing every command module (and the domain packages behind
them) made each run of ``hansa`` pay for all of them. The root group knows the names
of its commands and the module that registers each; a module is imported when one of
its names is looked up. Listing every command (``hansa --help``, completion of a
partial name) imports them all, as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from functools import cache
from typing import Any

import typer
from typer import _click as click  # typer (pinned) vendors click: its commands are these
from typer.core import TyperGroup

# A unit: the name of a module whose ``register(app: typer.Typer)`` adds its commands.
Unit = str


def _nothing() -> None:
    """A callback, so that a unit of a single command still becomes a group."""


@cache
def unit_commands(unit: Unit) -> Mapping[str, click.Command]:
    """The click commands that the ``register(app)`` of module *unit* adds, by name
    (built once per process)."""
    scratch = typer.Typer()
    scratch.callback()(_nothing)
    importlib.import_module(unit).register(scratch)
    group = typer.main.get_command(scratch)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


class LazyCommands(MutableMapping[str, click.Command]):
    """The commands of a group, in a fixed order, each loaded on first lookup."""

    def __init__(self, loaded: Mapping[str, click.Command], units: Mapping[str, Unit]) -> None:
        self._order = [*units, *(name for name in loaded if name not in units)]
        self._units = dict(units)
        self._loaded = dict(loaded)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in self._units:
                raise KeyError(name)
            self._loaded[name] = unit_commands(self._units[name])[name]
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        if name not in self._order:
            self._order.append(name)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._loaded.pop(name, None)
        self._units.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order


def lazy_group(units: Mapping[str, Unit]) -> type[TyperGroup]:
    """A root group class (``typer.Typer(cls=...)``) whose commands *units* loads."""

    class LazyGroup(TyperGroup):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.commands = LazyCommands(self.commands, units)

    return LazyGroup
