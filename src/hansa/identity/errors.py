"""Errors of the identity domain, each with a stable code scripts can match on."""

from __future__ import annotations

from hansa.kernel.errors import (
    ConfigurationError,
    Conflict,
    InvalidInput,
    NotFound,
    RuleViolation,
    Unauthenticated,
)


class UserNotFound(NotFound):
    default_code = "identity.user_not_found"


class ApiKeyNotFound(NotFound):
    default_code = "identity.api_key_not_found"


class UserExists(Conflict):
    default_code = "identity.user_exists"


class AlreadyInitialised(RuleViolation):
    default_code = "identity.already_initialised"


class LastAdmin(RuleViolation):
    """The change would leave no active administrator."""

    default_code = "identity.last_admin"


class CannotDisableSelf(RuleViolation):
    default_code = "identity.cannot_disable_self"


class UserDisabled(RuleViolation):
    default_code = "identity.user_disabled"


class BadUsername(InvalidInput):
    default_code = "identity.bad_username"


class BadEmail(InvalidInput):
    default_code = "identity.bad_email"


class WeakPassword(InvalidInput):
    default_code = "identity.weak_password"


class UnknownRole(InvalidInput):
    default_code = "identity.unknown_role"


class NoRole(InvalidInput):
    default_code = "identity.no_role"


class BadApiKeyName(InvalidInput):
    default_code = "identity.bad_key_name"


class BadExpiry(InvalidInput):
    default_code = "identity.bad_expiry"


class BadCredentials(Unauthenticated):
    """Unknown user, wrong password or disabled user: deliberately indistinguishable."""

    default_code = "identity.bad_credentials"

    def __init__(self) -> None:
        super().__init__("invalid user name or password")


class WrongCurrentPassword(Unauthenticated):
    default_code = "identity.wrong_current_password"


class AccountLocked(Unauthenticated):
    default_code = "identity.account_locked"


class BadToken(Unauthenticated):
    default_code = "identity.bad_token"


class TokenExpired(Unauthenticated):
    default_code = "identity.token_expired"


class SessionRevoked(Unauthenticated):
    default_code = "identity.session_revoked"


class RefreshRevoked(Unauthenticated):
    default_code = "identity.refresh_revoked"


class RefreshExpired(Unauthenticated):
    default_code = "identity.refresh_expired"


class ApiKeyRevoked(Unauthenticated):
    default_code = "identity.api_key_revoked"


class ApiKeyExpired(Unauthenticated):
    default_code = "identity.api_key_expired"


class AccountDisabled(Unauthenticated):
    default_code = "identity.account_disabled"


class BadJwtSecret(ConfigurationError):
    default_code = "identity.bad_jwt_secret"
