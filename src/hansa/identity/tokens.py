"""Access tokens (JWT, HS256), refresh tokens and API keys.

Secrets are random; only their SHA-256 digests are stored. Times come from
:mod:`hansa.kernel.clock` (PyJWT's own clock is switched off), so tests can move time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from hansa.identity.domain import AuthConfig
from hansa.identity.errors import BadToken, TokenExpired
from hansa.kernel.ids import new_id

ISSUER = "hansa"
ALGORITHM = "HS256"
ACCESS = "access"
API_KEY_MARK = "hk_"
_REQUIRED_CLAIMS = ["sub", "uid", "sid", "iat", "exp", "jti", "iss", "typ"]


@dataclass(frozen=True)
class AccessClaims:
    username: str
    user_id: int
    session_id: str
    expires_at: datetime


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a refresh token or API key is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def digests_match(stored: str, presented: str) -> bool:
    return hmac.compare_digest(stored.encode(), presented.encode())


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def issue_access_token(
    cfg: AuthConfig,
    *,
    user_id: int,
    username: str,
    roles: tuple[str, ...],
    session_id: str,
    at: datetime,
) -> tuple[str, datetime]:
    """A signed access token and its expiry. The roles inside are informational:
    :func:`hansa.identity.authenticate` reads the current roles from the database."""
    expires_at = at + timedelta(minutes=cfg.access_token_minutes)
    claims = {
        "sub": username,
        "uid": user_id,
        "sid": session_id,
        "roles": list(roles),
        "iat": int(at.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": new_id(),
        "iss": ISSUER,
        "typ": ACCESS,
    }
    return jwt.encode(claims, cfg.jwt_secret, algorithm=ALGORITHM), expires_at


def read_access_token(
    cfg: AuthConfig, token: str, at: datetime, *, allow_expired: bool = False
) -> AccessClaims:
    """The verified claims of *token*; BadToken or TokenExpired otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            cfg.jwt_secret,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={
                "require": _REQUIRED_CLAIMS,
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
    except jwt.PyJWTError:
        raise BadToken("the access token is not valid; log in again") from None
    if claims["typ"] != ACCESS or not isinstance(claims["uid"], int):
        raise BadToken("the token is not an access token; log in again")
    expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
    if at >= expires_at and not allow_expired:
        raise TokenExpired(
            f"the access token expired at {expires_at:%Y-%m-%d %H:%M:%S} UTC; "
            "refresh it or log in again"
        )
    return AccessClaims(str(claims["sub"]), claims["uid"], str(claims["sid"]), expires_at)


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


def is_api_key(token: str) -> bool:
    return token.startswith(API_KEY_MARK)


def new_api_key() -> tuple[str, str]:
    """A fresh key as ``(prefix, plaintext)``; the plaintext is ``hk_<prefix>_<secret>``."""
    prefix = secrets.token_hex(6)
    return prefix, f"{API_KEY_MARK}{prefix}_{secrets.token_urlsafe(32)}"


def api_key_prefix(token: str) -> str | None:
    """The prefix of an ``hk_<prefix>_<secret>`` key, or None if it is not shaped so."""
    mark, _, rest = token.partition("_")
    prefix, sep, secret = rest.partition("_")
    if mark != API_KEY_MARK.rstrip("_") or not sep or not prefix or not secret:
        return None
    return prefix
