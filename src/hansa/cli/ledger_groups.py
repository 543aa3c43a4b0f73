"""``hansa ledger``, ``hansa report`` and ``hansa fx`` with the commands of every area
of the ledger.

Each area adds its commands to ``hansa ledger`` and ``hansa report``: a module with
``register(ledger_app: typer.Typer, report_app: typer.Typer) -> None``. They are added
once, when this module is imported.
"""

from __future__ import annotations

from types import ModuleType

import typer

from hansa.cli import (
    ledger,
    ledger_bank,
    ledger_fx,
    ledger_io,
    ledger_matching,
    ledger_taxes,
    report,
)

LEDGER_AREAS: tuple[ModuleType, ...] = (
    ledger_io,
    ledger_fx,
    ledger_taxes,
    ledger_matching,
    ledger_bank,
)
for area in LEDGER_AREAS:
    area.register(ledger.app, report.app)


def register(app: typer.Typer) -> None:
    app.add_typer(ledger.app, name="ledger")
    app.add_typer(report.app, name="report")
    app.add_typer(ledger_fx.fx_app, name="fx")
