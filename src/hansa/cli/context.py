"""What every command shares: the global options, the runtime and the logged-in actor."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import typer

from hansa import identity
from hansa.cli import credentials
from hansa.cli.render import OutputFormat
from hansa.kernel.actor import Actor
from hansa.kernel.errors import InvalidInput, Unauthenticated
from hansa.runtime import Runtime
from hansa.settings import Settings, load_settings


def database_url_from_option(value: str) -> str:
    """``--db`` takes a database URL or the path of an SQLite file."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


@dataclass
class CliState:
    fmt: OutputFormat = OutputFormat.table
    db: str | None = None
    yes: bool = False
    verbose: bool = False
    company: str | None = None
    _runtime: Runtime | None = field(default=None, repr=False)
    _actor: Actor | None = field(default=None, repr=False)
    _ephemeral: str | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            url = database_url_from_option(self.db) if self.db else None
            self._runtime = Runtime(load_settings(database_url=url))
        return self._runtime

    def use_runtime(self, runtime: Runtime) -> None:
        self._runtime, self._actor = runtime, None

    def output(self, fmt: OutputFormat | None) -> OutputFormat:
        return fmt or self.fmt

    def actor(self) -> Actor:
        """The calling user: from ``HANSA_API_KEY``, else ``HANSA_USER`` and
        ``HANSA_PASSWORD``, else the cached login (refreshed when its access token has
        expired)."""
        if self._actor is None:
            self._actor = self._resolve_actor()
        return self._actor

    def _resolve_actor(self) -> Actor:
        rt = self.runtime
        api_key = os.environ.get("HANSA_API_KEY")
        if api_key:
            return identity.authenticate(rt.uow(), rt.auth, api_key)
        user, password = os.environ.get("HANSA_USER"), os.environ.get("HANSA_PASSWORD")
        if user and password:
            # A session for this one command, revoked when it ends (see close()).
            pair = identity.login(rt.uow(), rt.auth, user, password)
            self._ephemeral = pair.refresh_token
            return identity.authenticate(rt.uow(), rt.auth, pair.access_token)
        cached = credentials.load(rt.settings.home, rt.database_url)
        if cached:
            try:
                return identity.authenticate(rt.uow(), rt.auth, cached["access_token"])
            except Unauthenticated as exc:
                if exc.code != "identity.token_expired":
                    credentials.forget(rt.settings.home, rt.database_url)
                    raise Unauthenticated(
                        f"your login is no longer valid ({exc.message}); run 'hansa login'",
                        code=exc.code,
                    ) from None
            pair = identity.refresh(rt.uow(), rt.auth, cached["refresh_token"])
            self.remember(pair)
            return identity.authenticate(rt.uow(), rt.auth, pair.access_token)
        raise Unauthenticated(
            "not logged in: run 'hansa login' (or set HANSA_USER and HANSA_PASSWORD)",
            code="identity.not_logged_in",
        )

    def close(self) -> None:
        """End the session opened for this command from HANSA_USER/HANSA_PASSWORD."""
        token, self._ephemeral = self._ephemeral, None
        if token is not None and self._runtime is not None:
            identity.logout(self._runtime.uow(), self._runtime.auth, token)

    def remember(self, pair: identity.TokenPair) -> None:
        rt = self.runtime
        credentials.store(
            rt.settings.home,
            rt.database_url,
            {
                "username": pair.username,
                "access_token": pair.access_token,
                "refresh_token": pair.refresh_token,
            },
        )

    def confirm(self, question: str, force: bool = False) -> None:
        """Ask before a destructive step; ``--yes``/``--force`` skip the question, and
        without a terminal the step is refused rather than assumed."""
        if force or self.yes:
            return
        if not sys.stdin.isatty():
            raise InvalidInput(
                f"{question} — refused: no terminal to confirm on; pass --yes to proceed",
                code="cli.confirmation_required",
            )
        if not typer.confirm(question, default=False):
            raise typer.Abort()


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):
        obj = CliState()
        ctx.find_root().obj = obj
    return obj


FormatOption = typer.Option(
    None, "--format", "-f", help="Output format: table, json, csv, yaml or xlsx (default: table)."
)

MAX_ID = 2**63 - 1  # database ids are 64-bit; a larger number can name nothing


def choose_company(
    ctx: typer.Context,
    company: str | None = typer.Option(
        None, "--company", "-c", help="Company code (needed when the tenant has several)."
    ),
) -> None:
    """The ``--company`` option of the ledger's command groups (a Typer callback)."""
    if company:
        state(ctx).company = company
