"""The ``hansa`` command: global options, the sub-commands, and the one error handler.

Exit codes: 0 success; 1 a check or verification found problems, or the user said no;
2 usage error (unknown command, missing or malformed option); 3 not found; 4 conflict;
5 rule violation; 6 permission denied; 7 not authenticated; 8 invalid input;
9 a service is unavailable (database down, file unwritable); 10 configuration error;
70 internal error (a bug: run with -v for the traceback); 130 interrupted.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import ModuleType

import typer
from rich.markup import escape

from hansa import __version__
from hansa.cli import (
    audit,
    crm,
    events,
    identity,
    inventory,
    inventory_counting,
    inventory_moves,
    inventory_sites,
    inventory_stock,
    ledger,
    ledger_bank,
    ledger_fx,
    ledger_io,
    ledger_matching,
    ledger_taxes,
    parties,
    parties_all,
    parties_gdpr,
    quickstart,
    report,
    system,
)
from hansa.cli.context import CliState, state
from hansa.cli.render import OutputFormat, err_console, set_destination
from hansa.kernel.errors import HansaError
from hansa.observability import configure_logging

EXIT_PROBLEMS, EXIT_INTERNAL = 1, 70

app = typer.Typer(
    name="hansa",
    help="Hansa ERP: books that always tie out. Run 'hansa quickstart' for a tour.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hansa {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="Output format: table, json, csv or yaml."
    ),
    db: str | None = typer.Option(
        None, "--db", help="Database URL or SQLite file (overrides HANSA_DATABASE_URL)."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Answer yes to confirmations."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the output to this file (required for xlsx)."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show debug logs and tracebacks."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Global options go before the command: hansa --format json users list."""
    ctx.obj = CliState(fmt=fmt, db=db, yes=yes, verbose=verbose)
    set_destination(output)
    ctx.call_on_close(ctx.obj.close)
    configure_logging("DEBUG" if verbose else None)


identity.register(app)
system.register(app)
quickstart.register(app)
app.add_typer(audit.app, name="audit")
app.add_typer(events.app, name="events")
app.add_typer(ledger.app, name="ledger")
app.add_typer(report.app, name="report")
app.add_typer(ledger_fx.fx_app, name="fx")
parties.register(app)
parties_all.register(app)
parties_gdpr.register(app)
app.add_typer(crm.crm_app, name="crm")
app.add_typer(inventory.app, name="inventory")
# `hansa reports`: the business reports (inventory status, and later sales, customers);
# `hansa report` stays the ledger's financial statements.
reports_app = typer.Typer(help="Business reports: inventory status.", no_args_is_help=True)
app.add_typer(reports_app, name="reports")
inventory_stock.register(inventory.app, reports_app)
inventory_sites.register(inventory.app)
inventory_moves.register(inventory.app)
inventory_counting.register(inventory.app)

# Each area of the ledger adds its commands to `hansa ledger` and `hansa report`: a
# module with `register(ledger_app: typer.Typer, report_app: typer.Typer) -> None`.
LEDGER_AREAS: tuple[ModuleType, ...] = (
    ledger_io,
    ledger_fx,
    ledger_taxes,
    ledger_matching,
    ledger_bank,
)
for area in LEDGER_AREAS:
    area.register(ledger.app, report.app)


def _verbose(argv: list[str]) -> bool:
    return "-v" in argv or "--verbose" in argv


def _fail(code: str, message: str, exit_code: int, verbose: bool) -> None:
    err_console.print(
        f"[red]error[/red] {escape(f'[{code}]: {message}')}", highlight=False, soft_wrap=True
    )
    if verbose:
        traceback.print_exc()
    sys.exit(exit_code)


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script: every error becomes one line
    ``error [code]: message`` on standard error and its documented exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = _verbose(args)
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="hansa", standalone_mode=False)
    except HansaError as exc:
        _fail(exc.code, exc.message, exc.kind.exit_code, verbose)
    except typer.Abort:
        _fail("cli.aborted", "aborted", EXIT_PROBLEMS, verbose)
    except typer.TyperException as exc:  # usage: unknown command, missing/bad option
        hint = ""
        context = getattr(exc, "ctx", None)
        if context is not None:
            hint = f" (see '{context.command_path} --help')"
        _fail("cli.usage", exc.format_message() + hint, getattr(exc, "exit_code", 2), verbose)
    except Exception as exc:
        _fail(
            "hansa.internal",
            f"{type(exc).__name__}: {exc} (this is a bug; run with -v for the traceback)",
            EXIT_INTERNAL,
            verbose,
        )
    sys.exit(result if isinstance(result, int) else 0)


__all__ = ["app", "run", "state"]
