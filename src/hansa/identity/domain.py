"""Users, credentials and the rules around them: pure values and functions, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from hansa.identity.errors import (
    BadEmail,
    BadJwtSecret,
    BadUsername,
    NoRole,
    UnknownRole,
    WeakPassword,
)
from hansa.identity.roles import ROLES

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
RESERVED_USERNAMES = frozenset({"anonymous", "system"})
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; this only bounds the work per attempt
MIN_JWT_SECRET_LENGTH = 32  # HS256 wants a key of at least 256 bits


class AuthSettings(Protocol):
    """The part of :class:`hansa.settings.Settings` that :class:`AuthConfig` reads."""

    @property
    def auth_access_token_minutes(self) -> int: ...
    @property
    def auth_refresh_token_days(self) -> int: ...
    @property
    def auth_lockout_threshold(self) -> int: ...
    @property
    def auth_lockout_minutes(self) -> int: ...
    @property
    def auth_password_min_length(self) -> int: ...
    @property
    def auth_argon2_time_cost(self) -> int: ...
    @property
    def auth_argon2_memory_kib(self) -> int: ...


@dataclass(frozen=True)
class AuthConfig:
    jwt_secret: str = field(repr=False)
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    password_min_length: int = 10
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536

    def __post_init__(self) -> None:
        if len(self.jwt_secret.encode()) < MIN_JWT_SECRET_LENGTH:
            raise BadJwtSecret(
                f"the JWT secret must be at least {MIN_JWT_SECRET_LENGTH} bytes long; "
                "set auth.jwt_secret (or JWT_SECRET) to a long random value"
            )

    @classmethod
    def from_settings(cls, settings: AuthSettings, jwt_secret: str) -> AuthConfig:
        """The configuration from Hansa's settings (the secret is resolved by the caller)."""
        return cls(
            jwt_secret=jwt_secret,
            access_token_minutes=settings.auth_access_token_minutes,
            refresh_token_days=settings.auth_refresh_token_days,
            lockout_threshold=settings.auth_lockout_threshold,
            lockout_minutes=settings.auth_lockout_minutes,
            password_min_length=settings.auth_password_min_length,
            argon2_time_cost=settings.auth_argon2_time_cost,
            argon2_memory_kib=settings.auth_argon2_memory_kib,
        )


@dataclass(frozen=True)
class User:
    """A user account as everyone may see it (the password hash never leaves the repository
    except as :class:`Credentials`)."""

    id: int
    username: str
    email: str | None
    roles: tuple[str, ...]
    active: bool
    locked_until: datetime | None
    created_at: datetime
    last_login_at: datetime | None
    version: int

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and at < self.locked_until

    def audit_view(self) -> dict[str, Any]:
        """What the audit log keeps of a user: no secrets, no login bookkeeping."""
        return {
            "username": self.username,
            "email": self.email,
            "roles": list(self.roles),
            "active": self.active,
        }


@dataclass(frozen=True)
class ApiKey:
    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def audit_view(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": self.name,
            "prefix": self.prefix,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
        }


@dataclass(frozen=True, kw_only=True)
class TokenPair:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    access_expires_at: datetime
    refresh_expires_at: datetime
    username: str


@dataclass(frozen=True)
class Credentials:
    """What a login needs to know about a user. Internal to the identity package."""

    user_id: int
    username: str
    password_hash: str | None = field(repr=False)
    active: bool
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True)
class Principal:
    """The user behind a session or an API key, as one query finds it."""

    user_id: int
    username: str
    active: bool
    roles: tuple[str, ...]


@dataclass(frozen=True)
class SessionState:
    id: str
    principal: Principal
    expires_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class KeyState:
    key: ApiKey
    key_hash: str
    principal: Principal


# -- validation ------------------------------------------------------------------------


def normalise_username(raw: str) -> str:
    return raw.strip().lower()


def validate_username(raw: str) -> str:
    """The normalised user name, or BadUsername.

    >>> validate_username("  Anna.Berg ")
    'anna.berg'
    """
    name = normalise_username(raw)
    if not USERNAME_PATTERN.match(name):
        raise BadUsername(
            f"{raw!r} is not a valid user name: use 2-64 characters, lowercase letters, "
            "digits, '.', '_' or '-', starting with a letter"
        )
    if name in RESERVED_USERNAMES:
        raise BadUsername(f"{name!r} is reserved; choose another user name")
    return name


def validate_email(raw: str | None) -> str | None:
    """A loosely checked e-mail address (one '@', a dot in the domain); '' means none."""
    if raw is None or not raw.strip():
        return None
    email = raw.strip()
    local, at, domain = email.partition("@")
    if (
        not at
        or not local
        or "@" in domain
        or "." not in domain.strip(".")
        or domain.startswith(".")
        or domain.endswith(".")
        or any(c.isspace() for c in email)
        or len(email) > 254
    ):
        raise BadEmail(f"{raw!r} is not a valid e-mail address")
    return email


def validate_roles(roles: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Known role names, sorted and without duplicates; at least one."""
    names = sorted({r.strip().lower() for r in roles})
    unknown = [r for r in names if r not in ROLES]
    if unknown:
        raise UnknownRole(
            f"unknown role {', '.join(unknown)}; the roles are {', '.join(ROLES)}",
            details={"roles": unknown},
        )
    if not names:
        raise NoRole(f"give the user at least one role ({', '.join(ROLES)})")
    return tuple(names)


def _character_classes(password: str) -> set[str]:
    classes = set()
    for char in password:
        if char.islower():
            classes.add("lowercase")
        elif char.isupper():
            classes.add("uppercase")
        elif char.isdigit():
            classes.add("digit")
        else:
            classes.add("symbol")
    return classes


def password_problems(password: str, username: str, min_length: int) -> list[str]:
    """What a password lacks, as phrases for a person; empty when it is acceptable.

    >>> password_problems("anna2026", "anna", 10)
    ['at least 10 characters (it has 8)', 'not to contain the user name']
    """
    problems = []
    if len(password) < min_length:
        problems.append(f"at least {min_length} characters (it has {len(password)})")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"at most {MAX_PASSWORD_LENGTH} characters")
    if username and username.lower() in password.lower():
        problems.append("not to contain the user name")
    if len(_character_classes(password)) < 2:
        problems.append("characters of at least two kinds (lowercase, uppercase, digits, symbols)")
    return problems


def check_password(password: str, username: str, min_length: int) -> None:
    problems = password_problems(password, username, min_length)
    if problems:
        raise WeakPassword(
            "the password is too weak: it needs " + "; ".join(problems),
            details={"problems": problems},
        )


# -- login -----------------------------------------------------------------------------

LoginOutcome = Literal["ok", "locked", "bad_password", "disabled"]


@dataclass(frozen=True)
class LoginDecision:
    outcome: LoginOutcome
    failed_logins: int
    locked_until: datetime | None
    just_locked: bool = False


def decide_login(
    creds: Credentials, password_ok: bool, threshold: int, lockout: timedelta, at: datetime
) -> LoginDecision:
    """The outcome of a login attempt and the lockout bookkeeping to store.

    A locked account refuses even the right password and does not count the attempt.
    Once a lock has expired the count starts again, so each lock gives *threshold* tries.
    A disabled user with the right password is refused without counting.
    """
    if creds.locked_until is not None and at < creds.locked_until:
        return LoginDecision("locked", creds.failed_logins, creds.locked_until)
    failures = 0 if creds.locked_until is not None else creds.failed_logins
    if not password_ok:
        failures += 1
        if failures >= threshold:
            return LoginDecision("bad_password", failures, at + lockout, just_locked=True)
        return LoginDecision("bad_password", failures, None)
    if not creds.active:
        return LoginDecision("disabled", failures, None)
    return LoginDecision("ok", 0, None)
