"""``hansa quickstart``: a demo tenant, built from nothing, showing what works.

Each later module adds its chapter to the tour (the business flow ending in reports).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import typer
from rich.markup import escape
from rich.rule import Rule

from hansa import audit, identity, system
from hansa.cli import credentials
from hansa.cli.context import state
from hansa.cli.quickstart_books import tour_books
from hansa.cli.render import OutputFormat, console, render_rows
from hansa.db import migrate
from hansa.kernel.errors import PermissionDenied
from hansa.runtime import Runtime
from hansa.secretfiles import write_private
from hansa.settings import load_settings


def _password() -> str:
    return f"Demo-{secrets.token_urlsafe(12)}"


def _chapter(title: str) -> None:
    console.print(Rule(f"[bold]{title}"))


def quickstart(
    ctx: typer.Context,
    directory: Path | None = typer.Option(
        None, "--dir", help="Where to build the demo tenant (default: <data dir>/demo)."
    ),
) -> None:
    """Build a demo tenant from nothing and walk through what Hansa does so far."""
    st = state(ctx)
    base = load_settings()
    demo_dir = (directory or base.home / "demo").expanduser().resolve()
    db_file = demo_dir / "hansa.db"
    url = f"sqlite:///{db_file}"
    for stale in (
        db_file,
        db_file.with_name("hansa.db-wal"),
        db_file.with_name("hansa.db-shm"),
        demo_dir / "passwords.txt",
    ):
        stale.unlink(missing_ok=True)
    rt = Runtime(load_settings(database_url=url))
    st.use_runtime(rt)
    credentials.forget(rt.settings.home, url)

    _chapter("1. A new tenant")
    created = rt.initialise()
    passwords = {"admin": _password(), "alice": _password(), "victor": _password()}
    demo_dir.mkdir(parents=True, exist_ok=True)
    write_private(
        demo_dir / "passwords.txt", "".join(f"{user} {pw}\n" for user, pw in passwords.items())
    )
    admin = identity.create_first_admin(
        rt.uow(), "admin", passwords["admin"], "admin@demo.example", rt.auth
    )
    console.print(
        f"Database  {db_file}\nSchema    revision {migrate.head()}\n"
        f"Secrets   {rt.settings.secrets_dir} ({len(created)} created, mode 0600)\n"
        f"Admin     {admin.username} (passwords of the demo users: "
        f"{demo_dir / 'passwords.txt'}, mode 0600)"
    )

    _chapter("2. Log in (the token is cached, mode 0600)")
    pair = identity.login(rt.uow(), rt.auth, "admin", passwords["admin"])
    st.remember(pair)
    actor = st.actor()
    console.print(f"Logged in as {actor.username} with roles {', '.join(sorted(actor.roles))}")

    _chapter("3. People and roles")
    identity.add_user(
        rt.uow(),
        rt.auth,
        actor,
        username="alice",
        roles=["accountant"],
        email="alice@demo.example",
        password=passwords["alice"],
    )
    identity.add_user(
        rt.uow(),
        rt.auth,
        actor,
        username="victor",
        roles=["viewer"],
        email="victor@demo.example",
        password=passwords["victor"],
    )
    users = identity.list_users(rt.uow(readonly=True), actor)
    render_rows(
        [{"username": u.username, "roles": list(u.roles), "email": u.email} for u in users],
        OutputFormat.table,
        title="Users",
    )
    viewer_pair = identity.login(rt.uow(), rt.auth, "victor", passwords["victor"])
    viewer = identity.authenticate(rt.uow(), rt.auth, viewer_pair.access_token)
    try:
        identity.add_user(rt.uow(), rt.auth, viewer, username="mallory", roles=["admin"])
    except PermissionDenied as exc:
        console.print(
            escape(f"victor tries to add an admin -> refused [{exc.code}]: {exc.message}")
        )

    _chapter("4. Trade and the books")
    tour_books(rt, actor)

    _chapter("5. The audit trail")
    records = audit.list_records(rt.uow(readonly=True), actor, limit=10)
    render_rows(
        [r.__dict__ for r in records],
        OutputFormat.table,
        ["id", "at", "actor", "action", "entity_type", "entity_id"],
        title="Audit",
    )
    verdict = audit.verify(rt.uow(readonly=True), actor)
    console.print(
        f"audit verify: {verdict.checked} records, chain {'intact' if verdict.ok else 'BROKEN'}"
    )

    _chapter("6. Integrity checks")
    outcomes = system.run_checks(rt.uow(readonly=True), actor)
    render_rows([{"check": o.name, "ok": o.ok} for o in outcomes], OutputFormat.table)
    if not all(o.ok for o in outcomes) or not verdict.ok:
        raise typer.Exit(1)

    _chapter("Next")
    console.print(
        f"Explore the demo:  hansa --db {db_file} whoami\n"
        f"                   hansa --db {db_file} report trial-balance\n"
        f"                   hansa --db {db_file} customers list\n"
        f"                   hansa --db {db_file} inventory list\n"
        f"                   hansa --db {db_file} audit list\n"
        f"Serve the API:     hansa --db {db_file} serve   (docs at /api/docs)"
    )


def register(app: typer.Typer) -> None:
    app.command("quickstart")(quickstart)
