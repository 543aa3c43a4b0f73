"""The error hierarchy every layer raises and every interface renders.

Each error has a *kind* (which decides the CLI exit code and the HTTP status) and a
stable string *code* (``identity.user_not_found``) that scripts and API clients can
match on. Messages are for people; codes are for programs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class ErrorKind:
    """How an interface reports a family of errors."""

    name: str
    exit_code: int
    http_status: int
    title: str


NOT_FOUND = ErrorKind("not_found", 3, 404, "Not found")
CONFLICT = ErrorKind("conflict", 4, 409, "Conflict")
RULE_VIOLATION = ErrorKind("rule_violation", 5, 422, "Rule violation")
PERMISSION_DENIED = ErrorKind("permission_denied", 6, 403, "Permission denied")
UNAUTHENTICATED = ErrorKind("unauthenticated", 7, 401, "Unauthenticated")
INVALID_INPUT = ErrorKind("invalid_input", 8, 400, "Invalid input")
UNAVAILABLE = ErrorKind("unavailable", 9, 503, "Service unavailable")
CONFIGURATION = ErrorKind("configuration", 10, 503, "Not configured")
INTERNAL = ErrorKind("internal", 70, 500, "Internal error")

ALL_KINDS: tuple[ErrorKind, ...] = (
    NOT_FOUND,
    CONFLICT,
    RULE_VIOLATION,
    PERMISSION_DENIED,
    UNAUTHENTICATED,
    INVALID_INPUT,
    UNAVAILABLE,
    CONFIGURATION,
    INTERNAL,
)


class HansaError(Exception):
    """Base of every error a user can cause or must act on."""

    kind: ClassVar[ErrorKind] = RULE_VIOLATION
    default_code: ClassVar[str] = "hansa.error"

    def __init__(
        self, message: str, *, code: str | None = None, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details: dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        return self.message


class NotFound(HansaError):
    kind = NOT_FOUND
    default_code = "hansa.not_found"


class Conflict(HansaError):
    """A concurrent change or a duplicate: reload and try again, or choose another key."""

    kind = CONFLICT
    default_code = "hansa.conflict"


class RuleViolation(HansaError):
    kind = RULE_VIOLATION
    default_code = "hansa.rule_violation"


class PermissionDenied(HansaError):
    kind = PERMISSION_DENIED
    default_code = "identity.permission_denied"


class Unauthenticated(HansaError):
    kind = UNAUTHENTICATED
    default_code = "identity.unauthenticated"


class InvalidInput(HansaError):
    kind = INVALID_INPUT
    default_code = "hansa.invalid_input"


class Unavailable(HansaError):
    """A service the command needs (the database, Redis) cannot be reached."""

    kind = UNAVAILABLE
    default_code = "hansa.unavailable"


class ConfigurationError(HansaError):
    """The installation is not in a state to run the command (schema behind, bad settings)."""

    kind = CONFIGURATION
    default_code = "hansa.configuration"


class InternalError(HansaError):
    """Something failed that the user cannot fix: a bug or an unexpected database error."""

    kind = INTERNAL
    default_code = "hansa.internal"
