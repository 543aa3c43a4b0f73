"""Commands for the tenant and its people: init, login, logout, whoami, users, roles,
API keys."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

import typer

from hansa import identity, ledger
from hansa.cli import credentials
from hansa.cli.context import MAX_ID, FormatOption, state
from hansa.cli.render import OutputFormat, render_object, render_rows, say
from hansa.db import migrate
from hansa.kernel.actor import grants
from hansa.kernel.errors import InvalidInput

users_app = typer.Typer(
    help="Manage users: add, list, update, disable, permissions.", no_args_is_help=True
)
roles_app = typer.Typer(help="Built-in roles and what they may do.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys for scripts and integrations.", no_args_is_help=True)

USER_COLUMNS = ["id", "username", "email", "roles", "active", "locked_until", "last_login_at"]


def user_row(user: identity.User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "roles": list(user.roles),
        "active": user.active,
        "locked_until": user.locked_until,
        "last_login_at": user.last_login_at,
        "created_at": user.created_at,
        "version": user.version,
    }


def credentials_from(user: str | None, password: str | None, what: str) -> tuple[str, str]:
    """Options first, then HANSA_USER/HANSA_PASSWORD, then a prompt on a terminal."""
    user = user or os.environ.get("HANSA_USER")
    password = password or os.environ.get("HANSA_PASSWORD")
    interactive = sys.stdin.isatty()
    if not user:
        if not interactive:
            raise InvalidInput(
                f"no user name for {what}: pass it as an option or set HANSA_USER",
                code="cli.credentials_required",
            )
        user = str(typer.prompt("User name"))
    if not password:
        if not interactive:
            raise InvalidInput(
                f"no password for {what}: pass it as an option or set HANSA_PASSWORD",
                code="cli.credentials_required",
            )
        password = str(
            typer.prompt("Password", hide_input=True, confirmation_prompt=what == "the first admin")
        )
    return user, password


def init(
    ctx: typer.Context,
    admin_user: str | None = typer.Option(None, "--admin-user", help="First admin's user name."),
    admin_password: str | None = typer.Option(
        None, "--admin-password", help="First admin's password (or HANSA_PASSWORD, or a prompt)."
    ),
    admin_email: str | None = typer.Option(None, "--admin-email", help="First admin's email."),
    company: str | None = typer.Option(None, "--company", help="Also create this company."),
    currency: str | None = typer.Option(None, "--currency", help="Its base currency (ISO)."),
    chart: str = typer.Option("standard", "--chart", help="Its chart: minimal or standard."),
    year: int | None = typer.Option(
        None, "--year", min=1900, max=9999, help="Fiscal year to open (default: this year)."
    ),
) -> None:
    """Create the tenant: secrets, the database schema, the first admin and, with
    --company and --currency, the first company with its chart of accounts."""
    st = state(ctx)
    rt = st.runtime
    if (company is None) != (currency is None):
        raise InvalidInput("--company and --currency go together", code="cli.company_needs_both")
    user, password = credentials_from(admin_user, admin_password, "the first admin")
    created = rt.initialise()
    admin = identity.create_first_admin(rt.uow(), user, password, admin_email, rt.auth)
    summary: dict[str, Any] = {
        "database": rt.engine.url.render_as_string(hide_password=True),
        "schema": migrate.head(),
        "admin": admin.username,
        "secrets_created": [str(p) for p in created],
    }
    if company and currency:
        actor = identity.actor_for_user(rt.uow(readonly=True), admin.username)
        books = ledger.create_company(
            rt.uow(),
            actor,
            name=company,
            currency=currency,
            chart=chart,
            year_of=date(year, 1, 1) if year else None,
        )
        summary["company"] = f"{books.code} ({books.name}, {books.base_currency}, {chart})"
    render_object(summary, st.fmt)
    say(f"Tenant ready. Next: hansa login --user {admin.username}", st.fmt)


def login(
    ctx: typer.Context,
    user: str | None = typer.Option(None, "--user", "-u", help="User name (or HANSA_USER)."),
    password: str | None = typer.Option(
        None, "--password", help="Password (or HANSA_PASSWORD, or a prompt)."
    ),
) -> None:
    """Log in and cache the session token (file mode 0600) for this database."""
    st = state(ctx)
    rt = st.runtime
    name, secret = credentials_from(user, password, "login")
    pair = identity.login(rt.uow(), rt.auth, name, secret)
    st.remember(pair)
    say(
        f"Logged in as {pair.username} (session valid until "
        f"{pair.refresh_expires_at:%Y-%m-%d %H:%M} UTC).",
        st.fmt,
    )


def logout(ctx: typer.Context) -> None:
    """Revoke this database's cached session and forget it."""
    st = state(ctx)
    rt = st.runtime
    cached = credentials.load(rt.settings.home, rt.database_url)
    if not cached:
        say("Not logged in.", st.fmt)
        return
    identity.logout(rt.uow(), rt.auth, cached["refresh_token"])
    credentials.forget(rt.settings.home, rt.database_url)
    say(f"Logged out {cached.get('username', '')}; the session is revoked.", st.fmt)


def whoami(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """Show the logged-in user, their roles and how they authenticated."""
    st = state(ctx)
    actor = st.actor()
    render_object(
        {
            "username": actor.username,
            "roles": sorted(actor.roles),
            "via": actor.via,
            "database": st.runtime.engine.url.render_as_string(hide_password=True),
        },
        st.output(fmt),
    )


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    username: str = typer.Option(..., "--username", help="Lowercase user name."),
    role: list[str] = typer.Option(..., "--role", help="A role (repeat for several)."),
    email: str | None = typer.Option(None, "--email"),
    password: str | None = typer.Option(
        None, "--password", help="Initial password; without it the user cannot log in yet."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a user with one or more roles (see 'hansa roles list')."""
    st = state(ctx)
    rt = st.runtime
    user = identity.add_user(
        rt.uow(), rt.auth, st.actor(), username=username, roles=role, email=email, password=password
    )
    render_object(user_row(user), st.output(fmt))


@users_app.command("list")
def users_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List users."""
    st = state(ctx)
    users = identity.list_users(st.runtime.uow(readonly=True), st.actor())
    render_rows([user_row(u) for u in users], st.output(fmt), USER_COLUMNS, title="Users")


@users_app.command("update")
def users_update(
    ctx: typer.Context,
    username: str = typer.Option(..., "--username"),
    role: list[str] | None = typer.Option(None, "--role", help="Replace the roles."),
    email: str | None = typer.Option(None, "--email"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Change a user's roles or email."""
    st = state(ctx)
    user = identity.update_user(
        st.runtime.uow(), st.actor(), username, email=email, roles=role or None
    )
    render_object(user_row(user), st.output(fmt))


@users_app.command("disable")
def users_disable(ctx: typer.Context, username: str = typer.Argument(...)) -> None:
    """Disable a user: their sessions and API keys stop working at once."""
    st = state(ctx)
    st.confirm(f"Disable {username} and revoke their sessions?")
    user = identity.disable_user(st.runtime.uow(), st.actor(), username)
    say(f"{user.username} is disabled.", st.fmt)


@users_app.command("enable")
def users_enable(ctx: typer.Context, username: str = typer.Argument(...)) -> None:
    """Enable a disabled user again."""
    st = state(ctx)
    user = identity.enable_user(st.runtime.uow(), st.actor(), username)
    say(f"{user.username} is enabled.", st.fmt)


@users_app.command("passwd")
def users_passwd(
    ctx: typer.Context,
    username: str | None = typer.Argument(None, help="Whose password (default: yours)."),
    password: str | None = typer.Option(None, "--password", help="New password (or a prompt)."),
    current: str | None = typer.Option(
        None, "--current-password", help="Your current password, to change your own."
    ),
) -> None:
    """Set a password: yours (give the current one), or another user's (admin)."""
    st = state(ctx)
    actor = st.actor()
    target = username or actor.username
    if target == actor.username and current is None and sys.stdin.isatty():
        current = str(typer.prompt("Current password", hide_input=True))
    if password is None:
        if not sys.stdin.isatty():
            raise InvalidInput("no new password: pass --password", code="cli.credentials_required")
        password = str(typer.prompt("New password", hide_input=True, confirmation_prompt=True))
    identity.change_password(st.runtime.uow(), st.runtime.auth, actor, target, password, current)
    say(f"Password of {target} changed; their other sessions are revoked.", st.fmt)


@users_app.command("permissions")
def users_permissions(
    ctx: typer.Context,
    username: str | None = typer.Option(None, "--username", help="Only this user's."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Show which permissions each role grants (or one user's effective permissions)."""
    st = state(ctx)
    if username:
        user = identity.get_user(st.runtime.uow(readonly=True), st.actor(), username)
        perms = identity.effective_permissions(user.roles)
        rows = [
            {"permission": p, "description": d}
            for p, d in sorted(identity.PERMISSIONS.items())
            if grants(perms, p)
        ]
        render_rows(
            rows,
            st.output(fmt),
            ["permission", "description"],
            title=f"Permissions of {user.username} ({', '.join(user.roles)})",
        )
        return
    st.actor()
    roles = {r.name: identity.effective_permissions([r.name]) for r in identity.list_roles()}
    matrix: list[dict[str, object]] = [
        {"permission": p, **{name: grants(perms, p) for name, perms in roles.items()}}
        for p in sorted(identity.PERMISSIONS)
    ]
    render_rows(matrix, st.output(fmt), ["permission", *roles], title="Permissions by role")


@roles_app.command("list")
def roles_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List the built-in roles."""
    st = state(ctx)
    rows = [
        {"role": r.name, "description": r.description, "permissions": sorted(r.permissions)}
        for r in identity.list_roles()
    ]
    render_rows(rows, st.output(fmt), ["role", "description", "permissions"], title="Roles")


APIKEY_COLUMNS = [
    "id",
    "username",
    "name",
    "prefix",
    "created_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
]


@apikey_app.command("create")
def apikey_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="What the key is for."),
    expires_days: int | None = typer.Option(None, "--expires-days", min=1, max=3650),
    username: str | None = typer.Option(None, "--for", help="Another user's key (admin)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Create an API key. The key is shown once: store it now."""
    st = state(ctx)
    key, plaintext = identity.create_api_key(
        st.runtime.uow(), st.actor(), name, expires_days=expires_days, username=username
    )
    render_object(
        {**{c: getattr(key, c) for c in APIKEY_COLUMNS}, "key": plaintext}, st.output(fmt)
    )
    say("Store the key now: Hansa keeps only its hash and cannot show it again.", st.output(fmt))


@apikey_app.command("list")
def apikey_list(ctx: typer.Context, fmt: OutputFormat | None = FormatOption) -> None:
    """List API keys (yours; all of them for an admin)."""
    st = state(ctx)
    keys = identity.list_api_keys(st.runtime.uow(readonly=True), st.actor())
    render_rows(
        [{c: getattr(k, c) for c in APIKEY_COLUMNS} for k in keys],
        st.output(fmt),
        APIKEY_COLUMNS,
        title="API keys",
    )


@apikey_app.command("revoke")
def apikey_revoke(ctx: typer.Context, key_id: int = typer.Argument(..., min=1, max=MAX_ID)) -> None:
    """Revoke an API key at once."""
    st = state(ctx)
    key = identity.revoke_api_key(st.runtime.uow(), st.actor(), key_id)
    say(f"API key {key.id} ({key.name}) is revoked.", st.fmt)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
    app.add_typer(users_app, name="users")
    app.add_typer(roles_app, name="roles")
    app.add_typer(apikey_app, name="apikey")
