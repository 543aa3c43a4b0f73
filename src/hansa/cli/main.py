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

import typer
from rich.markup import escape

from hansa import __version__
from hansa.cli.context import CliState, state
from hansa.cli.lazy import lazy_group
from hansa.cli.render import OutputFormat, err_console, set_destination
from hansa.kernel.errors import HansaError
from hansa.observability import configure_logging

EXIT_PROBLEMS, EXIT_INTERNAL = 1, 70

# Every command of `hansa`, in the order `hansa --help` lists them, and the module that
# registers it with `register(app)` (see hansa.cli.lazy): a run imports only the module
# of its command.
COMMANDS: dict[str, str] = {
    **dict.fromkeys(("init", "login", "logout", "whoami"), "hansa.cli.identity"),
    **dict.fromkeys(("status", "check", "serve", "setup"), "hansa.cli.system"),
    "quickstart": "hansa.cli.quickstart",
    **dict.fromkeys(("users", "roles", "apikey"), "hansa.cli.identity"),
    **dict.fromkeys(("server", "config", "migrate"), "hansa.cli.system"),
    "audit": "hansa.cli.audit",
    "events": "hansa.cli.events",
    **dict.fromkeys(("ledger", "report", "fx"), "hansa.cli.ledger_groups"),
    **dict.fromkeys(("customers", "vendors"), "hansa.cli.parties"),
    "parties": "hansa.cli.parties_all",
    **dict.fromkeys(("gdpr", "keys"), "hansa.cli.parties_gdpr"),
    "crm": "hansa.cli.crm",
    **dict.fromkeys(("inventory", "reports"), "hansa.cli.inventory_groups"),
}

app = typer.Typer(
    name="hansa",
    cls=lazy_group(COMMANDS),
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
        OutputFormat.table,
        "--format",
        "-f",
        help="Output format: table, json, csv, yaml or xlsx (xlsx with --output).",
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
